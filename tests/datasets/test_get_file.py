"""get_file against a real HTTP server on 127.0.0.1 started by the test, and local paths."""

from __future__ import annotations

import hashlib
import http.server
import io
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import synalinks_nb as sn
from synalinks_nb.datasets import get_file
from synalinks_nb.errors import DatasetError


class Server:
    def __init__(self, root: Path) -> None:
        self.requests: list[str] = []
        requests = self.requests

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=str(root), **kwargs)  # type: ignore[arg-type]

            def do_GET(self) -> None:
                requests.append(self.path)
                super().do_GET()

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    root = tmp_path / "served"
    root.mkdir()
    running = Server(root)
    yield running, root
    running.close()


def test_a_url_is_fetched_once_into_the_home_cache(server: tuple[Server, Path]) -> None:
    http, root = server
    (root / "corpus.txt").write_text("first version")
    path = Path(get_file(origin=f"{http.url}/corpus.txt"))
    assert path == sn.config.home / "datasets" / "corpus.txt"
    assert path.read_text() == "first version"
    (root / "corpus.txt").write_text("second version")
    assert Path(get_file(origin=f"{http.url}/corpus.txt")).read_text() == "first version"
    assert http.requests == ["/corpus.txt"]
    forced = get_file(origin=f"{http.url}/corpus.txt", force_download=True)
    assert Path(forced).read_text() == "second version"


def test_the_hash_is_checked_and_a_bad_file_is_not_kept(
    server: tuple[Server, Path], tmp_path: Path,
) -> None:
    http, root = server
    (root / "data.csv").write_bytes(b"a,b\n1,2\n")
    good = hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    path = get_file("data.csv", f"{http.url}/data.csv", file_hash=good, cache_dir=tmp_path)
    assert Path(path).read_bytes() == b"a,b\n1,2\n"
    with pytest.raises(DatasetError, match=r"Expected sha256 0+"):
        get_file("other.csv", f"{http.url}/data.csv", file_hash="0" * 64, cache_dir=tmp_path)
    assert not (tmp_path / "datasets" / "other.csv").exists()
    md5 = hashlib.md5(b"a,b\n1,2\n").hexdigest()
    assert get_file("data.csv", f"{http.url}/data.csv", file_hash=md5,
                    cache_dir=tmp_path) == path


def test_a_missing_url_fails_with_the_servers_answer(server: tuple[Server, Path]) -> None:
    http, _ = server
    with pytest.raises(DatasetError, match="404"):
        get_file(origin=f"{http.url}/missing.txt")
    assert list((sn.config.home / "datasets").iterdir()) == []  # no partial file left


def test_tar_and_zip_archives_are_extracted(server: tuple[Server, Path]) -> None:
    http, root = server
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo("docs/a.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"alpha"))
    (root / "docs.tar.gz").write_bytes(buffer.getvalue())
    with zipfile.ZipFile(root / "more.zip", "w") as zipped:
        zipped.writestr("b.txt", "beta")
    folder = Path(get_file("docs", f"{http.url}/docs.tar.gz", extract=True))
    assert (folder / "docs" / "a.txt").read_text() == "alpha"
    folder = Path(get_file("more", f"{http.url}/more.zip", extract=True))
    assert (folder / "b.txt").read_text() == "beta"


def test_archive_members_may_not_escape_and_paths_work_offline(tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as zipped:
        zipped.writestr("../escaped.txt", "x")
    with pytest.raises(DatasetError, match="inside the extraction folder"):
        get_file("evil", str(evil), extract=True)
    assert not (sn.config.home / "escaped.txt").exists()
    local = tmp_path / "local.txt"
    local.write_text("offline")
    assert Path(get_file(origin=local.as_uri())).read_text() == "offline"
    with pytest.raises(DatasetError, match="plain file name"):
        get_file("sub/dir.txt", str(local))
    with pytest.raises(DatasetError, match="http"):
        get_file(origin="ftp://example.invalid/x.txt")


def test_synalinks_utils_get_file_takes_synalinks_keywords(
    server: tuple[Server, Path], tmp_path: Path
) -> None:
    http, root = server
    with tarfile.open(root / "pack.tgz", "w:gz") as tar:
        data = b"inside"
        info = tarfile.TarInfo("notes.txt")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    md5 = hashlib.md5((root / "pack.tgz").read_bytes()).hexdigest()
    get = sn.utils.get_file
    assert get is get_file
    folder = Path(get("pack", f"{http.url}/pack.tgz", untar=True, md5_hash=md5,
                      cache_dir=tmp_path / "cache", progbar=False))
    assert (folder / "notes.txt").read_bytes() == b"inside"
    assert folder.parent == tmp_path / "cache" / "datasets"
    with pytest.raises(DatasetError, match="md5"):
        get("bad.tgz", f"{http.url}/pack.tgz", md5_hash="0" * 32, cache_dir=tmp_path)


def test_a_file_url_is_copied_into_the_cache_folder(tmp_path: Path) -> None:
    source = tmp_path / "local.txt"
    source.write_text("offline")
    path = Path(sn.utils.get_file(origin=source.as_uri(), cache_dir=tmp_path / "c",
                                  cache_subdir="mine"))
    assert path == tmp_path / "c" / "mine" / "local.txt"
    assert path.read_text() == "offline"

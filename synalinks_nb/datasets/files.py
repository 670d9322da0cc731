"""``get_file``: fetch a file once into the cache folder, verify it, optionally extract it.

Follows Keras' and Synalinks' ``get_file``: the file lands in
``<cache_dir>/<cache_subdir>/<fname>`` (``cache_dir`` defaults to the package
home, ``config.home``), is reused on later calls, and is checked against
``file_hash`` (SHA-256 or MD5) when one is given. ``origin`` may be an
``http(s)://`` or ``file://`` URL or a local path, so tutorials and tests work
offline on files they ship or serve themselves. Nothing is downloaded unless
this function is called: no dataset module fetches anything at import or by
default.

Downloads go to a temporary file in the target folder and are renamed into
place only after the hash matched, so an interrupted or corrupted download never
looks cached. Archives are extracted with path checks (no member may land
outside the extraction folder).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.parse
from pathlib import Path

from synalinks_nb.errors import DatasetError

__all__ = ["get_file", "hash_file"]

_CHUNK = 1 << 16


def hash_file(path: str | os.PathLike[str], algorithm: str = "sha256") -> str:
    """The hex digest of a file (``"sha256"`` or ``"md5"``).

    Example:
        >>> import tempfile, pathlib
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
        >>> _ = f.write_bytes(b"abc")
        >>> hash_file(f)[:16]
        'ba7816bf8f01cfea'
    """
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _algorithm(file_hash: str, hash_algorithm: str) -> str:
    if hash_algorithm == "auto":
        return "sha256" if len(file_hash) == 64 else "md5"
    if hash_algorithm not in ("sha256", "md5"):
        raise DatasetError(
            f"Expected hash_algorithm to be 'auto', 'sha256' or 'md5'. "
            f"Received: {hash_algorithm!r}")
    return hash_algorithm


def _fetch(origin: str, target: Path, timeout: float) -> None:
    """Copy ``origin`` to ``target`` through a temporary file in the same folder."""
    import urllib.error  # here, not at module level: `import synalinks_nb` stays light
    import urllib.request

    parsed = urllib.parse.urlsplit(origin)
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            if parsed.scheme in ("http", "https", "file"):
                with urllib.request.urlopen(origin, timeout=timeout) as response:
                    shutil.copyfileobj(response, out, _CHUNK)
            elif parsed.scheme == "":
                with open(Path(origin).expanduser(), "rb") as source:
                    shutil.copyfileobj(source, out, _CHUNK)
            else:
                raise DatasetError(
                    "Expected origin to be an http(s):// or file:// URL or a local path. "
                    f"Received: origin={origin!r}")
        os.replace(partial, target)
    except (OSError, urllib.error.URLError) as exc:
        Path(partial).unlink(missing_ok=True)
        raise DatasetError(f"Expected to fetch {origin!r}. Received an error: {exc}") from exc
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _safe_members(root: Path, names: list[str], origin: Path) -> None:
    for name in names:
        destination = (root / name).resolve()
        if not destination.is_relative_to(root.resolve()):
            raise DatasetError(
                f"Expected archive members inside the extraction folder. Received {name!r} "
                f"in {origin.name}")


def _extract(archive: Path, folder: Path, archive_format: str) -> None:
    import tarfile
    import zipfile

    formats = ("tar", "zip") if archive_format == "auto" else (archive_format,)
    folder.mkdir(parents=True, exist_ok=True)
    if "tar" in formats and tarfile.is_tarfile(archive):
        with tarfile.open(archive) as tar:
            _safe_members(folder, tar.getnames(), archive)
            tar.extractall(folder, filter="data")
        return
    if "zip" in formats and zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zipped:
            _safe_members(folder, zipped.namelist(), archive)
            zipped.extractall(folder)
        return
    raise DatasetError(
        f"Expected a {' or '.join(formats)} archive to extract. Received: {archive.name}")


def get_file(
    fname: str | None = None,
    origin: str | None = None,
    *,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format: str = "auto",
    cache_dir: str | os.PathLike[str] | None = None,
    force_download: bool = False,
    timeout: float = 60.0,
    untar: bool = False,
    md5_hash: str | None = None,
    progbar: bool = True,
) -> str:
    """The local path of ``origin``, fetched into the cache folder on first use.

    Args:
        fname: the file name in the cache (default: the last part of ``origin``);
            with ``extract=True``, the extraction folder's name.
        origin: an ``http(s)://`` or ``file://`` URL, or a local path.
        file_hash: the expected SHA-256 (or MD5) of the file; a cached file that does
            not match is fetched again, a fetched one that does not match is refused.
        cache_subdir: folder under ``cache_dir`` (an absolute path is used as is).
        hash_algorithm: ``"auto"`` (by length), ``"sha256"`` or ``"md5"``.
        extract: extract a tar or zip archive; the extraction folder is returned.
        archive_format: ``"auto"``, ``"tar"`` or ``"zip"``.
        cache_dir: defaults to the package home (``sn.config.home``).
        force_download: fetch even when a cached copy exists.
        timeout: seconds allowed for the connection (URLs only).
        untar: Synalinks' (and Keras') older name for ``extract=True``.
        md5_hash: Synalinks' older name for an MD5 ``file_hash``.
        progbar: accepted for Synalinks' signature; no progress bar is drawn.

    Raises:
        DatasetError: the origin could not be fetched, the hash did not match, or
            the archive could not be extracted safely.

    Example:
        >>> import pathlib, tempfile
        >>> from synalinks_nb.datasets import get_file
        >>> source = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
        >>> _ = source.write_text("hello")
        >>> path = get_file(origin=str(source), cache_dir=tempfile.mkdtemp())
        >>> pathlib.Path(path).read_text(), pathlib.Path(path).parent.name
        ('hello', 'datasets')
    """
    if not origin:
        raise DatasetError(f"Expected origin (a URL or a path). Received: origin={origin!r}")
    if md5_hash is not None:
        if file_hash is not None and file_hash != md5_hash:
            raise DatasetError("Expected one hash. Received: file_hash and md5_hash differ.")
        file_hash, hash_algorithm = md5_hash, "md5"
    extract = extract or untar
    name = fname or Path(urllib.parse.urlsplit(origin).path).name
    if not name or "/" in name or os.sep in name:
        raise DatasetError(
            "Expected fname to be a plain file name (set the folder with cache_dir). "
            f"Received: fname={name!r} for origin={origin!r}")
    if cache_dir is None:
        from synalinks_nb.config import config

        cache_dir = config.home
    folder = Path(cache_dir).expanduser() / cache_subdir
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / (f"{name}.archive" if extract else name)
    algorithm = _algorithm(file_hash, hash_algorithm) if file_hash else "sha256"
    stale = force_download or not target.is_file() or (
        file_hash is not None and hash_file(target, algorithm) != file_hash)
    if stale:
        _fetch(origin, target, timeout)
        if file_hash is not None and (actual := hash_file(target, algorithm)) != file_hash:
            target.unlink()
            raise DatasetError(
                f"Expected {algorithm} {file_hash} for {origin!r}. Received a file with "
                f"{actual}; it was removed.")
    if not extract:
        return str(target)
    extracted = folder / name
    if stale or not extracted.is_dir():
        shutil.rmtree(extracted, ignore_errors=True)
        _extract(target, extracted, archive_format)
    return str(extracted)

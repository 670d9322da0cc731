"""Files: atomic writes and strict JSON reads.

A save either fully happens or leaves the previous file untouched: the text is
written to a temporary file in the target's folder, flushed and ``fsync``-ed,
then moved over the target with ``os.replace`` (atomic on POSIX and Windows).
A crash at any point leaves at worst a stray ``.<name>.*.tmp`` file, which the
next save does not trip over. A symlink is written through (its target is
replaced, the link stays); a folder, device, FIFO or socket is refused.

Reading is strict JSON: no ``NaN``/``Infinity``, no duplicate keys, UTF-8
only. Anything else is a :class:`~synalinks_nb.errors.CorruptedFileError`
that says where the problem is.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from synalinks_nb.errors import CorruptedFileError, SaveTargetExistsError, SavingError

__all__ = ["atomic_write_text", "dumps", "loads", "read_text"]


def dumps(document: Any, **kwargs: Any) -> str:
    """Strict JSON text (``NaN`` and ``Infinity`` refused, non-ASCII kept readable)."""
    kwargs.setdefault("ensure_ascii", False)
    try:
        return json.dumps(document, allow_nan=False, **kwargs)
    except (TypeError, ValueError) as exc:
        raise SavingError(f"Expected JSON-serialisable content to save. Received: {exc}") from exc


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise CorruptedFileError(f"Expected unique keys in JSON objects. Received: {key!r} "
                                     "twice in one object.")
        out[key] = value
    return out


def _bad_constant(name: str) -> Any:
    raise CorruptedFileError(f"Expected standard JSON. Received: the non-standard constant {name}.")


def loads(text: str, source: str = "<string>") -> Any:
    """Parse strict JSON; every failure is a :class:`CorruptedFileError` naming ``source``."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_bad_constant)
    except CorruptedFileError as exc:
        raise CorruptedFileError(f"{source}: {exc}") from None
    except json.JSONDecodeError as exc:
        hint = " (the file looks truncated)" if _looks_truncated(text) else ""
        raise CorruptedFileError(
            f"{source}: expected valid JSON{hint}. Received: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno}."
        ) from None
    except RecursionError:
        raise CorruptedFileError(f"{source}: the JSON is nested too deeply to be a save file.") \
            from None


def _looks_truncated(text: str) -> bool:
    """True when the text ends inside a string or with brackets still open."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
    return in_string or depth > 0 or not text.strip()


def read_text(filepath: str | os.PathLike[str]) -> str:
    """The file's text (UTF-8); a non-UTF-8 file is a :class:`CorruptedFileError`."""
    data = Path(filepath).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorruptedFileError(
            f"{filepath}: expected UTF-8 JSON text. Received: an undecodable byte at offset "
            f"{exc.start}."
        ) from None


def atomic_write_text(filepath: str | os.PathLike[str], text: str, overwrite: bool = True) -> None:
    """Write ``text`` to ``filepath`` atomically.

    Raises:
        SaveTargetExistsError: ``overwrite=False`` and the file exists.
        SavingError: the folder does not exist or the write failed; any previous
            file is intact.

    Example:
        >>> import tempfile, pathlib
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.json"
        >>> atomic_write_text(path, "{}")
        >>> atomic_write_text(path, "[]", overwrite=False)
        Traceback (most recent call last):
        ...
        synalinks_nb.errors.SaveTargetExistsError: Expected a path ... Received: ...x.json
    """
    data = _encoded(text, filepath)
    path = _target(Path(filepath))
    if not overwrite and (path.exists() or Path(filepath).is_symlink()):
        raise SaveTargetExistsError(
            f"Expected a path that does not exist yet (overwrite=False). Received: {filepath}"
        )
    folder = path.parent
    if not folder.is_dir():
        raise SavingError(f"Expected an existing folder to save into. Received: {folder}")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise SavingError(f"Could not create a temporary file in {folder}: {exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise SavingError(f"Could not save {path}; the previous file is intact: {exc}") \
                from exc
        raise
    _fsync_folder(folder)


def _encoded(text: str, filepath: str | os.PathLike[str]) -> bytes:
    """``text`` as UTF-8; a lone surrogate (from a broken decode upstream) is a SavingError."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        around = text[max(exc.start - 30, 0): exc.start + 10].encode("utf-8", "backslashreplace")
        raise SavingError(
            f"Expected text that UTF-8 can encode, to save {filepath}. Received: the lone "
            f"surrogate {text[exc.start]!r} at character {exc.start}, near "
            f"{around.decode('ascii', 'backslashreplace')!r}. Fix the value that holds it."
        ) from None


def _target(path: Path) -> Path:
    """Where a save really goes: through symlinks to their target, and only to a regular file.

    Replacing a symlink with a plain file would silently break the link (a shared
    checkpoint, a dotfiles folder); writing over a device or a FIFO is never a save.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise SavingError(f"Could not inspect {path} before saving: {exc}") from exc
    if not stat.S_ISREG(mode):
        kind = ("a folder" if stat.S_ISDIR(mode) else "a device" if stat.S_ISCHR(mode)
                or stat.S_ISBLK(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a socket"
                if stat.S_ISSOCK(mode) else "not a regular file")
        shown = f"{path} -> {target}" if target != path else str(path)
        raise SavingError(f"Expected a regular file to save into. Received: {shown}, {kind}.")
    return target


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; new files get the usual rw-r--r--."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o644


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort elsewhere."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

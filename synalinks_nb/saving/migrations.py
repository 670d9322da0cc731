"""Format versions of save files, and one migration function per version bump.

A file records ``format_version``. Loading upgrades it step by step
(``1 -> 2 -> ...``) to :data:`FORMAT_VERSION` before reading it, so files
written by any older release keep loading; a file from a *newer* release is a
:class:`~synalinks_nb.errors.FormatVersionError` (we cannot know what it
holds). A format change therefore always comes with: ``FORMAT_VERSION += 1``,
a ``_vN_to_vN+1`` function registered in :data:`MIGRATIONS`, and a test that
loads a file written in the old layout.

Format 1 (the first layout, before version histories)::

    {"format_version": 1, "synalinks_nb_version": "0.0.x",
     "program": {"class_name", "config"},
     "compile": null | {...},
     "variables": {"<module>/<name>": <value>, ...}}

Format 2 (current)::

    {"format": "synalinks_nb.program", "format_version": 2, "package_version": "0.1.0",
     "program": {"class_name", "config", "build_config", "module_names",
                 "language_models"},
     "compile_config": null | {"reward", "reward_weights", "optimizer", "metrics"},
     "optimizer_state": null | {...},
     "variables": [{"path", "value", "versions": [{index, value, source, ...}]}]}

``program.language_models`` (``[{"module", "language_model"}]``, optional: files
without it load as before) records each module's language model, so subclassed
programs get theirs back (:mod:`.language_models_io`).

Files saved by Synalinks (no ``format_version``; ``synalinks_version`` and
``class_name`` at the top) are turned into the current format by
:mod:`.synalinks_files` before anything else.

Variables files (``save_variables``) hold ``format``
(``"synalinks_nb.variables"``), ``format_version``, ``package_version`` and
``variables`` with the same layouts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from synalinks_nb.errors import CorruptedFileError, FormatVersionError

__all__ = ["FORMAT_VERSION", "MIGRATIONS", "PROGRAM_FORMAT", "VARIABLES_FORMAT", "upgrade"]

FORMAT_VERSION = 2
PROGRAM_FORMAT = "synalinks_nb.program"
VARIABLES_FORMAT = "synalinks_nb.variables"


def _v1_variables(values: Any) -> Any:
    if not isinstance(values, dict):
        return values  # left for the structural check to report
    return [
        {"path": path, "value": value,
         "versions": [{"index": 0, "value": value, "source": "load", "timestamp": 0.0,
                       "note": "migrated from format 1 (no history)"}]}
        for path, value in values.items()
    ]


def _v1_to_v2(document: dict[str, Any]) -> dict[str, Any]:
    """Format 1 -> 2: version histories, build configs, optimizer state, ``format`` tag."""
    out = dict(document)
    kind = PROGRAM_FORMAT if "program" in out else VARIABLES_FORMAT
    out["format"] = kind
    out["format_version"] = 2
    out["package_version"] = out.pop("synalinks_nb_version", None)
    out["variables"] = _v1_variables(out.get("variables"))
    if kind == PROGRAM_FORMAT:
        program = out.get("program")
        if isinstance(program, dict):
            out["program"] = {**program, "build_config": None, "module_names": None}
        out["compile_config"] = out.pop("compile", None)
        out["optimizer_state"] = None
    return out


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


def _from_synalinks(document: dict[str, Any], source: str) -> dict[str, Any]:
    """A Synalinks program file in our format; a Synalinks variables file is refused here."""
    from synalinks_nb.saving import synalinks_files

    if synalinks_files.is_synalinks_program(document):
        return synalinks_files.program_from_synalinks(document, source)
    if synalinks_files.is_synalinks_variables(document):
        raise FormatVersionError(
            f"{source}: expected a program file. Received: a Synalinks variables file (a state "
            "tree); load it into a program you built: program.load_variables(path)."
        )
    return document


def upgrade(
    document: Any, expected_format: str | tuple[str, ...], source: str
) -> dict[str, Any]:
    """``document`` migrated to :data:`FORMAT_VERSION`, after checking what it claims to be.

    Example:
        >>> doc = upgrade({"format_version": 1, "variables": {"g/instructions": {}}},
        ...               VARIABLES_FORMAT, "<string>")
        >>> doc["format_version"], doc["variables"][0]["versions"][0]["source"]
        (2, 'load')
    """
    if not isinstance(document, dict):
        raise CorruptedFileError(
            f"{source}: expected a JSON object at the top level. "
            f"Received: {type(document).__name__}"
        )
    document = _from_synalinks(document, source)
    version = document.get("format_version")
    if type(version) is not int:
        raise FormatVersionError(
            f"{source}: expected an integer 'format_version' (1 to {FORMAT_VERSION}). "
            f"Received: {str(version)[:40]!r}"
        )
    if version > FORMAT_VERSION:
        raise FormatVersionError(
            f"{source}: expected format_version <= {FORMAT_VERSION} (this synalinks_nb). "
            f"Received: {version}, written by a newer release; upgrade synalinks_nb to load it."
        )
    if version < 1:
        raise FormatVersionError(
            f"{source}: expected format_version in [1, {FORMAT_VERSION}]. Received: {version}"
        )
    while version < FORMAT_VERSION:
        document = MIGRATIONS[version](document)
        version += 1
    kind = document.get("format")
    expected = (expected_format,) if isinstance(expected_format, str) else expected_format
    if kind not in expected:
        wanted = " or ".join(map(repr, expected))
        raise CorruptedFileError(
            f"{source}: expected a {wanted} file. Received: format={str(kind)[:60]!r}"
        )
    upgraded: dict[str, Any] = document
    return upgraded

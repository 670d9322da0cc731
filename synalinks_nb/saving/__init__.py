"""Saving and loading: JSON only, atomic, safe (below programs; see DEVELOP.md).

One file holds a whole program: its architecture, its compile config and
optimizer state, every variable's value and version history, the format
version and the package version. ``program.save(path)`` writes it atomically;
``sn.Program.load(path)`` reads it back creating only built-in and registered
classes — never pickle, never ``eval``, never an import named by the file.

* :mod:`.saving_api` — save/load programs and variables, JSON strings;
* :mod:`.serialization_lib` — ``{"class_name", "config"}`` objects and secret scrubbing;
* :mod:`.language_models_io` — language models come back or are asked for; a file's
  ``api_base`` needs your trust (your keys would go there);
* :mod:`.migrations` — format versions and one migration per bump;
* :mod:`.synalinks_files`, :mod:`.synalinks_objects` — files saved by Synalinks, read as ours
  (or refused naming the key that has no faithful equivalent);
* :mod:`.variables_io` — values and histories, validated before use;
* :mod:`.compile_config` — rewards, metrics, optimizer and its state;
* :mod:`.file_io` — atomic writes and strict JSON reads.
"""

from __future__ import annotations

from synalinks_nb.saving.migrations import FORMAT_VERSION
from synalinks_nb.saving.saving_api import (
    load_program,
    load_variables,
    program_from_json,
    program_to_json,
    save_program,
    save_variables,
)
from synalinks_nb.saving.serialization_lib import (
    deserialize_synalinks_object,
    serialize_synalinks_object,
)
from synalinks_nb.utils.registry import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_synalinks_serializable,
)

__all__ = [
    "FORMAT_VERSION",
    "CustomObjectScope",
    "custom_object_scope",
    "deserialize_synalinks_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "load_program",
    "load_variables",
    "program_from_json",
    "program_to_json",
    "register_synalinks_serializable",
    "save_program",
    "save_variables",
    "serialize_synalinks_object",
]

"""Save and load whole programs, or just their variables (one JSON document each).

Saving builds the document (see :mod:`.migrations` for the layout), scrubs
secrets from it, and writes it atomically (:mod:`.file_io`). Loading reads
strict JSON, upgrades old formats, checks every class name against the
registry, rebuilds the program from its config (replaying functional graphs
symbolically; no language model is called), builds subclassed programs on
their recorded input schemas, compiles it as it was, and restores every
variable's value and history. Whatever goes wrong in a file is a
:class:`~synalinks_nb.errors.SavingError` that names the file and the place.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from synalinks_nb.errors import CorruptedFileError, SavingError
from synalinks_nb.language_models.usage import language_models_of
from synalinks_nb.saving import file_io
from synalinks_nb.saving.compile_config import (
    apply_compile_config,
    get_compile_config,
    get_optimizer_state,
)
from synalinks_nb.saving.language_models_io import (
    apply_overrides,
    check_complete,
    check_endpoints,
    overrides_from,
    record_language_models,
    restore_language_models,
)
from synalinks_nb.saving.migrations import (
    FORMAT_VERSION,
    PROGRAM_FORMAT,
    VARIABLES_FORMAT,
    upgrade,
)
from synalinks_nb.saving.serialization_lib import (
    check_language_models,
    is_program_class,
    known_secrets,
    scrub_secrets,
    serialize_synalinks_object,
)
from synalinks_nb.saving.synalinks_files import (
    is_synalinks_program,
    is_synalinks_variables,
    variables_from_synalinks,
)
from synalinks_nb.saving.variables_io import restore_variables, variables_to_json
from synalinks_nb.version import __version__

__all__ = [
    "LoadOptions",
    "load_program",
    "load_variables",
    "program_from_json",
    "program_to_json",
    "save_program",
    "save_variables",
]

PathLike = str | os.PathLike[str]
T = TypeVar("T")


# -- saving ---------------------------------------------------------------------------------


def program_document(program: Any) -> dict[str, Any]:
    """The whole save document of ``program``, secrets removed."""
    section = serialize_synalinks_object(program)
    # Functional and Sequential configs already hold every module's model.
    graph_in_config = "graph" in section["config"] or "layers" in section["config"]
    document = {
        "format": PROGRAM_FORMAT,
        "format_version": FORMAT_VERSION,
        "package_version": __version__,
        "program": {
            **section,
            "build_config": program.get_build_config(),
            "module_names": [[type(m).__name__, m.name] for m in program.submodules],
            "language_models": [] if graph_in_config else record_language_models(program),
        },
        "compile_config": get_compile_config(program),
        "optimizer_state": get_optimizer_state(program),
        "variables": variables_to_json(program.variables),
    }
    scrubbed: dict[str, Any] = scrub_secrets(document, known_secrets(language_models_of(program)))
    return scrubbed


def program_to_json(program: Any, **kwargs: Any) -> str:
    """The save document as a JSON string (``kwargs`` go to ``json.dumps``)."""
    return file_io.dumps(program_document(program), **kwargs)


def save_program(program: Any, filepath: PathLike, overwrite: bool = True) -> None:
    """Write ``program``'s save document to ``filepath`` atomically.

    Example:
        >>> import asyncio, pathlib, tempfile, synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> class Answer(sn.DataModel):
        ...     answer: str
        >>> lm = sn.ScriptedLanguageModel(responses=[{"answer": "Paris"}])
        >>> async def make():
        ...     x = sn.Input(data_model=Query)
        ...     y = await sn.Generator(data_model=Answer, language_model=lm)(x)
        ...     return sn.Program(inputs=x, outputs=y, name="qa", description="Answers.")
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "qa.json"
        >>> asyncio.run(make()).save(path)
        >>> loaded = sn.Program.load(path)
        >>> loaded.name, loaded.description
        ('qa', 'Answers.')
        >>> asyncio.run(loaded(Query(query="Capital of France?")))["answer"]
        'Paris'
    """
    text = program_to_json(program, indent=2)
    file_io.atomic_write_text(filepath, text, overwrite=overwrite)


def save_variables(program: Any, filepath: PathLike, overwrite: bool = True) -> None:
    """Write every variable's value and history to ``filepath`` atomically."""
    document = {
        "format": VARIABLES_FORMAT,
        "format_version": FORMAT_VERSION,
        "package_version": __version__,
        "variables": variables_to_json(program.variables),
    }
    secrets = known_secrets(language_models_of(program))
    text = file_io.dumps(scrub_secrets(document, secrets), indent=2)
    file_io.atomic_write_text(filepath, text, overwrite=overwrite)


# -- loading ----------------------------------------------------------------------------------


def _rebuild(section: Any, custom_objects: dict[str, Any] | None, source: str) -> Any:
    from synalinks_nb.utils.registry import get_registered_object

    if not isinstance(section, dict) or not isinstance(section.get("class_name"), str) \
            or not isinstance(section.get("config"), dict):
        raise CorruptedFileError(f"{source}: expected 'program' to be "
                                 "{'class_name': str, 'config': {...}}.")
    cls = get_registered_object(section["class_name"], custom_objects)
    if cls is None or not is_program_class(cls):
        from synalinks_nb.errors import UnknownObjectError

        raise UnknownObjectError(
            f"{source}: expected a built-in or registered Program class at program.class_name. "
            f"Received: {section['class_name'][:80]!r}. Register custom programs with "
            "@sn.saving.register_synalinks_serializable() or pass custom_objects."
        )
    program = cls.from_config(dict(section["config"]), custom_objects=custom_objects)
    build_config = section.get("build_config")
    if build_config is not None and not isinstance(build_config, dict):
        raise CorruptedFileError(f"{source}: expected program.build_config to be an object.")
    program.build_from_config(build_config)
    _rename_modules(program, section.get("module_names"))
    restore_language_models(program, section.get("language_models"))
    return program


def _rename_modules(program: Any, names: Any) -> None:
    """Give auto-named sub-modules (subclassed programs) their saved names back.

    A subclassed program's ``__init__`` names its modules from a global counter,
    so the same class can get ``generator_7`` where the file says ``generator_2``.
    When the module tree has the same shape, the saved names win, and the
    variable paths with them.
    """
    modules = program.submodules
    if not isinstance(names, list) or len(names) != len(modules):
        return
    pairs = []
    for module, item in zip(modules, names, strict=True):
        ok = isinstance(item, list) and len(item) == 2 and item[0] == type(module).__name__
        if not ok or not isinstance(item[1], str) or not item[1] or "/" in item[1]:
            return
        pairs.append((module, item[1]))
    for module, name in pairs:
        if module.name != name:
            module.rename(name)


@dataclasses.dataclass(frozen=True)
class LoadOptions:
    """What the caller gives a load besides the file (see :mod:`.language_models_io`).

    Attributes:
        custom_objects: registered-class overrides, functions, and language
            models by saved name.
        language_model: a model for every language model in the file, or
            ``{saved model name: model}``.
        trusted_api_bases: endpoints the file may name as ``api_base``.
        safe_mode: ``False`` trusts every endpoint the file names.
    """

    custom_objects: dict[str, Any] | None = None
    language_model: Any = None
    trusted_api_bases: Sequence[str] | None = None
    safe_mode: bool = True

    def __post_init__(self) -> None:
        overrides_from(self.custom_objects, self.language_model)  # raises on a wrong type
        bases = self.trusted_api_bases
        if bases is not None and (isinstance(bases, str) or not isinstance(bases, Sequence)
                                  or not all(isinstance(b, str) for b in bases)):
            raise TypeError("Expected trusted_api_bases to be a list of URL strings. "
                            f"Received: trusted_api_bases={bases!r}")
        if not isinstance(self.safe_mode, bool):
            raise TypeError(f"Expected safe_mode to be a bool. Received: {self.safe_mode!r}")


def program_from_document(
    document: Any, custom_objects: dict[str, Any] | None = None, source: str = "<string>",
    options: LoadOptions | None = None,
) -> Any:
    """Rebuild a program from a parsed save document (any supported format version)."""
    options = options or LoadOptions(custom_objects=custom_objects)
    overrides = overrides_from(options.custom_objects, options.language_model)

    def rebuild() -> Any:
        upgraded = upgrade(document, PROGRAM_FORMAT, source)
        check_language_models(upgraded.get("program"), f"{source}: program")
        if options.safe_mode:
            check_endpoints(upgraded, overrides, options.trusted_api_bases, source)
        program = _rebuild(upgraded.get("program"), options.custom_objects, source)
        apply_compile_config(program, upgraded.get("compile_config"),
                             upgraded.get("optimizer_state"), options.custom_objects,
                             f"{source}: compile_config")
        apply_overrides(program, overrides)
        restore_variables(program.variables, upgraded.get("variables"), source)
        check_complete(language_models_of(program), source)
        return program

    return _guarded(rebuild, source)


def _guarded(step: Callable[[], T], source: str) -> T:
    """Run a loading step; anything but a SavingError becomes a CorruptedFileError.

    Configs from a file reach constructors that validate with their own errors
    (ModuleError, TypeError for an unexpected argument...): for the caller they
    all mean the same thing, "this file does not describe a valid program".
    """
    try:
        return step()
    except SavingError:
        raise
    except Exception as exc:
        raise CorruptedFileError(
            f"{source}: the program could not be rebuilt from its config "
            f"({type(exc).__name__}: {str(exc)[:300]})"
        ) from exc


def program_from_json(
    json_string: str, custom_objects: dict[str, Any] | None = None, *,
    language_model: Any = None, trusted_api_bases: Sequence[str] | None = None,
    safe_mode: bool = True,
) -> Any:
    """Rebuild a program from :meth:`Program.to_json`'s output.

    The keyword arguments are :func:`load_program`'s.

    Example:
        >>> import synalinks_nb as sn
        >>> program = sn.Sequential([sn.Input(schema={"type": "object", "properties": {}}),
        ...                          sn.Identity(name="same")], name="chain")
        >>> sn.saving.program_from_json(program.to_json()).layers
        [<Identity name='same'>]
    """
    if not isinstance(json_string, str):
        raise CorruptedFileError(
            f"Expected a JSON string. Received: {type(json_string).__name__}"
        )
    options = LoadOptions(custom_objects, language_model, trusted_api_bases, safe_mode)
    return program_from_document(file_io.loads(json_string), options=options)


def load_program(
    filepath: PathLike, custom_objects: dict[str, Any] | None = None, *,
    language_model: Any = None, trusted_api_bases: Sequence[str] | None = None,
    safe_mode: bool = True,
) -> Any:
    """Load a program written by :func:`save_program` (see the module docstring).

    Args:
        filepath: the file.
        custom_objects: ``{name: class}`` for registered-class overrides, ``{name:
            function}`` for Lambda/Action code, ``{saved model name: model}``.
        language_model: a model to use for every language model in the file, or
            ``{saved model name: model}``. Needed when a model had code (a scripted
            ``handler``) or a password in its ``api_base``; the file's endpoint is
            then unused.
        trusted_api_bases: endpoints the file may send your credentials to
            (besides ``sn.config.trusted_api_bases``).
        safe_mode: ``False`` trusts every ``api_base`` in the file.

    Raises:
        UntrustedEndpointError: the file names an ``api_base`` you did not trust.
        MissingObjectError: a model needs code or a secret the file cannot hold.
        CorruptedFileError, UnknownObjectError, FormatVersionError: a bad file.
    """
    options = LoadOptions(custom_objects, language_model, trusted_api_bases, safe_mode)
    source = str(filepath)
    text = file_io.read_text(filepath)
    return program_from_document(file_io.loads(text, source), source=source, options=options)


def load_variables(program: Any, filepath: PathLike) -> None:
    """Restore ``program``'s variables from a :func:`save_variables` (or save) file.

    Files Synalinks wrote (``save_variables``' state tree, or a whole program
    file) are read too: :func:`~synalinks_nb.saving.synalinks_files.variables_from_synalinks`
    matches their states to this program's variables.
    """
    source = str(filepath)
    document = file_io.loads(file_io.read_text(filepath), source)
    if is_synalinks_program(document):  # only its state tree matters here
        document = document.get("variables")
    if is_synalinks_variables(document):
        document = variables_from_synalinks(document, program.variables, source)
    document = upgrade(document, (VARIABLES_FORMAT, PROGRAM_FORMAT), source)
    _guarded(lambda: restore_variables(program.variables, document.get("variables"), source),
             source)

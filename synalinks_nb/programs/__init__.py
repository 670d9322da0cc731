"""Programs: graphs of modules (layer 5)."""

from __future__ import annotations

from typing import Any

from synalinks_nb.programs.program import Program
from synalinks_nb.programs.sequential import Sequential
from synalinks_nb.utils.registry import register_builtin

__all__ = ["Program", "Sequential", "program_from_json"]

register_builtin(Program)
register_builtin(Sequential)


def program_from_json(json_string: str, custom_objects: dict[str, Any] | None = None,
                      **kwargs: Any) -> Program:
    """A program from :meth:`Program.to_json`'s output (Synalinks' ``programs`` path).

    The same as :func:`synalinks_nb.saving.program_from_json`, whose keyword arguments
    (``language_model=``, ``trusted_api_bases=``, ``safe_mode=``) it takes.

    Example:
        >>> import synalinks_nb as sn
        >>> program = sn.Sequential([sn.Input(schema={"type": "object", "properties": {}}),
        ...                          sn.Identity(name="same")], name="chain")
        >>> sn.programs.program_from_json(program.to_json()).name
        'chain'
    """
    # Saving sits below programs and never imports them: it is reached at call time.
    from synalinks_nb.saving.saving_api import program_from_json as load

    program: Program = load(json_string, custom_objects, **kwargs)
    return program

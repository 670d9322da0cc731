"""A Generator's ``prompt_template``: Synalinks' Jinja templates, and our older ``str.format`` ones.

Synalinks' ``prompt_template`` is a Jinja2 template for the system prompt, rendered
with four variables: ``instructions`` (text), ``examples`` (a list of
``(inputs, outputs)`` pairs), ``inputs_schema`` and ``outputs_schema`` (a JSON
schema, or ``None`` when the Generator does not show it). A Generator here renders
such a template with the same variables, in a sandboxed environment: a template
can come from a saved file, and must not reach Python internals.

One difference on purpose: a dict printed by ``{{ ... }}`` comes out as JSON
(``{"a": true}``), not as the Python repr Synalinks prints (``{'a': True}``): the
model is asked for JSON, and showing it Python spellings of the same values
teaches it the wrong ones.

A template with no Jinja syntax (``{{``, ``{%`` or ``{#``) is read as the
``str.format`` template this package used first (``{instructions}``,
``{examples}``, ``{inputs_schema}``, ``{outputs_schema}`` fields), so prompts
saved that way keep rendering as they did.
"""

from __future__ import annotations

import functools
import json
import string
from typing import Any

import jinja2
import jinja2.meta
import jinja2.sandbox

__all__ = ["TEMPLATE_FIELDS", "check_template", "default_prompt_template", "is_jinja",
           "render_template"]

TEMPLATE_FIELDS = frozenset({"instructions", "examples", "inputs_schema", "outputs_schema"})

# Synalinks renders with jinja2.Template's defaults (no autoescape, one trailing
# newline dropped); the sandbox keeps those and refuses unsafe attribute access.
_ENVIRONMENT = jinja2.sandbox.SandboxedEnvironment()
# A Generator renders the same template on every call: compile it once.
_compiled = functools.lru_cache(maxsize=64)(_ENVIRONMENT.from_string)


def default_prompt_template() -> str:
    """Synalinks' default ``prompt_template``: a Jinja2 template with tagged sections.

    A Generator given it renders its system prompt as Synalinks' does; a Generator
    given no template uses this package's default prompt instead (instructions,
    optional schemas, examples as chat turns).

    Example:
        >>> import synalinks_nb as sn
        >>> from synalinks_nb.modules.core.prompt_template import render_template
        >>> print(render_template(sn.default_prompt_template(), instructions="Be brief.",
        ...                       examples=[({"q": "1+1"}, {"a": "2"})]))
        <instructions>
        Be brief.
        </instructions>
        <examples>
        <BLANKLINE>
        <example>
        <input>
        {"q": "1+1"}
        </input>
        <output>
        {"a": "2"}
        </output>
        </example>
        <BLANKLINE>
        </examples>
    """
    return (
        "<instructions>\n{{ instructions }}\n</instructions>\n"
        "{% if inputs_schema %}\n<input_schema>\n{{ inputs_schema }}\n</input_schema>\n"
        "{% endif %}{% if outputs_schema %}\n<output_schema>\n{{ outputs_schema }}\n"
        "</output_schema>\n"
        "{% endif %}{% if examples %}\n<examples>\n{% for example in examples %}\n"
        "<example>\n<input>\n{{ example[0] }}\n</input>\n<output>\n{{ example[1] }}\n"
        "</output>\n</example>\n{% endfor %}\n</examples>\n{% endif %}"
    )


def is_jinja(template: str) -> bool:
    """Whether ``template`` is read as Jinja2 (it has Jinja syntax) rather than ``str.format``.

    Example:
        >>> is_jinja("{{ instructions }}"), is_jinja("{instructions}")
        (True, False)
    """
    return any(mark in template for mark in ("{{", "{%", "{#"))


def check_template(template: Any) -> str | None:
    """``template`` if it parses and uses only the four known variables, checked before any call.

    Raises:
        TypeError: the template is not a string.
        ValueError: it does not parse, or names a variable a Generator does not give.

    Example:
        >>> check_template("{{ instructions }} {{ question }}")
        Traceback (most recent call last):
        ...
        ValueError: Expected prompt_template variables among ['examples', 'inputs_schema', \
'instructions', 'outputs_schema']. Received: ['question']
    """
    if template is None:
        return None
    if not isinstance(template, str):
        raise TypeError("Expected prompt_template to be a Jinja2 (or str.format) template "
                        f"string. Received: {type(template).__name__}")
    try:
        if is_jinja(template):
            names = set(jinja2.meta.find_undeclared_variables(_ENVIRONMENT.parse(template)))
        else:
            names = {name for _, name, _, _ in string.Formatter().parse(template)
                     if name is not None}
    except (jinja2.TemplateSyntaxError, ValueError) as exc:
        raise ValueError(f"Expected prompt_template to be a valid Jinja2 template. Received: "
                         f"{template[:60]!r} ({exc})") from exc
    unknown = sorted(names - TEMPLATE_FIELDS)
    if unknown:
        raise ValueError(f"Expected prompt_template variables among {sorted(TEMPLATE_FIELDS)}. "
                         f"Received: {unknown}")
    return template


class _JsonDict(dict[str, Any]):
    """A dict that a template prints as JSON; its items stay reachable (``x.key``, ``x['key']``)."""

    def __str__(self) -> str:
        return _dumps(self)


class _JsonList(list[Any]):
    def __str__(self) -> str:
        return _dumps(self)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _printable(value: Any) -> Any:
    if isinstance(value, dict):
        return _JsonDict({k: _printable(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return _JsonList(_printable(v) for v in value)
    return value


def render_template(
    template: str,
    instructions: str,
    examples: list[tuple[dict[str, Any], dict[str, Any]]],
    inputs_schema: dict[str, Any] | None = None,
    outputs_schema: dict[str, Any] | None = None,
) -> str:
    """The system prompt ``template`` gives for these values (Jinja2, or ``str.format``).

    Raises:
        jinja2.TemplateError: the template fails while rendering (a sandbox refusal,
            an undefined operation); a Generator reports it as a ``ModuleError``.

    Example:
        >>> render_template("{{ instructions }}{% for x, y in examples %} | {{ x.q }}"
        ...                 "{% endfor %}", "Add.", [({"q": "1+1"}, {"a": "2"})])
        'Add. | 1+1'
    """
    if not is_jinja(template):
        return template.format(
            instructions=instructions,
            examples=_dumps([{"inputs": i, "outputs": o} for i, o in examples]),
            inputs_schema=_dumps(inputs_schema) if inputs_schema else "",
            outputs_schema=_dumps(outputs_schema) if outputs_schema else "",
        )
    return _compiled(template).render(
        instructions=instructions,
        examples=[(_printable(i), _printable(o)) for i, o in examples],
        inputs_schema=_printable(inputs_schema) if inputs_schema else None,
        outputs_schema=_printable(outputs_schema) if outputs_schema else None,
    )

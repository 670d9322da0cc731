"""``default_prompt_template()``: Synalinks' name for the Generator's template text.

Synalinks' templates are Jinja; a Generator here fills ``prompt_template`` with
``str.format`` (``{instructions}``, ``{inputs_schema}``, ``{outputs_schema}``,
``{examples}``), so this returns a template in that form with Synalinks' sections. Without
a ``prompt_template`` a Generator builds its prompt with
:func:`~synalinks_nb.modules.core.generator.default_prompt`, which leaves out empty
sections.
"""

from __future__ import annotations

__all__ = ["default_prompt_template"]


def default_prompt_template() -> str:
    """A ``prompt_template`` for ``Generator``, with Synalinks' tagged sections.

    Example:
        >>> import synalinks_nb as sn
        >>> print(sn.default_prompt_template().format(
        ...     instructions="Be brief.", inputs_schema="{}", outputs_schema="{}", examples="[]"))
        <instructions>
        Be brief.
        </instructions>
        <input_schema>
        {}
        </input_schema>
        <output_schema>
        {}
        </output_schema>
        <examples>
        []
        </examples>
    """
    return (
        "<instructions>\n{instructions}\n</instructions>\n"
        "<input_schema>\n{inputs_schema}\n</input_schema>\n"
        "<output_schema>\n{outputs_schema}\n</output_schema>\n"
        "<examples>\n{examples}\n</examples>"
    )

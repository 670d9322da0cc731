"""VariableHistory: versions of variables, with Revert and Edit (``js/variable_history.ts``).

The widget follows one :class:`~synalinks_nb.variables.Variable` or all the
trainable variables of a program. Its only synced trait, ``variables``, holds
one :class:`~.protocol.VariableEntry` per variable (current value, schema and
versions), refreshed whenever a variable changes (each variable notifies its
subscribers; the widget is held by them only weakly, see
:class:`~.widget_base.SynalinksWidget`). The view diffs any two versions itself.

It works outside ``fit``: the view sends ``revert`` and ``edit_variable``
messages; an edit is validated against the variable's schema, and a refused
edit or revert is answered with :class:`~.protocol.EditVariableError` or
:class:`~.protocol.RevertError`,
leaving the variable unchanged. Human edits are recorded with
``source="human"``, ``decided_by="human"``.
"""

from __future__ import annotations

import logging
from typing import Any

import traitlets

from synalinks_nb.errors import SynalinksNbError
from synalinks_nb.notebook import protocol as p
from synalinks_nb.notebook.reprs import history_html
from synalinks_nb.notebook.training_dashboard import version_entry
from synalinks_nb.notebook.widget_base import SynalinksWidget

__all__ = ["VariableHistory"]

_log = logging.getLogger(__name__)


class VariableHistory(SynalinksWidget):
    """Versions, diffs, Revert and Edit for a variable or a program's variables.

    Args:
        source: a :class:`~synalinks_nb.variables.Variable`, or a program (any
            object with ``trainable_variables``).

    Example:
        >>> import synalinks_nb as sn
        >>> from synalinks_nb.notebook import VariableHistory
        >>> v = sn.Variable(initializer={"instructions": "Be brief."},
        ...                 data_model=sn.Instructions, name="instructions", module="gen")
        >>> history = VariableHistory(v)
        >>> _ = v.assign({"instructions": "Be very brief.", "examples": []}, source="human")
        >>> history
        VariableHistory(variables=['gen/instructions'], versions=2)
        >>> history.handle_message({"type": "revert", "variable_path": "gen/instructions",
        ...                         "index": 0})
        >>> v.get_json()["instructions"], history.variables[0]["versions"][-1]["source"]
        ('Be brief.', 'revert')
    """

    _bundle = "variable_history"

    variables: traitlets.List[Any] = traitlets.List().tag(sync=True)
    """One :class:`~.protocol.VariableEntry` per variable: path, value, schema, versions."""

    def __init__(self, source: Any) -> None:
        super().__init__()
        if hasattr(source, "trainable_variables"):
            self._vars = list(source.trainable_variables)
        elif hasattr(source, "versions") and hasattr(source, "path"):
            self._vars = [source]
        else:
            raise TypeError(
                "Expected a Variable or a program with trainable_variables. "
                f"Received: {type(source).__name__}"
            )
        self._by_path = {v.path: v for v in self._vars}
        self.follow(self._vars, self._on_change)
        self.on_msg(lambda _w, content, _b: self.handle_message(content))
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the ``variables`` trait from the variables."""
        self.variables = [self._entry(v) for v in self._vars]

    def _entry(self, var: Any) -> dict[str, Any]:
        return p.to_json(
            p.VariableEntry(
                path=var.path,
                description=getattr(var, "description", ""),
                value=var.value,
                schema=var.schema,
                versions=[version_entry(var.path, v) for v in var.versions],
            )
        )

    def _on_change(self, variable: Any, _version: Any) -> None:
        entry = self._entry(variable)
        self.variables = [entry if e["path"] == variable.path else e for e in self.variables]

    def handle_message(self, content: Any) -> None:
        """Act on one message from the view: ``revert``, ``edit_variable`` (``ping`` answers)."""
        try:
            message = p.parse_frontend_message(content)
        except SynalinksNbError as exc:
            _log.warning("Ignoring widget message: %s", exc)
            return
        if isinstance(message, p.Revert):
            try:
                self._variable(message.variable_path).revert(message.index, decided_by="human")
            except (SynalinksNbError, ValueError) as exc:
                self.send(
                    p.RevertError(
                        variable_path=message.variable_path, message=str(exc)
                    ).to_message()
                )
        elif isinstance(message, p.EditVariable):
            try:
                self._variable(message.variable_path).assign(
                    message.value, source="human", decided_by="human"
                )
            except (SynalinksNbError, ValueError) as exc:
                self.send(
                    p.EditVariableError(
                        variable_path=message.variable_path, message=str(exc)
                    ).to_message()
                )

    def _variable(self, path: str) -> Any:
        if path not in self._by_path:
            raise SynalinksNbError(f"Expected one of {sorted(self._by_path)}. Received: {path!r}")
        return self._by_path[path]

    def __repr__(self) -> str:
        count = sum(len(v.versions) for v in self._vars)
        return f"VariableHistory(variables={[v.path for v in self._vars]!r}, versions={count})"

    def _fallback_html(self) -> str:
        return history_html(self.variables)

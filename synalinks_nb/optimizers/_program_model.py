"""Which language model an optimizer without one of its own writes with: the program's."""

from __future__ import annotations

from typing import Any

from synalinks_nb.modules.core.language_model_ref import LanguageModelRef

__all__ = ["OptimizerModel"]


class OptimizerModel:
    """An optimizer's ``language_model=``, falling back to the trained program's model.

    ``None`` means "the model of the program being trained" (its first Generator's
    with a model set), found by :meth:`bind` when ``fit`` begins, so a program on
    a hosted model is not optimized by the embedded one.

    Example:
        >>> import synalinks_nb as sn
        >>> lm = sn.ScriptedLanguageModel()
        >>> OptimizerModel(lm).get() is lm
        True
    """

    def __init__(self, spec: Any) -> None:
        self.ref = LanguageModelRef(spec)
        self._program: LanguageModelRef | None = None

    def bind(self, program: Any) -> None:
        """Remember the program's model (used when no model was given)."""
        self._program = None
        for variable in program.trainable_variables:
            ref = getattr(program.owner_of(variable), "language_model", None)
            if isinstance(ref, LanguageModelRef) and ref.spec is not None:
                self._program = ref
                return

    def get(self) -> Any:
        """The model to call: the given one, else the program's, else the default."""
        if self.ref.spec is None and self._program is not None:
            return self._program.get()
        return self.ref.get()

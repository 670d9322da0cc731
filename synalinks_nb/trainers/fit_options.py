"""``fit``'s Synalinks keywords about how much is run: steps, validation batches and epochs.

Synalinks' (and Keras') ``fit`` takes ``steps_per_epoch``, ``validation_steps``,
``validation_batch_size``, ``validation_freq`` and ``minibatch_size``; they mean the
same here, with one documented difference: ``minibatch_size`` defaults to ``None``
(proposals are confirmed on the whole confirmation data), where Synalinks draws 4
validation samples per batch. Four samples are a poor judge: with SmolLM2 a few-shot
candidate that wins on 8 samples lost on the 16 validation ones (see
:mod:`~synalinks_nb.trainers.acceptance`). Give an int to draw that many per step.

Beyond Synalinks: an epoch-end validation of a program whose variables (trainable or
not) hold exactly the values of the last validation repeats that validation's logs
without a call (``revalidate=False``, the default): at temperature 0 it would give the
same numbers, and a rejected proposal should not cost a validation run.
``revalidate=True`` runs it anyway: for a model that samples (a fresh estimate), or a
program that reads state outside its variables (a knowledge base a callback fills).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from synalinks_nb.trainers.data_adapter import check_positive_int

__all__ = ["FitOptions"]

_log = logging.getLogger(__name__)


@dataclass
class FitOptions:
    """The keywords above, checked; and the last validation's logs, kept for reuse.

    Example:
        >>> options = FitOptions(validation_freq=[2, 3])
        >>> [options.validates(epoch) for epoch in range(4)]  # epochs count from 0 here
        [False, True, True, False]
        >>> FitOptions(steps_per_epoch=2).batches([[0, 1], [2, 3], [4]])
        [[0, 1], [2, 3]]
        >>> FitOptions(validation_freq=0)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        ValueError: Expected validation_freq to be a positive int or a list of epochs ...
    """

    steps_per_epoch: int | None = None
    validation_steps: int | None = None
    validation_batch_size: int | None = None
    validation_freq: int | list[int] = 1
    minibatch_size: int | None = None
    revalidate: bool = False
    _last: tuple[str, dict[str, Any]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for name in ("steps_per_epoch", "validation_steps", "validation_batch_size",
                     "minibatch_size"):
            if getattr(self, name) is not None:
                check_positive_int(**{name: getattr(self, name)})
        freq = self.validation_freq
        valid = (isinstance(freq, int) and not isinstance(freq, bool) and freq > 0) or (
            isinstance(freq, list | tuple) and all(
                isinstance(e, int) and not isinstance(e, bool) and e > 0 for e in freq))
        if not valid:
            raise ValueError("Expected validation_freq to be a positive int or a list of "
                             f"epochs (1 for the first). Received: {freq!r}")

    def validates(self, epoch: int) -> bool:
        """Whether the epoch of index ``epoch`` (0 for the first) ends with a validation."""
        if isinstance(self.validation_freq, int):
            return (epoch + 1) % self.validation_freq == 0
        return epoch + 1 in self.validation_freq

    def batches(self, batches: list[list[int]]) -> list[list[int]]:
        """At most ``steps_per_epoch`` of an epoch's batches; a warning when there are fewer."""
        if self.steps_per_epoch is None:
            return batches
        if self.steps_per_epoch > len(batches):
            _log.warning("steps_per_epoch=%d but the training data makes %d batch(es) of this "
                         "size: each epoch runs %d.", self.steps_per_epoch, len(batches),
                         len(batches))
        return batches[:self.steps_per_epoch]

    def validation_data(self, xv: list[Any], yv: list[Any] | None, batch_size: int
                        ) -> tuple[list[Any], list[Any] | None, int]:
        """The validation samples one epoch-end validation runs (the first
        ``validation_steps`` batches, the same ones every epoch) and their batch size."""
        size = self.validation_batch_size or batch_size
        if self.validation_steps is None:
            return xv, yv, size
        n = self.validation_steps * size
        return xv[:n], None if yv is None else yv[:n], size

    def reusable(self, variables: list[Any]) -> dict[str, Any] | None:
        """The last validation's logs when ``variables`` hold the values they held then."""
        if self.revalidate or self._last is None:
            return None
        state, logs = self._last
        return dict(logs) if state == _state(variables) else None

    def remember(self, variables: list[Any], logs: dict[str, Any]) -> None:
        """Keep an epoch-end validation's logs with the values it measured."""
        self._last = (_state(variables), dict(logs))

    def minibatch(self, n: int, rng: Any) -> list[int] | None:
        """Positions of the confirmation samples one step draws (``None``: all of them)."""
        if self.minibatch_size is None or self.minibatch_size >= n:
            return None
        return sorted(rng.sample(range(n), self.minibatch_size))


def _state(variables: list[Any]) -> str:
    return json.dumps({v.path: v.get_json() for v in variables}, sort_keys=True, default=str)

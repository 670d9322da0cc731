"""``Dataset``: rows from a source, as batches of data models (Synalinks' streaming datasets).

A subclass yields raw rows (dicts) from :meth:`Dataset._iter_rows`; iterating the
dataset turns each row into an input data model (and a target, when the dataset has
one), repeats it ``repeat`` times, and yields batches of ``batch_size`` as NumPy object
arrays: ``(x,)``, or ``(x, y)`` with targets — what ``fit``/``evaluate`` and
``KnowledgeBase.update`` take. ``materialize()`` reads it all into one ``(x[, y])``.

Rows become data models directly (``input_data_model.model_validate(row)``) unless a
Jinja2 ``input_template`` (and ``output_template``) is given, as Synalinks requires:
here a template is only needed to reshape a row, and Jinja2 is imported only then.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.errors import DatasetError

__all__ = ["Dataset", "split_train_test"]

Batch = tuple[Any, ...]


def _schema(schema: dict[str, Any] | str | None) -> dict[str, Any] | None:
    if schema is None or isinstance(schema, dict):
        return schema
    if isinstance(schema, str):
        loaded: dict[str, Any] = json.loads(schema)
        return loaded
    raise DatasetError("Expected a schema as a dict or a JSON string. "
                       f"Received: {type(schema).__name__}")


class _Side:
    """How rows become one side's data models (inputs or targets)."""

    def __init__(self, data_model: Any, schema: dict[str, Any] | str | None,
                 template: str | None, side: str) -> None:
        if data_model is not None and schema is not None:
            raise DatasetError(f"Expected {side}_data_model or {side}_schema, not both. "
                               f"Received both.")
        self.data_model, self.schema = data_model, _schema(schema)
        self.template = None
        if template is not None:
            import jinja2  # only for templates: litellm, a dependency, brings it

            environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
            self.template = environment.from_string(template)

    def make(self, row: dict[str, Any]) -> Any:
        value = json.loads(self.template.render(**row)) if self.template is not None else row
        if self.schema is not None:
            return JsonDataModel(schema=self.schema, json=value)
        return self.data_model.model_validate(value)


class Dataset:
    """Base of the streaming datasets: subclasses implement ``_iter_rows()``.

    Args:
        input_data_model, input_schema: what each row becomes (one of them).
        input_template: optional Jinja2 template rendering a row to the input's JSON.
        output_data_model, output_schema, output_template: the targets, if any (a
            template alone gives targets shaped by the data model or schema given).
        batch_size: examples per batch (``None``: one batch of everything).
        limit: read at most this many rows.
        repeat: each example this many times in a row (GRPO-style groups).

    Example:
        >>> import synalinks_nb as sn
        >>> class Word(sn.DataModel):
        ...     word: str
        >>> class Words(sn.datasets.Dataset):
        ...     def _iter_rows(self):
        ...         yield from ({"word": w} for w in ["owl", "bee", "ant"])
        >>> [[x.word for x in batch[0]] for batch in Words(input_data_model=Word,
        ...                                                  batch_size=2)]
        [['owl', 'bee'], ['ant']]
    """

    def __init__(self, input_data_model: Any = None, input_schema: Any = None,
                 input_template: str | None = None, output_data_model: Any = None,
                 output_schema: Any = None, output_template: str | None = None,
                 batch_size: int | None = None, limit: int | None = None,
                 repeat: int = 1) -> None:
        if input_data_model is None and input_schema is None:
            raise DatasetError("Expected input_data_model or input_schema. Received neither.")
        if isinstance(repeat, bool) or not isinstance(repeat, int) or repeat < 1:
            raise DatasetError(f"Expected repeat to be a positive int. Received: {repeat!r}")
        if batch_size is not None and (isinstance(batch_size, bool)
                                       or not isinstance(batch_size, int) or batch_size < 1):
            raise DatasetError("Expected batch_size to be a positive int or None. "
                               f"Received: {batch_size!r}")
        self.inputs = _Side(input_data_model, input_schema, input_template, "input")
        with_targets = output_data_model is not None or output_schema is not None
        self.targets = _Side(output_data_model, output_schema, output_template, "output") \
            if with_targets else None
        self.batch_size, self.limit, self.repeat = batch_size, limit, repeat

    def _iter_rows(self) -> Iterator[dict[str, Any]]:
        """The raw rows, as dicts (the templates' variables)."""
        raise NotImplementedError(f"{type(self).__name__} must implement _iter_rows()")

    def _batch(self, xs: list[Any], ys: list[Any]) -> Batch:
        import numpy as np  # here: `import synalinks_nb` stays light

        x = np.empty(len(xs), dtype=object)
        x[:] = xs
        if self.targets is None:
            return (x,)
        y = np.empty(len(ys), dtype=object)
        y[:] = ys
        return (x, y)

    def __iter__(self) -> Iterator[Batch]:
        xs: list[Any] = []
        ys: list[Any] = []
        for count, row in enumerate(self._iter_rows()):
            if self.limit is not None and count >= self.limit:
                break
            x = self.inputs.make(row)
            y = self.targets.make(row) if self.targets is not None else None
            for _ in range(self.repeat):
                xs.append(x)
                ys.append(y)
                if self.batch_size is not None and len(xs) >= self.batch_size:
                    yield self._batch(xs, ys)
                    xs, ys = [], []
        if xs:
            yield self._batch(xs, ys)

    def _total_batches(self, num_rows: int) -> int:
        """The number of batches ``num_rows`` rows make (``batch_size=None``: one)."""
        examples = num_rows * self.repeat
        if self.batch_size is None:
            return 1 if examples else 0
        return -(-examples // self.batch_size)

    def __call__(self) -> Iterator[Batch]:
        """A fresh iterator over the batches."""
        return iter(self)

    def materialize(self) -> Batch:
        """Every batch concatenated: ``(x,)`` or ``(x, y)`` NumPy object arrays."""
        xs: list[Any] = []
        ys: list[Any] = []
        for batch in self:
            xs.extend(batch[0])
            if len(batch) > 1:
                ys.extend(batch[1])
        return self._batch(xs, ys)


def split_train_test(x: Any, y: Any, validation_split: float = 0.2
                     ) -> tuple[tuple[Any, Any], tuple[Any, Any]]:
    """The first ``1 - validation_split`` of the examples, then the rest (no shuffle).

    Example:
        >>> split_train_test(list("abcde"), list("ABCDE"), validation_split=0.4)
        ((['a', 'b', 'c'], ['A', 'B', 'C']), (['d', 'e'], ['D', 'E']))
    """
    if not 0.0 <= validation_split <= 1.0:
        raise DatasetError("Expected validation_split between 0 and 1. "
                           f"Received: {validation_split!r}")
    cut = int(len(x) * (1.0 - validation_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])

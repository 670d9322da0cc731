"""Turning ``x``/``y`` (lists, tuples, numpy object arrays) into samples and batches."""

from __future__ import annotations

import random
from typing import Any

from synalinks_nb.utils.tree import flatten

__all__ = [
    "batch_indices",
    "check_callbacks",
    "check_max_errors",
    "check_non_negative_int",
    "check_positive_int",
    "first_steps",
    "output_schema",
    "program_input",
    "split_validation",
    "to_list",
    "validation_pair",
]


def to_list(data: Any, name: str) -> list[Any] | None:
    """``data`` as a list (``None`` stays ``None``).

    Example:
        >>> to_list(({"q": 1}, {"q": 2}), "x")
        [{'q': 1}, {'q': 2}]
    """
    if data is None:
        return None
    if hasattr(data, "tolist") and hasattr(data, "ndim"):
        return [data[i] for i in range(len(data))]
    if isinstance(data, list | tuple):
        return list(data)
    raise TypeError(f"Expected {name} to be a list, a tuple or a numpy array of data models or "
                    f"dicts. Received: {type(data).__name__}")


def split_validation(x: list[Any], y: list[Any] | None, fraction: float
                     ) -> tuple[list[Any], list[Any] | None, list[Any], list[Any] | None]:
    """Hold out the **last** ``fraction`` of the samples (before any shuffling).

    Example:
        >>> split_validation([1, 2, 3, 4, 5], None, 0.4)
        ([1, 2, 3], None, [4, 5], None)
    """
    if isinstance(fraction, bool) or not isinstance(fraction, int | float) \
            or not 0.0 <= fraction < 1.0:
        raise ValueError(f"Expected validation_split in [0, 1). Received: {fraction!r}")
    n_val = round(len(x) * fraction)
    if n_val == 0:
        return x, y, [], None if y is None else []
    cut = len(x) - n_val
    return x[:cut], None if y is None else y[:cut], x[cut:], None if y is None else y[cut:]


def batch_indices(n: int, batch_size: int, shuffle: bool,
                  rng: random.Random) -> list[list[int]]:
    """Sample indices grouped in batches, shuffled with ``rng`` when asked.

    Example:
        >>> batch_indices(5, 2, False, random.Random(0))
        [[0, 1], [2, 3], [4]]
    """
    order = list(range(n))
    if shuffle:
        rng.shuffle(order)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def program_input(value: Any, program: Any) -> Any:
    """A sample as the program expects it: data models pass, dicts get the input schema."""
    if value is None or hasattr(value, "get_json"):
        return value
    if isinstance(value, dict):
        inputs = getattr(program, "inputs", None)
        leaves = flatten(inputs) if inputs is not None else []
        if len(leaves) != 1:
            raise TypeError(
                "Expected data models as x for a program without a single symbolic input. "
                f"Received: a dict for {getattr(program, 'name', 'the program')!r}"
            )
        from synalinks_nb.data_models.json_data_model import JsonDataModel

        return JsonDataModel(schema=leaves[0].get_schema(), json=value)
    return value


def output_schema(program: Any) -> dict[str, Any] | None:
    """The JSON schema of the program's one symbolic output (``None``: several, or none)."""
    outputs = getattr(program, "outputs", None)
    leaves = flatten(outputs) if outputs is not None else []
    if len(leaves) != 1 or not hasattr(leaves[0], "get_schema"):
        return None
    schema = leaves[0].get_schema()
    return schema if isinstance(schema, dict) else None


def validation_pair(data: Any) -> tuple[Any, Any]:
    if isinstance(data, tuple | list) and len(data) in (1, 2):
        return data[0], data[1] if len(data) == 2 else None
    raise ValueError("Expected validation_data to be a tuple (x_val, y_val). Received: "
                     f"{type(data).__name__}")


def check_max_errors(max_errors: Any) -> None:
    if max_errors is None:
        return
    if isinstance(max_errors, bool) or not isinstance(max_errors, int) or max_errors < 0:
        raise ValueError("Expected max_errors to be None or an int >= 0. Received: "
                         f"max_errors={max_errors!r}")


def check_non_negative_int(**values: Any) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f'Expected "{name}" to be an int >= 0. Received: {name}={value!r}')


def check_callbacks(callbacks: Any) -> list[Any]:
    """``callbacks`` as a list, or a ``TypeError`` saying what was expected."""
    if callbacks is None:
        return []
    if not isinstance(callbacks, list | tuple):
        raise TypeError("Expected callbacks to be a list of Callback objects. Received: "
                        f"{type(callbacks).__name__}")
    return list(callbacks)


def check_positive_int(**values: Any) -> None:
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f'Expected "{name}" to be a positive int. Received: {name}={value!r}')


def first_steps(xs: list[Any], ys: list[Any] | None, steps: int | None, batch_size: int
                 ) -> tuple[list[Any], list[Any] | None]:
    """The samples of the first ``steps`` batches (all of them when ``steps`` is None).

    Example:
        >>> first_steps([1, 2, 3, 4, 5], None, 2, 2)
        ([1, 2, 3, 4], None)
    """
    if steps is None:
        return xs, ys
    check_positive_int(steps=steps)
    n = steps * batch_size
    return xs[:n], None if ys is None else ys[:n]

"""``HyperParameters``: KerasTuner's way of declaring a search space inside ``build(hp)``.

A hypermodel calls ``hp.Boolean("use_cot")``, ``hp.Float("temperature", 0.0, 1.0)``,
``hp.Choice(...)``, ``hp.Int(...)`` or ``hp.Fixed(...)`` and gets a value back. Which
value depends on where ``hp`` comes from:

* during a search, the tuner's sampler chooses it (an optuna trial's ``suggest_*``);
* from ``tuner.get_best_hyperparameters()``, the value that trial used;
* on a fresh ``HyperParameters()``, the declared default (KerasTuner's behaviour), so
  ``build_program(HyperParameters())`` builds the default program.

Every call also records the parameter's range in ``space``, which ``GridSearch``
enumerates and the tuner saves with each trial.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.errors import TuningError

__all__ = ["HyperParameters"]

_SAMPLINGS = ("linear", "log", "reverse_log")


class HyperParameters:
    """A set of named hyperparameters: their ranges (``space``) and chosen ``values``.

    Example:
        >>> from synalinks_nb.tuners import HyperParameters
        >>> hp = HyperParameters()
        >>> hp.Boolean("use_cot", default=True), hp.Float("temperature", 0.0, 1.0)
        (True, 0.0)
        >>> hp.Choice("effort", ["low", "medium"]), hp.Int("k", 1, 9, step=2, default=5)
        ('low', 5)
        >>> hp.values
        {'use_cot': True, 'temperature': 0.0, 'effort': 'low', 'k': 5}
        >>> HyperParameters(values={"k": 7}).Int("k", 1, 9, step=2)
        7
    """

    def __init__(self, values: dict[str, Any] | None = None, *, trial: Any = None) -> None:
        self.values: dict[str, Any] = dict(values or {})
        self.space: dict[str, dict[str, Any]] = {}
        self._trial = trial

    def _pick(self, name: str, spec: dict[str, Any], default: Any) -> Any:
        if not isinstance(name, str) or not name:
            raise TuningError(f"Expected a hyperparameter name. Received: {name!r}")
        previous = self.space.get(name)
        if previous is not None and previous != spec:
            raise TuningError(f"Expected hyperparameter {name!r} to keep its range. "
                              f"Received: {spec} after {previous}")
        self.space[name] = spec
        if name not in self.values:
            self.values[name] = self._suggest(name, spec) if self._trial is not None else default
        return self.values[name]

    def _suggest(self, name: str, spec: dict[str, Any]) -> Any:
        trial, kind = self._trial, spec["type"]
        if kind in ("boolean", "choice"):
            return trial.suggest_categorical(name, spec["values"])
        log = spec["sampling"] != "linear"
        if kind == "float":
            return trial.suggest_float(name, spec["min_value"], spec["max_value"],
                                       step=spec["step"], log=log)
        return trial.suggest_int(name, spec["min_value"], spec["max_value"],
                                 step=spec["step"] or 1, log=log)

    def Boolean(self, name: str, default: bool = False, **conditions: Any) -> bool:
        """A choice between True and False."""
        _no_conditions(name, conditions)
        return bool(self._pick(name, {"type": "boolean", "values": [True, False]}, default))

    def Choice(self, name: str, values: list[Any], ordered: bool | None = None,
               default: Any = None, **conditions: Any) -> Any:
        """One of ``values`` (strings, numbers, booleans); the default is the first."""
        _no_conditions(name, conditions)
        if not values or not all(isinstance(v, str | int | float | bool) for v in values):
            raise TuningError(f"Expected {name!r} to choose among strings, numbers or "
                              f"booleans. Received: values={values!r}")
        if default is not None and default not in values:
            raise TuningError(f"Expected the default of {name!r} among {values}. "
                              f"Received: default={default!r}")
        return self._pick(name, {"type": "choice", "values": list(values)},
                          values[0] if default is None else default)

    def Float(self, name: str, min_value: float, max_value: float,
              step: float | None = None, sampling: str = "linear",
              default: float | None = None, **conditions: Any) -> float:
        """A float in ``[min_value, max_value]``; the default is ``min_value``."""
        _no_conditions(name, conditions)
        spec = _range_spec(name, "float", float(min_value), float(max_value), step, sampling)
        return float(self._pick(name, spec, min_value if default is None else default))

    def Int(self, name: str, min_value: int, max_value: int, step: int | None = None,
            sampling: str = "linear", default: int | None = None, **conditions: Any) -> int:
        """An int in ``[min_value, max_value]`` (every ``step``); the default is ``min_value``."""
        _no_conditions(name, conditions)
        spec = _range_spec(name, "int", int(min_value), int(max_value), step, sampling)
        return int(self._pick(name, spec, min_value if default is None else default))

    def Fixed(self, name: str, value: Any, **conditions: Any) -> Any:
        """A value that does not vary (recorded with the trial)."""
        _no_conditions(name, conditions)
        self.space[name] = {"type": "fixed", "values": [value]}
        self.values.setdefault(name, value)
        return self.values[name]

    def get(self, name: str) -> Any:
        """The value of ``name`` in this set."""
        if name not in self.values:
            raise TuningError(f"Expected a hyperparameter of this set ({sorted(self.values)}). "
                              f"Received: {name!r}")
        return self.values[name]

    def __getitem__(self, name: str) -> Any:
        return self.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.values

    def __repr__(self) -> str:
        return f"HyperParameters({self.values!r})"


def _range_spec(name: str, kind: str, low: float, high: float, step: float | None,
                sampling: str) -> dict[str, Any]:
    if not low < high:
        raise TuningError(f"Expected min_value < max_value for {name!r}. "
                          f"Received: min_value={low!r}, max_value={high!r}")
    if sampling not in _SAMPLINGS:
        raise TuningError(f"Expected sampling to be one of {_SAMPLINGS} for {name!r}. "
                          f"Received: sampling={sampling!r}")
    if sampling != "linear" and (low <= 0 or step is not None):
        raise TuningError(f"Expected a positive range and no step for the log sampling of "
                          f"{name!r}. Received: min_value={low!r}, step={step!r}")
    if step is not None and step <= 0:
        raise TuningError(f"Expected a positive step for {name!r}. Received: step={step!r}")
    return {"type": kind, "min_value": low, "max_value": high, "step": step,
            "sampling": sampling}


def _no_conditions(name: str, conditions: dict[str, Any]) -> None:
    if conditions:
        raise TuningError(
            f"Unexpected arguments for hyperparameter {name!r}: {sorted(conditions)} "
            "(conditional hyperparameters are not supported: use `if` in the hypermodel)")

"""Per-sample evaluation and comparison of two versions, sample by sample.

``await program.evaluate(x, y, return_results=True)`` returns an
:class:`EvaluationResult` instead of the usual dict of means: one
:class:`SampleResult` per input, in the order of the inputs whatever order the
samples finished in, each with its expected and predicted output, reward,
per-sample metrics, error and the :class:`~synalinks_nb.traces.CallTrace` of
its program call (every call is traced while such an evaluation runs, whatever
the tracing settings). ``result.logs`` is what ``evaluate`` returns otherwise.

:meth:`EvaluationResult.compare` lines two results on the same data up and says
which samples flipped: *fixed* (wrong before, right after) and *broken* (the
reverse), a sample being right when its reward reaches ``threshold``.
:func:`compare_versions` evaluates two versions of a variable that way without
touching the variable: each version is overlaid for its own evaluation only
(:func:`~synalinks_nb.variables.candidate_values`), so a ``predict`` running
elsewhere still sees the accepted value.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from synalinks_nb.metrics.metric import metric_logs
from synalinks_nb.traces.records import CallTrace, as_json
from synalinks_nb.traces.views import TraceList
from synalinks_nb.trainers.steps import PredictionFailure
from synalinks_nb.variables.variable import candidate_values

__all__ = ["ComparedSample", "Comparison", "EvaluationResult", "SampleResult",
           "compare_versions"]


@dataclass
class SampleResult:
    """One evaluated sample.

    Attributes:
        index: the sample's position in the inputs.
        inputs, expected, predicted: as JSON (``predicted`` is ``None`` when the call failed).
        reward: the combined reward (0 for a failed sample).
        metrics: each compiled metric computed on this sample alone.
        error: ``"<Type>: <message>"`` when the program call raised.
        trace: the trace of the program call, when one was recorded.
    """

    index: int
    inputs: Any
    expected: Any
    predicted: Any
    reward: float
    metrics: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    trace: CallTrace | None = None

    @property
    def trace_id(self) -> int | None:
        """The id of :attr:`trace`, or ``None``."""
        return None if self.trace is None else self.trace.id

    def to_dict(self) -> dict[str, Any]:
        """The row as plain JSON (the trace by id)."""
        return {"index": self.index, "inputs": self.inputs, "expected": self.expected,
                "predicted": self.predicted, "reward": self.reward, "metrics": self.metrics,
                "error": self.error, "trace_id": self.trace_id}


class EvaluationResult(Sequence[SampleResult]):
    """The rows of an evaluation, aligned with its inputs, and the mean logs.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Q(sn.DataModel):
        ...     q: str
        >>> class A(sn.DataModel):
        ...     a: str
        >>> lm = sn.ScriptedLanguageModel(handler=lambda m, s: {"a": "yes"})
        >>> async def run():
        ...     inputs = sn.Input(data_model=Q)
        ...     outputs = await sn.Generator(data_model=A, language_model=lm)(inputs)
        ...     program = sn.Program(inputs=inputs, outputs=outputs, name="yes_man")
        ...     program.compile(reward="exact_match")
        ...     return await program.evaluate([Q(q="1"), Q(q="2")], [A(a="yes"), A(a="no")],
        ...                                   return_results=True)
        >>> result = asyncio.run(run())
        >>> [(r.index, r.reward) for r in result], result.logs["reward"]
        ([(0, 1.0), (1, 0.0)], 0.5)
        >>> [r.index for r in result.failures()], result[1].trace.root
        ([1], 'yes_man')
    """

    def __init__(self, rows: Sequence[SampleResult], logs: dict[str, Any],
                 name: str = "") -> None:
        self.rows = list(rows)
        self.logs = dict(logs)
        self.name = name

    @overload
    def __getitem__(self, index: int) -> SampleResult: ...
    @overload
    def __getitem__(self, index: slice) -> list[SampleResult]: ...
    def __getitem__(self, index: int | slice) -> SampleResult | list[SampleResult]:
        return self.rows[index]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[SampleResult]:
        return iter(self.rows)

    def failures(self, threshold: float = 1.0) -> list[SampleResult]:
        """Rows that raised or scored below ``threshold``, lowest reward first."""
        bad = [r for r in self.rows if r.error is not None or r.reward < threshold]
        return sorted(bad, key=lambda r: (r.reward, r.index))

    @property
    def traces(self) -> TraceList:
        """The rows' traces, in row order (rows without one are skipped)."""
        return TraceList([r.trace for r in self.rows if r.trace is not None])

    def compare(self, other: EvaluationResult, threshold: float = 1.0) -> Comparison:
        """Which samples flipped between this result (before) and ``other`` (after)."""
        return Comparison(self, other, threshold)

    def to_dataframe(self) -> Any:
        """One row per sample: index, inputs, expected, predicted, reward, metrics, error,
        trace_id (pandas is imported here only)."""
        import pandas as pd

        records = []
        for r in self.rows:
            record = r.to_dict()
            record.update({f"metric_{k}": v for k, v in record.pop("metrics").items()})
            records.append(record)
        return pd.DataFrame(records)

    def __repr__(self) -> str:
        failed = len(self.failures())
        return (f"EvaluationResult({self.name + ', ' if self.name else ''}samples={len(self)}, "
                f"reward={self.logs.get('reward', 0.0):.3f}, below_1={failed})")

    def _repr_html_(self) -> str:
        head = "<tr><th>#</th><th>reward</th><th>expected</th><th>predicted</th><th>error</th>"
        body = "".join(
            f"<tr><td>{r.index}</td><td>{r.reward:.3f}</td><td>{_cell(r.expected)}</td>"
            f"<td>{_cell(r.predicted)}</td><td>{_cell(r.error or '')}</td></tr>"
            for r in self.rows[:200])
        return (f"<table class='sn-eval'><caption>{html.escape(repr(self))}</caption>"
                f"<thead>{head}</tr></thead><tbody>{body}</tbody></table>")


def _cell(value: Any) -> str:
    import json

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f"<code>{html.escape(text)}</code>"


@dataclass
class ComparedSample:
    """One sample evaluated twice.

    Attributes:
        status: ``"fixed"`` (wrong, then right), ``"broken"`` (right, then wrong),
            ``"right"`` or ``"wrong"`` (both times).
    """

    index: int
    inputs: Any
    expected: Any
    before: SampleResult
    after: SampleResult
    status: str

    def to_dict(self) -> dict[str, Any]:
        """The pair as plain JSON."""
        return {"index": self.index, "inputs": self.inputs, "expected": self.expected,
                "status": self.status, "predicted_before": self.before.predicted,
                "predicted_after": self.after.predicted, "reward_before": self.before.reward,
                "reward_after": self.after.reward, "trace_before": self.before.trace_id,
                "trace_after": self.after.trace_id}


class Comparison:
    """Two evaluations on the same inputs, sample by sample.

    Args:
        before, after: the two results (same inputs, same order).
        threshold: a sample is right when its reward is at least this.
    """

    def __init__(self, before: EvaluationResult, after: EvaluationResult,
                 threshold: float = 1.0) -> None:
        if len(before) != len(after) or any(a.inputs != b.inputs for a, b in zip(before, after,
                                                                                   strict=True)):
            raise ValueError(
                "Expected two evaluations of the same inputs in the same order. Received "
                f"{len(before)} and {len(after)} sample(s) with different inputs.")
        self.before, self.after, self.threshold = before, after, threshold
        self.rows = [ComparedSample(a.index, a.inputs, a.expected, a, b,
                                    _status(a.reward >= threshold, b.reward >= threshold))
                     for a, b in zip(before, after, strict=True)]

    @property
    def fixed(self) -> list[ComparedSample]:
        """Samples wrong before and right after."""
        return [r for r in self.rows if r.status == "fixed"]

    @property
    def broken(self) -> list[ComparedSample]:
        """Samples right before and wrong after."""
        return [r for r in self.rows if r.status == "broken"]

    @property
    def flipped(self) -> list[ComparedSample]:
        """Fixed and broken samples, in input order."""
        return [r for r in self.rows if r.status in ("fixed", "broken")]

    def to_dataframe(self) -> Any:
        """One row per sample, outputs side by side (pandas is imported here only)."""
        import pandas as pd

        return pd.DataFrame([r.to_dict() for r in self.rows])

    def __repr__(self) -> str:
        return (f"Comparison(samples={len(self.rows)}, fixed={len(self.fixed)}, "
                f"broken={len(self.broken)}, reward {self.before.logs.get('reward', 0.0):.3f}"
                f" -> {self.after.logs.get('reward', 0.0):.3f})")

    def _repr_html_(self) -> str:
        head = ("<tr><th>#</th><th>status</th><th>expected</th><th>before</th><th>after</th>"
                "</tr>")
        body = "".join(
            f"<tr><td>{r.index}</td><td>{r.status}</td><td>{_cell(r.expected)}</td>"
            f"<td>{_cell(r.before.predicted)}</td><td>{_cell(r.after.predicted)}</td></tr>"
            for r in self.flipped)
        return (f"<table class='sn-eval'><caption>{html.escape(repr(self))}</caption>"
                f"<thead>{head}</thead><tbody>{body}</tbody></table>")


def _status(right_before: bool, right_after: bool) -> str:
    if right_before != right_after:
        return "fixed" if right_after else "broken"
    return "right" if right_after else "wrong"


async def sample_rows(program: Any, xs: list[Any], ys: list[Any] | None,
                      outcomes: dict[int, tuple[Any, float]],
                      traces: dict[Any, CallTrace]) -> list[SampleResult]:
    """Rows in input order from ``{index: (prediction, reward)}`` and ``{index: trace}``."""
    rows = []
    for i, x in enumerate(xs):
        pred, reward = outcomes[i]
        expected = ys[i] if ys is not None else None
        failed = isinstance(pred, PredictionFailure)
        rows.append(SampleResult(
            index=i, inputs=as_json(x), expected=as_json(expected),
            predicted=None if failed else as_json(pred), reward=reward,
            metrics=await _metrics_of_one(program, expected, None if failed else pred),
            error=pred.message if failed else None, trace=traces.get(i)))
    return rows


async def _metrics_of_one(program: Any, y_true: Any, y_pred: Any) -> dict[str, float]:
    values = {}
    for metric in getattr(program, "metrics", []):
        # A fresh copy per sample: the compiled metric keeps the evaluation's running mean.
        alone = type(metric).from_config(metric.get_config())
        await alone.update_state(y_true, y_pred)
        values.update(metric_logs([alone]))
    return values


async def compare_versions(program: Any, x: Any, y: Any, variable: Any, before: Any,
                           after: Any = -1, batch_size: int = 32,
                           threshold: float = 1.0) -> Comparison:
    """Evaluate two values of ``variable`` on the same data; the variable is not changed.

    Args:
        program: a compiled program that uses ``variable``.
        x, y: the data, as for ``evaluate``.
        variable: the variable (``program.trainable_variables[0]``...).
        before, after: version indices (``-1`` is the current one) or JSON values.
        batch_size, threshold: as for ``evaluate`` and :class:`Comparison`.

    Example:
        See the tutorial ``03_training`` ("See inside").
    """
    results = []
    for which in (before, after):
        value = _version_value(variable, which)
        with candidate_values({variable: value}):
            result = await program.evaluate(x, y, batch_size=batch_size, verbose=0,
                                            return_results=True)
        result.name = f"v{which}" if isinstance(which, int) else "edited"
        results.append(result)
    return Comparison(results[0], results[1], threshold)


def _version_value(variable: Any, which: Any) -> Any:
    if isinstance(which, bool) or not isinstance(which, int):
        return which
    versions = variable.versions
    if not -len(versions) <= which < len(versions):
        raise ValueError(f"Expected a version index of {variable.path!r} in "
                         f"[0, {len(versions) - 1}] (or negative). Received: {which}")
    return versions[which].value

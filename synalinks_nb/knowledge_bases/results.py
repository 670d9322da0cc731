"""Rows read back: as records (``JsonDataModel``), fused by rank, or as ``json``/``csv``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from synalinks_nb.errors import KnowledgeBaseError
from synalinks_nb.knowledge_bases.tables import EMBEDDING, TableSpec

__all__ = ["OUTPUT_FORMATS", "format_rows", "reciprocal_rank_fusion", "record_of"]

OUTPUT_FORMATS = ("json", "csv")


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[dict[str, Any]]], key: str, k: int, k_rank: int = 60
) -> list[dict[str, Any]]:
    """Fuse ranked lists of rows: each row scores ``sum(1 / (k_rank + rank))`` (rank from 1).

    Rows are identified by ``row[key]``; the fused row keeps the first copy seen and
    its ``score`` becomes the fused score.

    Example:
        >>> a = [{"id": "x"}, {"id": "y"}]
        >>> b = [{"id": "y"}, {"id": "z"}]
        >>> [row["id"] for row in reciprocal_rank_fusion([a, b], "id", k=3)]
        ['y', 'x', 'z']
    """
    scores: dict[Any, float] = {}
    rows: dict[Any, dict[str, Any]] = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking, start=1):
            ident = row[key]
            scores[ident] = scores.get(ident, 0.0) + 1.0 / (k_rank + rank)
            rows.setdefault(ident, row)
    order = sorted(scores, key=lambda ident: (-scores[ident], str(ident)))[:k]
    return [{**rows[ident], "score": scores[ident]} for ident in order]


def format_rows(rows: list[dict[str, Any]], output_format: str) -> list[dict[str, Any]] | str:
    """Rows as a list of dicts (``"json"``) or a CSV string (``"csv"``, fewer tokens)."""
    if output_format == "json":
        return rows
    if output_format != "csv":
        raise KnowledgeBaseError(
            f"Expected output_format to be one of {OUTPUT_FORMATS}. "
            f"Received: output_format={output_format!r}")
    if not rows:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v) if isinstance(v, list | dict) else v
                         for k, v in row.items()})
    return buffer.getvalue()


def record_of(spec: TableSpec, row: dict[str, Any] | None) -> Any:
    """A stored row as a ``JsonDataModel`` of its table's schema (the vector left out)."""
    if row is None:
        return None
    from synalinks_nb.data_models.json_data_model import JsonDataModel

    schema = dict(spec.schema)
    schema["properties"] = {k: v for k, v in spec.schema.get("properties", {}).items()
                            if k != EMBEDDING}
    schema["required"] = [k for k in spec.schema.get("required", []) if k != EMBEDDING]
    return JsonDataModel(schema=schema, json=row, name=spec.name)

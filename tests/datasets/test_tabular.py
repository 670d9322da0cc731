"""CSV, JSON, JSON Lines and Parquet datasets on files written in tmp_path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

import synalinks_nb as sn
from synalinks_nb.errors import DatasetError, DatasetNotFoundError


class Question(sn.DataModel):
    question: str


class Answer(sn.DataModel):
    answer: int


QUESTION = '{"question": {{ question | tojson }}}'
ANSWER = '{"answer": {{ answer | int }}}'
ROWS = [{"question": "2+2?", "answer": 4}, {"question": "3+3?", "answer": 6},
        {"question": "5+5?", "answer": 10}]


def shaped(**kwargs: Any) -> dict[str, Any]:
    return {"input_data_model": Question, "input_template": QUESTION,
            "output_data_model": Answer, "output_template": ANSWER, **kwargs}


def pairs(dataset: sn.Dataset) -> list[tuple[str, int]]:
    x, y = dataset.materialize()
    return [(q.question, a.answer) for q, a in zip(x, y, strict=True)]


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    lines = ["question,answer"] + [f'"{r["question"]}",{r["answer"]}' for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_csv_reads_several_files_in_order_in_batches(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", ROWS[:2])
    second = write_csv(tmp_path / "b.csv", ROWS[2:])
    dataset = sn.CSVDataset([first, second], **shaped(batch_size=2))
    assert [len(batch[0]) for batch in dataset()] == [2, 1]
    assert pairs(dataset) == [("2+2?", 4), ("3+3?", 6), ("5+5?", 10)]


def test_csv_values_are_strings_and_quoted_newlines_survive(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('question,answer\n"line one\nline two, still",7\n', encoding="utf-8")
    (x,) = sn.CSVDataset(path, columns=["question"], input_data_model=Question).materialize()
    assert x[0].question == "line one\nline two, still"


def test_csv_headerless_with_column_names_and_dialect(tmp_path: Path) -> None:
    path = tmp_path / "q.tsv"
    path.write_text("2+2?\t4\textra\n", encoding="utf-8")
    dataset = sn.CSVDataset(path, delimiter="\t", column_names=["question", "answer"],
                            **shaped())
    assert pairs(dataset) == [("2+2?", 4)]  # the ragged third field is dropped


def test_json_and_jsonl_give_the_same_examples(tmp_path: Path) -> None:
    array = tmp_path / "rows.json"
    array.write_text(json.dumps(ROWS), encoding="utf-8")
    lines = tmp_path / "rows.jsonl"
    lines.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n\n", encoding="utf-8")
    assert pairs(sn.JSONDataset(array, **shaped())) == \
        pairs(sn.JSONLDataset(lines, **shaped())) == [("2+2?", 4), ("3+3?", 6), ("5+5?", 10)]


def test_json_rows_become_data_models_without_a_template(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS), encoding="utf-8")
    dataset = sn.JSONLDataset(path, columns=["answer"], input_data_model=Answer, limit=2)
    assert [a.answer for a in dataset.materialize()[0]] == [4, 6]


def test_json_errors_name_the_file_and_what_was_found(tmp_path: Path) -> None:
    obj = tmp_path / "obj.json"
    obj.write_text('{"question": "x"}', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"JSON array of objects.*Received: a dict"):
        sn.JSONDataset(obj, **shaped()).materialize()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "x", "answer": 1}\nnot json\n', encoding="utf-8")
    with pytest.raises(DatasetError, match=r"line 2 of .*bad\.jsonl\. Received: 'not json'"):
        sn.JSONLDataset(bad, **shaped()).materialize()
    scalar = tmp_path / "scalar.jsonl"
    scalar.write_text("3\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"scalar.jsonl:1 to be a JSON object.*a int"):
        sn.JSONLDataset(scalar, **shaped()).materialize()


def test_missing_or_no_files_fail_when_built(tmp_path: Path) -> None:
    with pytest.raises(DatasetNotFoundError, match=r"existing CSV file.*nope\.csv"):
        sn.CSVDataset(tmp_path / "nope.csv", **shaped())
    with pytest.raises(FileNotFoundError):  # Synalinks' exception type still catches it
        sn.ParquetDataset(str(tmp_path / "nope.parquet"), **shaped())
    with pytest.raises(DatasetError, match="at least one JSONL file"):
        sn.JSONLDataset([], **shaped())


def write_parquet(path: Path) -> Path:
    values = ", ".join(f"('{r['question']}', {r['answer']}, [1, 2])" for r in ROWS)
    duckdb.execute(f"COPY (SELECT * FROM (VALUES {values}) t(question, answer, extra)) "
                   f"TO '{path}' (FORMAT parquet)")
    return path


def test_parquet_keeps_types_reads_in_chunks_and_knows_its_length(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "rows.parquet")
    dataset = sn.ParquetDataset([path, path], batch_size_rows=2, batch_size=4, **shaped(
        output_template='{"answer": {{ answer + extra[1] }}}'))
    assert len(dataset) == 2  # 6 rows from the footers, in batches of 4
    assert pairs(dataset)[-1] == ("5+5?", 12)  # answer stayed an int, extra a list


def test_parquet_columns_are_read_alone_and_an_unknown_one_is_named(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "rows.parquet")
    dataset = sn.ParquetDataset(path, columns=["question"], input_data_model=Question)
    assert [q.question for q in dataset.materialize()[0]] == ["2+2?", "3+3?", "5+5?"]
    with pytest.raises(DatasetError, match=r"columns asked for.*nope"):
        sn.ParquetDataset(path, columns=["nope"], input_data_model=Question).materialize()


def test_len_needs_a_limit_for_streamed_formats(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", ROWS)
    with pytest.raises(NotImplementedError, match="limit="):
        len(sn.CSVDataset(path, **shaped()))
    assert len(sn.CSVDataset(path, limit=3, repeat=2, batch_size=4, **shaped())) == 2
    assert len(sn.CSVDataset(path, limit=3, batch_size=None, **shaped())) == 1

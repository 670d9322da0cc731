"""Datasets over local files of rows: CSV, JSON, JSON Lines and Parquet (Synalinks' names).

Each class only reads rows (dicts) from one or more files, in order; turning rows into
batches of data models is :class:`~synalinks_nb.datasets.dataset.Dataset`'s job. Files
are checked to exist when the dataset is built, read when it is iterated, one row at a
time except JSON (one array per file). Parquet is read by DuckDB, already a dependency,
so no pyarrow is needed.

``len(dataset)`` (the number of batches) needs ``limit=`` except for Parquet, whose row
count is in the file's footer — as in Synalinks.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator, Sequence
from typing import Any

from synalinks_nb.datasets.dataset import Dataset
from synalinks_nb.errors import DatasetError, DatasetNotFoundError

__all__ = ["CSVDataset", "JSONDataset", "JSONLDataset", "ParquetDataset"]

PathArg = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


def _paths(path: PathArg, kind: str) -> list[str]:
    paths = [os.fspath(path)] if isinstance(path, (str, os.PathLike)) else \
        [os.fspath(p) for p in path]
    if not paths:
        raise DatasetError(f"Expected path to name at least one {kind} file. Received: []")
    for p in paths:
        if not os.path.exists(p):
            raise DatasetNotFoundError(f"Expected an existing {kind} file. Received: {p!r} "
                                       "(no such file)")
    return paths


class _FileDataset(Dataset):
    """Rows from files of one format; subclasses implement ``_file_rows(path)``."""

    kind = ""

    def __init__(self, path: PathArg, *, columns: Sequence[str] | None = None,
                 batch_size: int | None = 1, limit: int | None = None, repeat: int = 1,
                 **shape: Any) -> None:
        super().__init__(batch_size=batch_size, limit=limit, repeat=repeat, **shape)
        self.paths = _paths(path, self.kind)
        self.columns = list(columns) if columns is not None else None

    def _file_rows(self, path: str) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def _iter_rows(self) -> Iterator[dict[str, Any]]:
        for path in self.paths:
            for row in self._file_rows(path):
                # Like a Parquet column push-down: a column a file lacks is left out.
                yield row if self.columns is None else \
                    {k: row[k] for k in self.columns if k in row}

    def _num_rows(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} has an unknown length: pass "
                                  "limit=... to use len()")

    def __len__(self) -> int:
        """The number of batches (needs ``limit`` unless the format stores a row count)."""
        rows = self.limit if self.limit is not None else self._num_rows()
        return self._total_batches(rows)


class CSVDataset(_FileDataset):
    """Rows of CSV files (``csv.DictReader``: every value is a string).

    Args:
        path: a file or a list of files with the same columns, read in order.
        delimiter, quotechar, encoding: the CSV dialect.
        column_names: names for the columns; the first line is then data, not a header.
        columns: keep only these columns (missing ones are left out).
        input_data_model, input_schema, input_template, output_data_model,
        output_schema, output_template, batch_size, limit, repeat: see
            :class:`~synalinks_nb.datasets.dataset.Dataset` (batches of 1 by default).

    Example:
        >>> import pathlib, tempfile, synalinks_nb as sn
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "qa.csv"
        >>> _ = f.write_text("question,answer\\n2+2?,4\\n3+3?,6\\n")
        >>> class Q(sn.DataModel):
        ...     question: str
        >>> class A(sn.DataModel):
        ...     answer: int
        >>> x, y = sn.datasets.CSVDataset(
        ...     f, input_data_model=Q, output_data_model=A,
        ...     input_template='{"question": {{ question | tojson }}}',
        ...     output_template='{"answer": {{ answer | int }}}').materialize()
        >>> [q.question for q in x], [a.answer for a in y]
        (['2+2?', '3+3?'], [4, 6])
    """

    kind = "CSV"

    def __init__(self, path: PathArg, *, delimiter: str = ",", quotechar: str = '"',
                 encoding: str = "utf-8", column_names: Sequence[str] | None = None,
                 columns: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(path, columns=columns, **kwargs)
        self.delimiter, self.quotechar, self.encoding = delimiter, quotechar, encoding
        self.column_names = list(column_names) if column_names is not None else None

    def _file_rows(self, path: str) -> Iterator[dict[str, Any]]:
        return csv_rows(path, delimiter=self.delimiter, quotechar=self.quotechar,
                        encoding=self.encoding, column_names=self.column_names)


def csv_rows(path: str, *, delimiter: str = ",", quotechar: str = '"',
             encoding: str = "utf-8", column_names: list[str] | None = None
             ) -> Iterator[dict[str, Any]]:
    """The rows of a CSV file, every value a string."""
    # newline="": the csv module handles line ends, so quoted newlines survive.
    with open(path, encoding=encoding, newline="") as handle:
        for row in csv.DictReader(handle, fieldnames=column_names, delimiter=delimiter,
                                  quotechar=quotechar):
            # Surplus fields of a ragged row sit under the key None, which a
            # template's **row cannot take: they are dropped, as in Synalinks.
            row.pop(None, None)
            yield dict(row)


class JSONDataset(_FileDataset):
    """Rows of JSON files, each holding one array of objects.

    Arguments as :class:`CSVDataset`: ``path``, ``encoding``, ``columns`` and the
    :class:`~synalinks_nb.datasets.dataset.Dataset` arguments.

    Example:
        >>> import json, pathlib, tempfile, synalinks_nb as sn
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "rows.json"
        >>> _ = f.write_text(json.dumps([{"word": "owl"}, {"word": "bee"}]))
        >>> class Word(sn.DataModel):
        ...     word: str
        >>> [w.word for w in sn.datasets.JSONDataset(f, input_data_model=Word,
        ...                                           batch_size=None).materialize()[0]]
        ['owl', 'bee']
    """

    kind = "JSON"

    def __init__(self, path: PathArg, *, encoding: str = "utf-8",
                 columns: Sequence[str] | None = None, **kwargs: Any) -> None:
        super().__init__(path, columns=columns, **kwargs)
        self.encoding = encoding

    def _file_rows(self, path: str) -> Iterator[dict[str, Any]]:
        return json_rows(path, self.encoding)


class JSONLDataset(JSONDataset):
    """Rows of JSON Lines files: one object per line, blank lines skipped.

    Arguments as :class:`JSONDataset`.

    Example:
        >>> import pathlib, tempfile, synalinks_nb as sn
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "rows.jsonl"
        >>> _ = f.write_text('{"word": "owl"}\\n\\n{"word": "bee"}\\n')
        >>> class Word(sn.DataModel):
        ...     word: str
        >>> len(sn.datasets.JSONLDataset(f, input_data_model=Word, limit=2))
        2
    """

    kind = "JSONL"

    def _file_rows(self, path: str) -> Iterator[dict[str, Any]]:
        return jsonl_rows(path, self.encoding)


def json_rows(path: str, encoding: str = "utf-8") -> Iterator[dict[str, Any]]:
    """The objects of a JSON file holding one array of objects."""
    with open(path, encoding=encoding) as handle:
        data = json.load(handle)
    if not isinstance(data, list):
        raise DatasetError(f"Expected {path} to hold a JSON array of objects (use "
                           f"JSONLDataset for one object per line). Received: a "
                           f"{type(data).__name__}")
    for row in data:
        yield _object(row, path)


def jsonl_rows(path: str, encoding: str = "utf-8") -> Iterator[dict[str, Any]]:
    """The objects of a JSON Lines file, one a line; blank lines are skipped."""
    with open(path, encoding=encoding) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise DatasetError(f"Expected a JSON object on line {number} of {path}. "
                                   f"Received: {line.strip()[:80]!r} ({error.msg})") from error
            yield _object(row, f"{path}:{number}")


def _object(row: Any, where: str) -> dict[str, Any]:
    if not isinstance(row, dict):
        raise DatasetError(f"Expected each row of {where} to be a JSON object. "
                           f"Received: a {type(row).__name__}")
    return row


class ParquetDataset(_FileDataset):
    """Rows of Parquet files, read by DuckDB ``batch_size_rows`` rows at a time.

    Arguments as :class:`CSVDataset`: ``path``, ``columns`` (read only these columns),
    ``batch_size_rows`` (rows per read) and the
    :class:`~synalinks_nb.datasets.dataset.Dataset` arguments. ``len()`` works without
    ``limit``: the row count comes from the files' metadata.

    Example:
        >>> import pathlib, tempfile, duckdb, synalinks_nb as sn
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "rows.parquet"
        >>> _ = duckdb.execute(f"COPY (SELECT 'owl' AS word, 2 AS n) TO '{f}' (FORMAT parquet)")
        >>> class Word(sn.DataModel):
        ...     word: str
        >>> ds = sn.datasets.ParquetDataset(f, columns=["word"], input_data_model=Word)
        >>> len(ds), ds.materialize()[0][0].word
        (1, 'owl')
    """

    kind = "Parquet"

    def __init__(self, path: PathArg, *, columns: Sequence[str] | None = None,
                 batch_size_rows: int = 1024, **kwargs: Any) -> None:
        super().__init__(path, columns=columns, **kwargs)
        self.batch_size_rows = batch_size_rows

    def _file_rows(self, path: str) -> Iterator[dict[str, Any]]:
        # Only the asked-for columns are read (DuckDB pushes the projection down).
        select = ", ".join(_quote(c) for c in self.columns) if self.columns else "*"
        yield from parquet_rows(path, select, self.batch_size_rows)

    def _num_rows(self) -> int:
        total = 0
        for path in self.paths:
            cursor = _parquet_query(path, "count(*)")
            total += int(cursor.fetchone()[0])
            cursor.close()
        return total


def _parquet_query(path: str, select: str) -> Any:
    import duckdb  # here: `import synalinks_nb` stays light

    connection = duckdb.connect()
    try:
        return connection.execute(f"SELECT {select} FROM read_parquet(?)", [path])
    except duckdb.Error as error:
        connection.close()
        raise DatasetError(f"Expected {path} to be a Parquet file with the columns "
                           f"asked for. Received: {error}") from error


def parquet_rows(path: str, select: str = "*", chunk: int = 1024
                 ) -> Iterator[dict[str, Any]]:
    """The rows of a Parquet file, read ``chunk`` at a time."""
    cursor = _parquet_query(path, select)
    names = [d[0] for d in cursor.description]
    try:
        while rows := cursor.fetchmany(chunk):
            for values in rows:
                yield dict(zip(names, values, strict=True))
    finally:
        cursor.close()


def file_rows(path: str, encoding: str = "utf-8") -> Iterator[dict[str, Any]]:
    """The rows of a ``.csv``, ``.json``, ``.jsonl`` or ``.parquet`` file, by its suffix."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".parquet":
        yield from parquet_rows(path)
        return
    if suffix == ".csv":
        yield from csv_rows(path, encoding=encoding)
    elif suffix == ".json":
        yield from json_rows(path, encoding)
    elif suffix == ".jsonl":
        yield from jsonl_rows(path, encoding)
    else:
        raise DatasetError(f"Expected a .csv, .json, .jsonl or .parquet file. Received: {path}")


def _quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'

"""Full-text ranking with BM25, in plain DuckDB SQL (no ``fts`` extension).

DuckDB's ``fts`` extension is downloaded at run time, which an offline machine
cannot do, so the index is two ordinary tables next to each data table:

* ``__sn_bm25_<table>(id, term, tf)`` — one posting per (row, term) with its count;
* ``__sn_len_<table>(id, len)`` — each row's length in terms.

Rows are tokenised by one SQL macro, ``sn_tokens``, used both when indexing and
when querying, so the two agree by construction: lower-case, split on anything
that is not a letter or digit, drop one-letter tokens and English stop words,
and fold plurals (``cities`` → ``city``, ``cats`` → ``cat``). Updating a row
rewrites only its postings. The score of a row for a query is the classic
Okapi BM25 sum over the query's distinct terms::

    idf(t) * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avg_len))
    idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.knowledge_bases.tables import TableSpec, quote

__all__ = ["DEFAULT_B", "DEFAULT_K1", "STOP_WORDS", "TOKENS_MACRO", "BM25Index"]

DEFAULT_K1 = 1.2
DEFAULT_B = 0.75

STOP_WORDS = (
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "did", "do", "does", "for", "from",
    "had", "has", "have", "he", "her", "his", "how", "in", "into", "is", "it", "its", "of",
    "on", "or", "she", "that", "the", "their", "them", "there", "these", "they", "this", "to",
    "was", "were", "what", "when", "where", "which", "who", "why", "will", "with",
)

_STOP_LIST = "[" + ", ".join(f"'{w}'" for w in STOP_WORDS) + "]"

TOKENS_MACRO = (
    "CREATE OR REPLACE TEMP MACRO sn_tokens(txt) AS list_transform("
    "list_filter(regexp_split_to_array(lower(coalesce(txt, '')), '[^\\pL\\pN]+'), "
    f"lambda t: length(t) > 1 AND NOT list_contains({_STOP_LIST}, t)), "
    "lambda t: CASE WHEN length(t) > 4 AND suffix(t, 'ies') THEN t[:-4] || 'y' "
    "WHEN length(t) > 3 AND suffix(t, 's') AND NOT suffix(t, 'ss') "
    "AND NOT suffix(t, 'us') THEN t[:-2] ELSE t END)"
)


class BM25Index:
    """The postings and length tables of one data table.

    Args:
        table: the data table indexed.
    """

    def __init__(self, table: TableSpec) -> None:
        self.table = table
        self.postings = quote(f"__sn_bm25_{table.name}")
        self.lengths = quote(f"__sn_len_{table.name}")

    def create_sql(self) -> list[str]:
        """Statements creating the index tables."""
        return [
            f"CREATE TABLE IF NOT EXISTS {self.postings} (id VARCHAR, term VARCHAR, tf INTEGER)",
            f"CREATE TABLE IF NOT EXISTS {self.lengths} (id VARCHAR PRIMARY KEY, len INTEGER)",
        ]

    def drop_sql(self) -> list[str]:
        """Statements dropping the index tables."""
        return [f"DROP TABLE IF EXISTS {self.postings}", f"DROP TABLE IF EXISTS {self.lengths}"]

    def delete_sql(self) -> list[str]:
        """Statements removing the postings of the ids bound to ``$ids`` (a list)."""
        return [f"DELETE FROM {t} WHERE id IN (SELECT unnest($ids::VARCHAR[]))"
                for t in (self.postings, self.lengths)]

    def index_sql(self) -> list[str]:
        """Statements (re)indexing the rows whose keys are bound to ``$ids``."""
        text = " || ' ' || ".join(f"coalesce({quote(c)}, '')" for c in self.table.text_columns)
        text = text or "''"
        key = quote(self.table.key)
        source = (f"SELECT CAST({key} AS VARCHAR) AS id, sn_tokens({text}) AS terms "
                  f"FROM {quote(self.table.name)} "
                  f"WHERE CAST({key} AS VARCHAR) IN (SELECT unnest($ids::VARCHAR[]))")
        return [
            *self.delete_sql(),
            f"INSERT INTO {self.lengths} SELECT id, len(terms) FROM ({source})",
            f"INSERT INTO {self.postings} SELECT id, term, count(*) FROM "
            f"(SELECT id, unnest(terms) AS term FROM ({source})) GROUP BY id, term",
        ]

    def search_sql(self, *, conjunctive: bool, threshold: float | None) -> str:
        """A query ranking rows for ``$query``; binds ``$k``, ``$k1``, ``$b``.

        Returns the rows' columns (without the embedding) and ``score``.
        """
        having = "HAVING count(*) = (SELECT count(*) FROM q)" if conjunctive else ""
        where = f"WHERE s.score >= {float(threshold)!r}" if threshold is not None else ""
        columns = ", ".join(f"t.{quote(name)}" for name, _ in self.table.columns)
        return f"""
            WITH q AS (SELECT DISTINCT unnest(sn_tokens($query)) AS term),
            stats AS (SELECT count(*)::DOUBLE AS n, avg(len)::DOUBLE AS avg_len
                      FROM {self.lengths}),
            df AS (SELECT p.term, count(*)::DOUBLE AS df FROM {self.postings} p
                   JOIN q ON p.term = q.term GROUP BY p.term),
            s AS (
                SELECT p.id, sum(ln(1 + (stats.n - df.df + 0.5) / (df.df + 0.5))
                    * p.tf * ($k1 + 1)
                    / (p.tf + $k1 * (1 - $b + $b * l.len / greatest(stats.avg_len, 1))))
                    AS score
                FROM {self.postings} p JOIN df ON p.term = df.term
                JOIN {self.lengths} l ON l.id = p.id CROSS JOIN stats
                GROUP BY p.id {having})
            SELECT {columns}, s.score AS score FROM s
            JOIN {quote(self.table.name)} t ON CAST(t.{quote(self.table.key)} AS VARCHAR) = s.id
            {where}
            ORDER BY s.score DESC, s.id LIMIT $k"""

    @staticmethod
    def params(query: str, k: int, k1: float | None, b: float | None) -> dict[str, Any]:
        """The bound parameters of :meth:`search_sql`."""
        return {"query": query, "k": k, "k1": DEFAULT_K1 if k1 is None else k1,
                "b": DEFAULT_B if b is None else b}

"""``Text2SQL`` and ``Text2Cypher``: a language model writes one read-only query, the
knowledge base runs it.

Each module concatenates the knowledge base's schema (tables and columns, or
node and edge labels with their properties) to its input, fetched at every call
so tables created since are seen, asks its :class:`~synalinks_nb.Generator` for
one query (``{"sql_query": ...}`` or ``{"cypher_query": ...}``), and runs it with
``read_only=True``: the knowledge base, not string filtering here, refuses
writes (DuckDB's parser for SQL, the keyword guard for Cypher). A refused or
failing query becomes ``result = [{"error": "..."}]`` rather than an exception,
so a program, or an agent, can show the model what went wrong. Text2SQL wraps
the query as ``SELECT * FROM (<query>) LIMIT k``; Text2Cypher only asks for a
``LIMIT`` in its instructions, as Synalinks does. The generator's instructions
and examples are trainable.
"""

from __future__ import annotations

from typing import Any, ClassVar

from synalinks_nb.data_models.data_model import DataModel, Field
from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import KnowledgeBaseError, ModuleError
from synalinks_nb.knowledge_bases import KnowledgeBase
from synalinks_nb.modules.core.generator import Generator
from synalinks_nb.modules.module import Module
from synalinks_nb.modules.retrievers._query_writer import restored_config

__all__ = ["CypherQuery", "CypherQueryResult", "SQLQuery", "SQLQueryResult", "Text2Cypher",
           "Text2SQL"]

_SQL_INSTRUCTIONS = """Translate the user request into one read-only SQL query (DuckDB) over \
the tables listed in `database_schema`.
- Write exactly one SELECT statement; anything else is refused.
- Use only the tables and columns listed; names are case-sensitive (quote them with "").
- Add a LIMIT when the user asks for the top N or a few."""

_CYPHER_INSTRUCTIONS = """Translate the user request into one read-only Cypher query over \
the node and relation labels listed in `graph_schema`.
- Write exactly one query that only reads (MATCH ... RETURN); writes are refused.
- Use only the labels and properties listed; they are case-sensitive.
- End with a RETURN clause naming the columns you want.{limit}"""


class DatabaseSchema(DataModel):
    """The tables and columns, given to the model with its input."""

    database_schema: str = Field(description="The available tables and their columns")


class GraphSchema(DataModel):
    """The node and relation labels, given to the model with its input."""

    graph_schema: str = Field(
        description="The available entity and relation labels with their properties")


class SQLQuery(DataModel):
    """What the model writes for Text2SQL."""

    sql_query: str = Field(description="A single read-only SELECT SQL query")


class SQLQueryResult(DataModel):
    """The query run and the rows it returned."""

    sql_query: str = Field(description="The SQL query that was executed")
    result: list[Any] = Field(description="The rows returned by the query")


class CypherQuery(DataModel):
    """What the model writes for Text2Cypher."""

    cypher_query: str = Field(description="A single read-only Cypher query")


class CypherQueryResult(DataModel):
    """The query run and the rows it returned."""

    cypher_query: str = Field(description="The Cypher query that was executed")
    result: list[Any] = Field(description="The rows returned by the query")


def sql_schema_text(knowledge_base: KnowledgeBase) -> str:
    """Every table of the knowledge base with its columns' types and descriptions."""
    sections = []
    for model in knowledge_base.get_symbolic_data_models():
        schema = model.get_schema()
        lines = [f"Table: {schema.get('title')}"]
        for name, prop in (schema.get("properties") or {}).items():
            lines.append(f"  - {name} ({prop.get('type', 'json')}): "
                         f"{prop.get('description', '')}".rstrip(": "))
        sections.append("\n".join(lines))
    return "\n\n".join(sections)


class _Text2Query(Module):
    """The shared steps: schema, generator, run, join."""

    schema_model: ClassVar[type[DataModel]]
    query_model: ClassVar[type[DataModel]]
    result_model: ClassVar[type[DataModel]]
    query_field: ClassVar[str]

    def __init__(self, *, knowledge_base: KnowledgeBase | None = None,
                 language_model: Any = None, k: int | None = 50, output_format: str = "json",
                 prompt_template: str | None = None, examples: Any = None,
                 instructions: str | None = None,
                 return_inputs: bool = False, name: str | None = None,
                 description: str | None = None, trainable: bool = True) -> None:
        super().__init__(name=name, description=description, trainable=trainable)
        if not isinstance(knowledge_base, KnowledgeBase):
            raise ModuleError(f"Expected knowledge_base to be a KnowledgeBase for "
                              f"{type(self).__name__}. Received: {knowledge_base!r}")
        if k is not None and (not isinstance(k, int) or isinstance(k, bool) or k < 1):
            raise ModuleError(f"Expected k to be a positive int or None. Received: k={k!r}")
        if output_format not in ("json", "csv"):
            raise ModuleError("Expected output_format to be 'json' or 'csv'. "
                              f"Received: output_format={output_format!r}")
        self.knowledge_base = knowledge_base
        self.k = k
        self.output_format = output_format
        self.return_inputs = return_inputs
        self.generator = Generator(
            data_model=self.query_model, language_model=language_model,
            prompt_template=prompt_template, examples=examples,
            instructions=instructions or self.default_instructions(k),
            name=f"{self.name}_generator")

    @staticmethod
    def default_instructions(k: int | None) -> str:
        raise NotImplementedError

    def schema_text(self) -> str:
        raise NotImplementedError

    async def run_query(self, query: str) -> Any:
        raise NotImplementedError

    async def call(self, inputs: Any, training: bool = False) -> Any:
        schema = JsonDataModel(schema=self.schema_model.get_schema(),
                               json={self.query_field_of_schema: self.schema_text()})
        written = await self.generator(inputs & schema, training=training)
        query = str(written.get_json()[self.query_field]).strip()
        try:
            rows = await self.run_query(query) if query else []
        except KnowledgeBaseError as exc:
            rows = [{"error": str(exc)}]
        result = JsonDataModel(schema=self.result_model.get_schema(),
                               json={self.query_field: query, "result": rows}, name=self.name)
        return inputs & result if self.return_inputs else result

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        schema = SymbolicDataModel(schema=self.schema_model.get_schema())
        await self.generator(inputs & schema, training=training)
        result = SymbolicDataModel(schema=self.result_model.get_schema(), name=self.name)
        return inputs & result if self.return_inputs else result

    @property
    def query_field_of_schema(self) -> str:
        return next(iter(self.schema_model.model_fields))

    def get_config(self) -> dict[str, Any]:
        generator = self.generator.get_config()
        return {
            "knowledge_base": self.knowledge_base.get_config(), "k": self.k,
            "output_format": self.output_format,
            "language_model": generator["language_model"],
            "prompt_template": generator["prompt_template"],
            "instructions": generator["instructions"], "examples": generator["examples"],
            "return_inputs": self.return_inputs, **super().get_config(),
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        config = restored_config(config)
        return cls(**config)


class Text2SQL(_Text2Query):
    """Translate a request into one ``SELECT`` over the knowledge base's tables, and run it.

    Args:
        knowledge_base: the knowledge base (its DuckDB tables).
        language_model, prompt_template, examples, instructions: the generator's.
        k: the most rows returned (the query is wrapped in ``SELECT * ... LIMIT k``);
            ``None`` runs it as written.
        output_format: ``"json"`` rows or one ``"csv"`` string.
        return_inputs: join the inputs to the output.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Customer(sn.DataModel):
        ...     id: str
        ...     country: str
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> kb = sn.KnowledgeBase(uri="duckdb://:memory:", data_models=[Customer])
        >>> _ = asyncio.run(kb.update([Customer(id="c1", country="FR"),
        ...                            Customer(id="c2", country="US")]))
        >>> lm = sn.ScriptedLanguageModel(responses=[
        ...     {"sql_query": "SELECT count(*) AS n FROM Customer WHERE country = 'FR'"}])
        >>> out = asyncio.run(sn.Text2SQL(knowledge_base=kb, language_model=lm)(
        ...     Query(query="How many customers in France?")))
        >>> out["result"]
        [{'n': 1}]
    """

    schema_model = DatabaseSchema
    query_model = SQLQuery
    result_model = SQLQueryResult
    query_field = "sql_query"

    @staticmethod
    def default_instructions(k: int | None) -> str:
        return _SQL_INSTRUCTIONS

    def schema_text(self) -> str:
        return sql_schema_text(self.knowledge_base)

    async def run_query(self, query: str) -> Any:
        return await self.knowledge_base.sql(query, output_format=self.output_format,
                                             limit=self.k)


class Text2Cypher(_Text2Query):
    """Translate a request into one read-only Cypher query over the graph, and run it.

    Takes :class:`Text2SQL`'s arguments; ``k`` only goes into the instructions (ask for
    ``LIMIT k``), as in Synalinks.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> kb = sn.KnowledgeBase(graph_uri="ladybug://:memory:")
        >>> _ = asyncio.run(kb.update_entities([{"label": "City", "name": "Paris"}]))
        >>> lm = sn.ScriptedLanguageModel(responses=[
        ...     {"cypher_query": "MATCH (c:City) RETURN c.name AS name"}])
        >>> out = asyncio.run(sn.Text2Cypher(knowledge_base=kb, language_model=lm)(
        ...     Query(query="Which cities are there?")))
        >>> out["result"]
        [{'name': 'Paris'}]
    """

    schema_model = GraphSchema
    query_model = CypherQuery
    result_model = CypherQueryResult
    query_field = "cypher_query"

    @staticmethod
    def default_instructions(k: int | None) -> str:
        limit = f"\n- Add LIMIT {k} (or less) to bound the rows." if k is not None else ""
        return _CYPHER_INSTRUCTIONS.format(limit=limit)

    def schema_text(self) -> str:
        return self.knowledge_base.get_graph_schema()

    async def run_query(self, query: str) -> Any:
        return await self.knowledge_base.cypher(query, output_format=self.output_format)

"""``Input``: the entry point of a functional program.

``sn.Input(data_model=Query)`` returns a :class:`SymbolicDataModel` whose graph
history points at an :class:`InputModule`, exactly as ``keras.Input`` returns
a symbolic tensor produced by an ``InputLayer``.

``ImageInput`` and ``AudioInput`` are Synalinks' multimodal inputs: a modality is a
content part of a chat message, so both are a ``ChatMessages`` input whose user turn
mixes text with :class:`~synalinks_nb.data_models.Image` / ``Audio`` parts.
"""

from __future__ import annotations

from typing import Any

from synalinks_nb.data_models.chat import ChatMessages
from synalinks_nb.data_models.data_model import schema_of
from synalinks_nb.data_models.symbolic_data_model import SymbolicDataModel
from synalinks_nb.errors import ModuleError
from synalinks_nb.modules.module import Module
from synalinks_nb.ops.node import Node

__all__ = ["AudioInput", "ImageInput", "Input", "InputModule"]


class InputModule(Module):
    """The graph node standing for one program input. It passes values through.

    Args:
        schema: The input's JSON schema (or ``data_model``).
        data_model: A DataModel class or instance to take the schema from.
        name: The module's name, also the input's.
        description: Shown in graphs.
        optional: The input may be ``None`` (kept in the program's config).
        input_data_model: Synalinks' keyword: the :class:`SymbolicDataModel` that stands
            for this input in the graph (by default a new one); its schema is the
            input's, and a ``schema`` given too must be the same.

    Example:
        >>> import synalinks_nb as sn
        >>> placeholder = sn.SymbolicDataModel(schema={"type": "object", "properties": {
        ...     "query": {"type": "string"}}, "required": ["query"]})
        >>> sn.modules.InputModule(input_data_model=placeholder).output is placeholder
        True
    """

    def __init__(
        self,
        schema: dict[str, Any] | None = None,
        data_model: Any = None,
        name: str | None = None,
        description: str | None = None,
        optional: bool = False,
        input_data_model: SymbolicDataModel | None = None,
    ) -> None:
        if input_data_model is not None:
            schema = _placeholder_schema(input_data_model, schema)
        if schema is None:
            if data_model is None:
                raise ModuleError("Expected a data_model or a schema for Input. Received neither.")
            schema = schema_of(data_model)
        elif not isinstance(schema, dict):
            raise TypeError(f"Expected schema to be a JSON schema dict. "
                            f"Received: {type(schema).__name__}")
        super().__init__(name=name, description=description, trainable=False)
        self.schema = schema
        self.optional = bool(optional)
        self.built = True
        self._input_schemas = [schema]
        self.output = input_data_model or SymbolicDataModel(schema=schema, name=self.name)
        Node(self, (), {}, self.output)

    def get_schema(self) -> dict[str, Any]:
        """The input's JSON schema (Synalinks' accessor)."""
        return self.schema

    async def call(self, inputs: Any, training: bool = False) -> Any:
        return inputs

    async def compute_output_spec(self, inputs: Any, training: bool = False) -> Any:
        return self.output

    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"schema": self.schema, "name": self.name,
                                  "description": self.description}
        if self.optional:
            config["optional"] = True
        return config


def _placeholder_schema(placeholder: Any, schema: dict[str, Any] | None) -> dict[str, Any]:
    """The schema of ``input_data_model``, checked against a ``schema`` given with it."""
    if not isinstance(placeholder, SymbolicDataModel):
        raise ModuleError("Expected input_data_model to be a SymbolicDataModel. "
                          f"Received: {type(placeholder).__name__}")
    if schema is not None and schema != placeholder.get_schema():
        raise ModuleError("Expected schema to be input_data_model's schema when both are "
                          f"given. Received: schema={schema!r}")
    return placeholder.get_schema()


def Input(
    data_model: Any = None,
    schema: dict[str, Any] | None = None,
    name: str | None = None,
    description: str | None = None,
    optional: bool = False,
) -> SymbolicDataModel:
    """A symbolic program input.

    ``optional=True`` marks an input that may be ``None`` (Synalinks' flag, kept in the
    program's config). As in Synalinks, any input may be ``None`` at run time: the
    modules it feeds then get ``None``, and ``|`` picks whichever input is present.

    Example:
        >>> import synalinks_nb as sn
        >>> class Query(sn.DataModel):
        ...     query: str
        >>> x = sn.Input(data_model=Query)
        >>> list(x.keys())
        ['query']
    """
    return InputModule(schema=schema, data_model=data_model, name=name,
                       description=description, optional=optional).output


def ImageInput(optional: bool = False, name: str | None = None) -> SymbolicDataModel:
    """A program input for images: a ``ChatMessages`` input (Synalinks' ``ImageInput``).

    Put the image in a user message's content, next to the text that goes with it.

    Example:
        >>> import asyncio, synalinks_nb as sn
        >>> lm = sn.ScriptedLanguageModel(handler=lambda messages, schema: str(
        ...     [part["type"] for part in messages[-1]["content"]]))
        >>> inputs = sn.ImageInput()
        >>> outputs = asyncio.run(sn.Generator(language_model=lm)(inputs))
        >>> program = sn.Program(inputs=inputs, outputs=outputs)
        >>> photo = sn.Image(data="iVBORw0KGgo=", mime_type="image/png")
        >>> asked = sn.ChatMessages(messages=[
        ...     sn.ChatMessage(role="user", content=["What is in this picture?", photo])])
        >>> asyncio.run(program(asked))["content"]
        "['text', 'image_url']"
    """
    return Input(data_model=ChatMessages, optional=optional, name=name)


def AudioInput(optional: bool = False, name: str | None = None) -> SymbolicDataModel:
    """A program input for audio: a ``ChatMessages`` input (Synalinks' ``AudioInput``).

    The audio sibling of :func:`ImageInput`: a user message's content mixes the
    instruction text with :class:`~synalinks_nb.data_models.Audio` parts.

    Example:
        >>> import synalinks_nb as sn
        >>> sn.AudioInput().get_schema() == sn.ChatMessages.get_schema()
        True
    """
    return Input(data_model=ChatMessages, optional=optional, name=name)

"""``EmbeddingModel``: dense vectors for texts, offline or through a provider.

``EmbeddingModel("local/smollm2")`` (the default) embeds with llama.cpp from the
same GGUF file as the embedded language model, mean-pooled and L2-normalised,
so similarity rewards work offline. ``hashing/<dim>`` is a cheap deterministic
stand-in for tests and benchmarks (:mod:`~synalinks_nb.language_models.hashing_embedding`).
Any other id goes through ``litellm.aembedding`` (``openai/text-embedding-3-small``,
``ollama/nomic-embed-text``...).

The call follows Synalinks: ``await embedding_model(texts)`` returns
``{"embeddings": [[...], ...]}``, one vector per text, in order. Retries and
timeouts use the same :class:`~synalinks_nb.language_models.settings.RetryPolicy`
machinery as language models, and usage is counted per phase the same way
(tokens when the provider reports them, never a cost for the local model).
With ``caching=True`` vectors are kept on disk
(:class:`~synalinks_nb.language_models.embedding_cache.EmbeddingCache`): only the texts
not seen before reach the model, so re-indexing a corpus after a restart is fast.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Mapping, Sequence
from typing import Any, overload

from synalinks_nb.data_models.data_model import DataModel
from synalinks_nb.data_models.generic import Embeddings
from synalinks_nb.data_models.json_data_model import JsonDataModel
from synalinks_nb.errors import ConfigError, LanguageModelTimeoutError, ProviderError
from synalinks_nb.hooks.dispatch import begin as hooks_begin
from synalinks_nb.hooks.dispatch import end as hooks_end
from synalinks_nb.hooks.hook import Hook
from synalinks_nb.hooks.hook_list import HookList
from synalinks_nb.language_models.embedded import DEFAULT_N_CTX, LlamaRuntime, local_model_path
from synalinks_nb.language_models.embedding_cache import EmbeddingCache
from synalinks_nb.language_models.hashing_embedding import hashing_dimension, hashing_embeddings
from synalinks_nb.language_models.litellm_backend import (
    check_api_base,
    import_litellm,
    response_field,
    translate_error,
)
from synalinks_nb.language_models.metering import UsageCounter
from synalinks_nb.language_models.retries import with_retries
from synalinks_nb.language_models.settings import RetryPolicy
from synalinks_nb.language_models.usage import CallUsage, current_phase
from synalinks_nb.utils.secrets import Credentials

__all__ = ["DEFAULT_EMBEDDING_MODEL", "EmbeddingModel"]


@dataclasses.dataclass
class _Answer:
    """How one embedding request was answered, for its usage record."""

    cached: bool = False  # every text from the cache
    fallback: bool = False  # a fallback model answered
    vectors: int = 0

DEFAULT_EMBEDDING_MODEL = "local/smollm2"


class EmbeddingModel(UsageCounter, Credentials):
    """Texts to vectors, with the embedded model or any litellm embedding model.

    Args:
        model: ``"local/smollm2"`` (default), ``"local/<path.gguf>"``, ``"hashing/<dim>"``
            or a litellm id.
        name: a display name; defaults to the model id.
        api_base: the provider endpoint.
        api_key: the provider key; never serialised nor shown.
        timeout: seconds allowed per attempt.
        retry: a :class:`RetryPolicy` or an int number of retries.
        fallback: an embedding model (or id) used when this one fails.
        caching: keep vectors on disk (``True``), or not (``None``/``False``, the default).
        cache: where to keep them; defaults to ``<config.home>/cache/embeddings``.
        cache_dir: Synalinks' name for a cache folder: vectors are kept there.
        retry_max_wait: the longest ``Retry-After`` wait honoured, in seconds.
        description: what the model is for (kept in its config).
        hooks: :class:`~synalinks_nb.hooks.Hook` s told about each call (Synalinks').

    Example:
        >>> from synalinks_nb.language_models import EmbeddingModel
        >>> EmbeddingModel()
        EmbeddingModel(model='local/smollm2')
        >>> EmbeddingModel("openai/text-embedding-3-small", api_key="sk-x").get_config()["model"]
        'openai/text-embedding-3-small'
        >>> import asyncio
        >>> vectors = asyncio.run(EmbeddingModel("hashing/8")(["a cat", "a dog"]))["embeddings"]
        >>> len(vectors), len(vectors[0])
        (2, 8)
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        name: str | None = None,
        api_base: str | None = None,
        api_key: str | None = None,
        timeout: float | None = 600.0,
        retry: RetryPolicy | int | None = None,
        fallback: EmbeddingModel | str | None = None,
        caching: bool | None = None,
        cache: EmbeddingCache | None = None,
        cache_dir: str | os.PathLike[str] | None = None,
        retry_max_wait: float | None = None,
        description: str | None = None,
        hooks: Sequence[Hook] | None = None,
    ) -> None:
        if model is None:
            model = DEFAULT_EMBEDDING_MODEL
        if not isinstance(model, str) or not model:
            raise TypeError("Expected model to be a non-empty model id string (or None for the "
                            f"default). Received: model={model!r}")
        if api_base is not None and not isinstance(api_base, str):
            raise TypeError(f"Expected api_base to be a URL string or None. "
                            f"Received: api_base={api_base!r}")
        self.model = model
        self.name = name or self.model
        self._api_base = api_base
        self._api_key = api_key
        self.timeout = timeout
        self.description = description
        self.retry = RetryPolicy.of(retry, retry_max_wait)
        if isinstance(fallback, str):
            fallback = EmbeddingModel(fallback)
        if fallback is not None and not isinstance(fallback, EmbeddingModel):
            raise TypeError(f"Expected fallback to be an EmbeddingModel or an id. Received: "
                            f"{fallback!r}")
        self.fallback = fallback
        if self.model.startswith("hashing/"):
            hashing_dimension(self.model)  # a bad dimension fails here, not at first use
        if cache_dir is not None:
            if cache is not None:
                raise ConfigError("Expected either cache= or cache_dir=. Received both: "
                                  f"cache={cache!r}, cache_dir={cache_dir!r}")
            cache = None if caching is False else EmbeddingCache(cache_dir)
        self.caching = bool(caching) or cache is not None
        self.cache = cache if cache is not None else (EmbeddingCache() if self.caching else None)
        self._init_usage()
        self._hooks: HookList | None = None
        for hook in hooks or ():
            self.add_hook(hook)

    def add_hook(self, hook: Hook) -> None:
        """Tell ``hook`` about every call of this model (see :mod:`synalinks_nb.hooks`)."""
        if self._hooks is None:
            self._hooks = HookList(add_logger=False, module=self)
        self._hooks.add_hook(hook)

    @property
    def local(self) -> bool:
        """True for the embedded llama.cpp backend."""
        return self.model.startswith("local/")

    @overload
    async def __call__(self, texts: Sequence[str] | str) -> dict[str, list[list[float]]]: ...

    @overload
    async def __call__(self, texts: DataModel | JsonDataModel) -> Embeddings: ...

    async def __call__(self, texts: Any) -> Any:
        """Embed ``texts`` (a list, or one string).

        As in Synalinks, an ``EmbeddingRequest`` (a data model with a ``texts`` field)
        is answered with an ``Embeddings`` data model.

        Returns:
            ``{"embeddings": [vector, ...]}``, one vector per text.

        Example:
            >>> import asyncio, synalinks_nb as sn
            >>> model = sn.EmbeddingModel("hashing/4")
            >>> out = asyncio.run(model(sn.EmbeddingRequest(texts=["a cat"])))
            >>> type(out).__name__, len(out["embeddings"][0])
            ('Embeddings', 4)
        """
        hooked = hooks_begin(self, texts)
        try:
            reply = await self._embed_call(texts)
        except BaseException as exc:
            hooks_end(hooked, error=exc)
            raise
        hooks_end(hooked, reply)
        return reply

    async def _embed_call(self, texts: Any) -> Any:
        if hasattr(texts, "get_json"):
            request = texts.get_json()
            asked: Any = request.get("texts") if isinstance(request, dict) else request
            reply = await self._embed_call(asked)
            return Embeddings(embeddings=reply["embeddings"])
        candidates: list[Any] = [texts] if isinstance(texts, str) else list(texts)
        if not all(isinstance(t, str) for t in candidates):
            raise TypeError(f"Expected texts to be a list of strings. Received: {texts!r}")
        batch: list[str] = candidates
        started = time.perf_counter()
        self._start_busy()
        answer = _Answer()
        try:
            vectors, tokens = await self._embed_with_fallback(batch, answer)
        except Exception as exc:  # a cancelled call is not a failure of the model
            self._record(started, 0, answer, error=type(exc).__name__)
            raise
        except BaseException:  # cancelled: no longer in flight
            self._stop_busy()
            raise
        answer.vectors = len(vectors)
        self._record(started, tokens, answer, error=None)
        return {"embeddings": vectors}

    async def _embed_with_fallback(self, batch: list[str],
                                   answer: _Answer) -> tuple[list[list[float]], int]:
        if not batch:
            return [], 0
        try:
            return await self._embed_cached(batch, answer)
        except (ProviderError, LanguageModelTimeoutError):
            if self.fallback is None:
                raise
            # The fallback answers from (and fills) its own cache: its vectors live in
            # another space and must never be stored under this model's id.
            answer.fallback = True
            return await self.fallback._embed_with_fallback(batch, answer)

    async def _embed_cached(self, batch: list[str],
                            answer: _Answer) -> tuple[list[list[float]], int]:
        if self.cache is None:
            return await self._embed_with_retries(batch)
        cached = self.cache.get_many(self.model, batch)
        missing = sorted({text for text, vector in zip(batch, cached, strict=True)
                          if vector is None})
        answer.cached = not missing
        fresh: dict[str, list[float]] = {}
        tokens = 0
        if missing:
            vectors, tokens = await self._embed_with_retries(missing)
            self.cache.put(self.model, missing, vectors)
            fresh = dict(zip(missing, vectors, strict=True))
        return [vector if vector is not None else fresh[text]
                for text, vector in zip(batch, cached, strict=True)], tokens

    async def _embed_with_retries(self, batch: list[str]) -> tuple[list[list[float]], int]:
        return await with_retries(
            lambda: self._embed(batch), policy=self.retry, attempt_timeout=self.timeout,
            model=self.model,
        )

    async def _embed(self, batch: list[str]) -> tuple[list[list[float]], int]:
        if self.model.startswith("hashing/"):
            return hashing_embeddings(batch, hashing_dimension(self.model)), 0
        if self.local:
            runtime = LlamaRuntime.get(local_model_path(self.model), "embed", DEFAULT_N_CTX)
            vectors = await runtime.run(lambda llama: llama.embed(batch, normalize=True))
            return [list(map(float, v)) for v in vectors], 0
        check_api_base(self._api_base, self.model)
        litellm = import_litellm()
        request: dict[str, Any] = {"model": self.model, "input": batch}
        if self.timeout is not None:
            request["timeout"] = self.timeout
        if self._api_base:
            request["api_base"] = self._api_base
        if self._api_key:
            request["api_key"] = self._api_key
        try:
            response = await litellm.aembedding(**request)
        except Exception as exc:
            translated = translate_error(litellm, exc, self.model, self.secrets)
            if translated is None:
                raise
        else:
            # A patched ``litellm.aembedding`` (Synalinks' tests) may answer with plain dicts.
            vectors = [list(map(float, response_field(item, "embedding")))
                       for item in response_field(response, "data") or []]
            usage = response_field(response, "usage")
            return vectors, int(response_field(usage, "prompt_tokens") or 0)
        raise translated  # outside the except block: the provider's error may quote a key

    def _record(self, started: float, tokens: int, answer: _Answer, *,
                error: str | None) -> None:
        call = CallUsage(phase=current_phase(), model=self.model, prompt_tokens=tokens,
                         latency_s=time.perf_counter() - started, attempts=1, error=error,
                         cached=answer.cached and error is None,
                         fallback=answer.fallback and error is None, vectors=answer.vectors)
        self._count(call)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments as JSON; never the API key."""
        return {
            "model": self.model,
            "name": self.name,
            "api_base": self.api_base,
            "timeout": self.timeout,
            "retry": self.retry.get_config(),
            "fallback": self.fallback.get_config() if self.fallback is not None else None,
            "caching": self.caching,
            **({"description": self.description} if self.description else {}),
        }

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> EmbeddingModel:
        """Rebuild from :meth:`get_config`'s output."""
        kwargs = dict(config)
        if kwargs.get("retry") is not None:
            kwargs["retry"] = RetryPolicy.from_config(kwargs["retry"])
        if kwargs.get("fallback") is not None:
            kwargs["fallback"] = cls.from_config(kwargs["fallback"])
        return cls(**kwargs)

    def __repr__(self) -> str:
        name = f", name={self.name!r}" if self.name != self.model else ""
        return f"EmbeddingModel(model={self.model!r}{name})"

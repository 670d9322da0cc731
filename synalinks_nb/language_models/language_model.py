"""``LanguageModel``: the one front for providers and the embedded model.

``LanguageModel(model)`` picks its backend from the model id:

- ``local/smollm2`` or ``local/<path.gguf>`` → the embedded llama.cpp model
  (:mod:`~synalinks_nb.language_models.embedded`), offline;
- anything else → litellm (:mod:`~synalinks_nb.language_models.litellm_backend`):
  ``openai/...``, ``anthropic/...``, ``ollama/...``, ``hosted_vllm/...``...
  To use an existing serving engine (vLLM, Ollama, llama.cpp's server, any
  OpenAI-compatible endpoint), keep the provider prefix and set ``api_base``:
  ``LanguageModel("hosted_vllm/Qwen2.5-7B", api_base="http://gpu-box:8000/v1")``.

With no id, ``config.default_language_model_id`` is used (``local/smollm2``
unless configured), so tutorials run with no key and no network.

Validation, the repair attempt, retries, timeouts, the cache, usage and the
concurrency limit come from :class:`~synalinks_nb.language_models.base.BaseLanguageModel`,
so they behave the same for every backend. This class adds the backend choice
and the ``fallback`` chain: when the model still fails after its retries (a
provider error or a timeout), each fallback model is tried in turn with its own
retry policy and timeout; the usage stays on this model, with the id of the
model that answered in ``history``.

Defaults: ``timeout=600`` s per attempt (Synalinks' value), up to 4 retries
with exponential backoff from 0.5 s, ``max_concurrency=16`` requests in flight
for providers and no extra limit for the embedded model (its calls are
serialised by its worker thread anyway), ``max_tokens=512`` on the embedded
model so a looping small model stops.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from synalinks_nb.config import config
from synalinks_nb.errors import ConfigError, LanguageModelTimeoutError, ProviderError
from synalinks_nb.hooks.hook import Hook
from synalinks_nb.language_models.base import BaseLanguageModel
from synalinks_nb.language_models.cache import Cache, CacheMode
from synalinks_nb.language_models.completion import Completion, Tally
from synalinks_nb.language_models.embedded import LlamaBackend
from synalinks_nb.language_models.litellm_backend import (
    FunctionCalling,
    LitellmBackend,
    import_litellm,
)
from synalinks_nb.language_models.settings import RetryPolicy, SamplingSettings, decode_settings
from synalinks_nb.language_models.structured_output import StructuredOutputChoice

__all__ = ["LanguageModel"]

DEFAULT_TIMEOUT = 600.0
DEFAULT_PROVIDER_CONCURRENCY = 16
_UNSET: Any = object()


class LanguageModel(BaseLanguageModel):
    """A language model: a provider through litellm, or the embedded local model.

    Args:
        model: a litellm model id, ``"local/smollm2"``, ``"local/<path.gguf>"``,
            or ``None`` for ``config.default_language_model_id``.
        name: a display name; defaults to the model id.
        api_base: the provider endpoint (OpenAI-compatible servers).
        api_key: the provider key; never serialised nor shown. Prefer the
            provider's environment variable (``OPENAI_API_KEY``...).
            Credentials inside ``api_base`` (``http://user:pass@host``,
            ``?api-key=...``) are treated the same way: used for requests,
            redacted from ``repr``, ``get_config`` and saved files. A file
            loaded later must be given its endpoint's credentials back.
        timeout: seconds allowed per attempt.
        retry: a :class:`RetryPolicy`, or an int number of retries (Synalinks).
        fallback: a model (or id, or list of them) tried in turn when this one fails.
        cache: a :class:`Cache`, a mode (``"read_write"``, ``"replay"``, ``"off"``),
            ``True`` for the default read-write cache, or ``None``.
        max_concurrency: requests in flight at once on this object.
        sampling: default :class:`SamplingSettings`.
        structured_output: how a provider is asked for JSON matching a schema:
            ``"auto"`` (default: ``response_format`` json_schema, falling back once per
            model, remembered, when a server refuses it), ``"json_schema"``,
            ``"json_object"`` (JSON mode, schema in the prompt), ``"tool"`` (a forced
            tool call) or ``"prompt"`` (schema in the prompt only). See
            :mod:`~synalinks_nb.language_models.structured_output`. Local models
            always constrain decoding to the schema and take only ``"auto"``.
        function_calling: how a provider is asked to choose tools (``lm(messages,
            tools=[...])``, what agents do): ``"native"`` (``tools=``), ``"json"`` (an
            answer constrained to a tool-calls schema) or ``"auto"`` (native when litellm
            says the model supports it). Local models always use constrained JSON.
        description: what the model is for (kept in its config).
        hooks: :class:`~synalinks_nb.hooks.Hook` s told about each call (a
            ``hooks.Recorder`` to keep its calls as a fine-tuning set).
        **settings: sampling settings as keywords (``temperature=0``, ``seed=1``...),
            ``caching`` (Synalinks' name for ``cache``), and for local models
            ``n_ctx`` (context window, default 4096) and ``n_threads`` (default:
            llama-cpp-python's, half the logical cores). Anything else is an error.

    Example:
        Building a model touches neither the network nor the weights:

        >>> from synalinks_nb.language_models import LanguageModel
        >>> lm = LanguageModel("openai/gpt-4o-mini", temperature=0.0, api_key="sk-secret")
        >>> lm
        LanguageModel(model='openai/gpt-4o-mini')
        >>> "sk-secret" in str(lm.get_config())
        False
        >>> LanguageModel("local/smollm2").model
        'local/smollm2'
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        name: str | None = None,
        api_base: str | None = None,
        api_key: str | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy | int | None = None,
        fallback: LanguageModel | str | Sequence[LanguageModel | str] | None = None,
        cache: Cache | str | bool | None = None,
        max_concurrency: int | None = _UNSET,
        sampling: SamplingSettings | None = None,
        structured_output: StructuredOutputChoice = "auto",
        function_calling: FunctionCalling = "auto",
        cache_dir: str | os.PathLike[str] | None = None,
        retry_max_wait: float | None = None,
        description: str | None = None,
        hooks: Sequence[Hook] | None = None,
        **settings: Any,
    ) -> None:
        if model is None:
            model = config.default_language_model_id
        if not isinstance(model, str) or not model:
            raise TypeError("Expected model to be a non-empty model id string (or None for the "
                            f"default). Received: model={model!r}")
        local = model.startswith("local/")
        cache = settings.pop("caching", cache)
        if cache_dir is not None:  # Synalinks' on-disk cache folder
            if isinstance(cache, Cache | str):
                raise ConfigError("Expected either cache= or cache_dir=. Received both: "
                                  f"cache={cache!r}, cache_dir={cache_dir!r}")
            cache = None if cache is False else Cache(cache_dir)
        local_options: dict[str, Any] = {
            k: settings.pop(k) for k in ("n_ctx", "n_threads") if k in settings
        }
        if local_options and not local:
            raise TypeError(
                f"Expected {', '.join(local_options)} only for local/... models. "
                f"Received them for model={model!r}"
            )
        if local and structured_output != "auto":
            raise ConfigError(
                "Expected structured_output='auto' for a local model (its decoding is "
                f"constrained to the schema). Received: structured_output={structured_output!r}"
            )
        if local and function_calling != "auto":
            raise ConfigError(
                "Expected function_calling='auto' for a local model (it always answers tool "
                f"choices as constrained JSON). Received: function_calling={function_calling!r}"
            )
        if max_concurrency is _UNSET:
            max_concurrency = None if local else DEFAULT_PROVIDER_CONCURRENCY
        super().__init__(
            model,
            name=name,
            sampling=(sampling or SamplingSettings()).merged(settings),
            retry=RetryPolicy.of(retry, retry_max_wait),
            timeout=timeout,
            max_concurrency=max_concurrency,
            cache=_cache(cache),
        )
        if api_base is not None and not isinstance(api_base, str):
            raise TypeError(f"Expected api_base to be a URL string or None. "
                            f"Received: api_base={api_base!r}")
        if api_key is not None and not isinstance(api_key, str):
            raise TypeError(f"Expected api_key to be a string or None. "
                            f"Received: {type(api_key).__name__}")
        self.local_options = local_options
        self.description = description
        for hook in hooks or ():
            self.add_hook(hook)
        self.fallback = _fallbacks(fallback)
        self._backend: LlamaBackend | LitellmBackend = (
            LlamaBackend(model, **local_options) if local
            else LitellmBackend(model, api_base=api_base, api_key=api_key,
                                structured_output=structured_output,
                                function_calling=function_calling)
        )

    @property
    def api_base(self) -> str | None:
        """The endpoint, with credentials in the URL (``user:pass@``, ``?key=``) redacted."""
        return self._backend.api_base if isinstance(self._backend, LitellmBackend) else None

    @property
    def backend(self) -> LlamaBackend | LitellmBackend:
        """The object that sends requests (embedded llama.cpp or litellm)."""
        return self._backend

    async def _generate(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
    ) -> Completion:
        return await self._backend.generate(messages, schema, settings, self.timeout)

    async def _stream(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
        emit: Callable[[str], None],
    ) -> Completion:
        return await self._backend.generate(messages, schema, settings, self.timeout, emit=emit)

    async def _complete(
        self,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        settings: SamplingSettings,
        tally: Tally,
    ) -> Completion:
        if isinstance(self._backend, LitellmBackend):
            # litellm's first import (seconds of CPU, more on a busy machine) must not
            # count against the first request's timeout.
            import_litellm()
        try:
            return await super()._complete(messages, schema, settings, tally)
        except (ProviderError, LanguageModelTimeoutError) as error:
            last: Exception = error
        for model in self.fallback:
            try:
                return await model._complete(messages, schema, settings, tally)
            except (ProviderError, LanguageModelTimeoutError) as error:
                last = error
        raise last

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments as JSON; never the API key."""
        config = super().get_config()
        config.update(
            api_base=self.api_base,
            fallback=[model.get_config() for model in self.fallback],
        )
        if isinstance(self._backend, LitellmBackend) and (
            self._backend.structured_output.choice != "auto"
        ):
            config["structured_output"] = self._backend.structured_output.choice
        if isinstance(self._backend, LitellmBackend) and self._backend.function_calling != "auto":
            config["function_calling"] = self._backend.function_calling
        config.update(self.local_options)
        if self.description:
            config["description"] = self.description
        return config

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> LanguageModel:
        """Rebuild from :meth:`get_config`'s output (the API key comes from the environment)."""
        kwargs = decode_settings(config)
        kwargs["fallback"] = [cls.from_config(c) for c in kwargs.get("fallback") or []]
        return cls(**kwargs)

    def __repr__(self) -> str:
        extra = ""
        if self.name != self.model:
            extra += f", name={self.name!r}"
        if self.api_base:
            extra += f", api_base={self.api_base!r}"
        return f"LanguageModel(model={self.model!r}{extra})"


def _cache(cache: Cache | str | bool | None) -> Cache | None:
    if cache is None or cache is False:
        return None
    if cache is True:
        return Cache()
    if isinstance(cache, Cache):
        return cache
    if isinstance(cache, str):
        return None if cache == "off" else Cache(mode=cast(CacheMode, cache))
    raise TypeError(
        f"Expected cache to be a Cache, a mode string, a bool or None. Received: cache={cache!r}"
    )


def _fallbacks(
    fallback: LanguageModel | str | Sequence[LanguageModel | str] | None,
) -> list[LanguageModel]:
    if fallback is None:
        return []
    items = [fallback] if isinstance(fallback, LanguageModel | str) else list(fallback)
    models: list[LanguageModel] = []
    for item in items:
        if isinstance(item, str):
            item = LanguageModel(item)
        if not isinstance(item, LanguageModel):
            raise TypeError(
                "Expected fallback to be a LanguageModel, a model id or a list of them. "
                f"Received: {item!r}"
            )
        models.append(item)
    return models

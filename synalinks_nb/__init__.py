"""synalinks_nb: Keras-style programs of language-model calls, living in Jupyter."""

from __future__ import annotations

from synalinks_nb import errors
from synalinks_nb.config import clear_session, config, get_seed, set_seed, synalinks_home
from synalinks_nb.version import __version__

__all__ = [
    "__version__",
    "clear_session",
    "config",
    "errors",
    "get_seed",
    "set_seed",
    "synalinks_home",
]

"""Small helpers, and Synalinks' ``synalinks.utils`` names.

The plotting and serialization names live in higher layers (visualization, saving); they
are looked up on first use so that importing this low-level package imports nothing above
it.

Example:
    >>> import synalinks_nb as sn
    >>> sn.utils.register_synalinks_serializable is sn.saving.register_synalinks_serializable
    True
"""

from __future__ import annotations

import importlib
from typing import Any

from synalinks_nb.utils.data import pack_x_y, unpack_x_y
from synalinks_nb.utils.progbar import Progbar
from synalinks_nb.utils.registry import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_synalinks_serializable,
)

# Synalinks' public name -> "module:attribute" here.
_LAZY = {
    "plot_program": "synalinks_nb.visualization.plotting:plot_program",
    "plot_history": "synalinks_nb.visualization.plotting:plot_history",
    "plot_metrics": "synalinks_nb.visualization.plotting:plot_metrics",
    "serialize_synalinks_object": "synalinks_nb.saving.serialization_lib:"
                                  "serialize_synalinks_object",
    "deserialize_synalinks_object": "synalinks_nb.saving.serialization_lib:"
                                    "deserialize_synalinks_object",
    "clear_session": "synalinks_nb.config:clear_session",
    "tuners": "synalinks_nb:tuners",
    "disable_keras_backend": "synalinks_nb.tuners:disable_keras_backend",
    "enable_interactive_logging": "synalinks_nb.config:config.enable_interactive_logging",
    "disable_interactive_logging": "synalinks_nb.config:config.disable_interactive_logging",
    "is_interactive_logging_enabled": "synalinks_nb.config:config."
                                      "is_interactive_logging_enabled",
    "is_json_data_model": "synalinks_nb.data_models.json_data_model:is_json_data_model",
    "is_meta_class": "synalinks_nb.data_models.predicates:is_meta_class",
    "is_symbolic_data_model": "synalinks_nb.data_models.symbolic_data_model:"
                              "is_symbolic_data_model",
}
# get_file is the datasets' one; Tool is sn.Tool (Synalinks keeps an older copy here).
_LAZY.update({"get_file": "synalinks_nb.datasets.files:get_file",
              "Tool": "synalinks_nb.modules.core.tool:Tool",
              "program_to_dot": "synalinks_nb.visualization.dot:program_to_dot"})
_LAZY.update({name: f"synalinks_nb.visualization.plot_stats:{name}" for name in (
    "plot_history_comparison", "plot_history_comparison_with_mean_and_std",
    "plot_history_with_mean_and_std", "plot_metrics_comparison",
    "plot_metrics_comparison_with_mean_and_std", "plot_metrics_with_mean_and_std")})

__all__ = [
    "CustomObjectScope",
    "Tool",
    "clear_session",
    "custom_object_scope",
    "deserialize_synalinks_object",
    "disable_interactive_logging",
    "disable_keras_backend",
    "enable_interactive_logging",
    "get_custom_objects",
    "get_file",
    "get_registered_name",
    "get_registered_object",
    "is_interactive_logging_enabled",
    "is_json_data_model",
    "is_meta_class",
    "is_symbolic_data_model",
    "pack_x_y",
    "plot_history",
    "plot_history_comparison",
    "plot_history_comparison_with_mean_and_std",
    "plot_history_with_mean_and_std",
    "plot_metrics",
    "plot_metrics_comparison",
    "plot_metrics_comparison_with_mean_and_std",
    "plot_metrics_with_mean_and_std",
    "plot_program",
    "program_to_dot",
    "register_synalinks_serializable",
    "serialize_synalinks_object",
    "tuners",
    "unpack_x_y",
]
__all__ += ["Progbar"]  # Keras' progress bar (Synalinks' utils.Progbar)


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'synalinks_nb.utils' has no attribute {name!r}")
    module, path = target.split(":")
    obj: Any = importlib.import_module(module)
    for attribute in path.split("."):
        obj = getattr(obj, attribute)
    return obj

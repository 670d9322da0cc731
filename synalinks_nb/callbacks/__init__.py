"""Callbacks: react to training events (Keras names, sync or async)."""

from __future__ import annotations

from synalinks_nb.callbacks import monitor
from synalinks_nb.callbacks.backup_and_restore import BackupAndRestore
from synalinks_nb.callbacks.budget_stopping import BudgetStopping
from synalinks_nb.callbacks.callback import Callback, CallbackList
from synalinks_nb.callbacks.csv_logger import CSVLogger
from synalinks_nb.callbacks.early_stopping import EarlyStopping
from synalinks_nb.callbacks.history import History
from synalinks_nb.callbacks.monitor import Monitor
from synalinks_nb.callbacks.monitor_callback import MonitorCallback
from synalinks_nb.callbacks.progbar_logger import ProgbarLogger, ProgressBar
from synalinks_nb.callbacks.program_checkpoint import ProgramCheckpoint

__all__ = [
    "BackupAndRestore",
    "BudgetStopping",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "MonitorCallback",
    "ProgramCheckpoint",
    "ProgressBar",
]
# Synalinks' observability callbacks: MLflow runs, Keras' progress bars.
__all__ += ["Monitor", "ProgbarLogger", "monitor"]

"""Small datasets written for this package and shipped in it: nothing is downloaded.

Each module has ``load_data()`` returning fixed splits of data models, Keras style.

* :mod:`~synalinks_nb.datasets.headlines` — headline topic classification (5 labels).
"""

from __future__ import annotations

from synalinks_nb.datasets import headlines

__all__ = ["headlines"]

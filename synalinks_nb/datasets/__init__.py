"""Small datasets written for this package and shipped in it: nothing is downloaded.

Each module has ``load_data()`` returning fixed splits of data models, Keras style.

* :mod:`~synalinks_nb.datasets.headlines` — headline topic classification (5 labels).
* :mod:`~synalinks_nb.datasets.almanac` — 32 passages and 48 questions, for retrieval and RAG.

:func:`get_file` fetches other files (a URL, a ``file://`` URL or a path) into the
cache folder when called, and only then.

:class:`Dataset` (Synalinks' streaming datasets) yields batches of data models from rows;
:class:`TextDataset` and :class:`MarkdownDataset` read a folder of documents;
:class:`CSVDataset`, :class:`JSONDataset`, :class:`JSONLDataset`, :class:`ParquetDataset`
read rows of local files and :class:`ImageFolderDataset` a folder of images.

:class:`HuggingFaceDataset`, :func:`load_split` and the benchmark loaders (:mod:`gsm8k`,
:mod:`mmlu`, :mod:`arc_challenge`, :mod:`boolq`, :mod:`hellaswag`, :mod:`lambada`,
:mod:`logiqa`, :mod:`squad`, :mod:`winogrande`, :mod:`drop`, :mod:`humaneval`, :mod:`bbh`,
:mod:`truthfulqa`, :mod:`bbq`, :mod:`ifeval`, :mod:`hotpotqa`) read a LOCAL copy of a Hugging Face
dataset and never download it (:mod:`~synalinks_nb.datasets.huggingface` says where the copy goes).
"""

from __future__ import annotations

from synalinks_nb.datasets import (
    almanac,
    arc_challenge,
    bbh,
    bbq,
    boolq,
    drop,
    gsm8k,
    headlines,
    hellaswag,
    hotpotqa,
    humaneval,
    ifeval,
    lambada,
    logiqa,
    mmlu,
    squad,
    truthfulqa,
    winogrande,
)
from synalinks_nb.datasets.dataset import Dataset, split_train_test
from synalinks_nb.datasets.documents import (
    MarkdownDataset,
    MarkdownDocument,
    MarkdownSection,
    TextDataset,
    TextDocument,
    parse_markdown_sections,
)
from synalinks_nb.datasets.files import get_file
from synalinks_nb.datasets.huggingface import HuggingFaceDataset, load_split
from synalinks_nb.datasets.images import ImageFolderDataset
from synalinks_nb.datasets.tabular import CSVDataset, JSONDataset, JSONLDataset, ParquetDataset

__all__ = ["almanac", "get_file", "headlines"]
# Synalinks' streaming datasets (issue 19).
__all__ += ["Dataset", "MarkdownDataset", "MarkdownDocument", "MarkdownSection", "TextDataset",
            "TextDocument", "parse_markdown_sections", "split_train_test"]
# Synalinks' file datasets (issue 19).
__all__ += ["CSVDataset", "ImageFolderDataset", "JSONDataset", "JSONLDataset", "ParquetDataset"]
# Hugging Face datasets and benchmark loaders, read from a local copy (issue 19).
__all__ += ["HuggingFaceDataset", "arc_challenge", "gsm8k", "load_split", "mmlu"]
__all__ += ["boolq", "hellaswag", "lambada", "logiqa", "squad", "winogrande"]
__all__ += ["bbh", "drop", "humaneval", "truthfulqa"]
__all__ += ["bbq", "ifeval"]
__all__ += ["hotpotqa"]

"""HuggingFaceDataset, load_split and the benchmark loaders on local copies in tmp_path.

The copies are written in the layouts the module documents: the Hub's own repository
layout (``<config>/<split>-00000-of-00001.parquet``) and one JSON Lines file a split.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

import synalinks_nb as sn
from synalinks_nb.errors import DatasetError, DatasetNotFoundError


class Word(sn.DataModel):
    word: str


WORD = '{"word": {{ w | tojson }}}'


def jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def parquet(path: Path, select: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    duckdb.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet)")
    return path


def test_gsm8k_end_to_end_on_a_jsonl_copy(tmp_path: Path) -> None:
    folder = tmp_path / "gsm8k" / "main"
    jsonl(folder / "train.jsonl", [
        {"question": "Tom has 2 apples and buys 1,000 more. How many?",
         "answer": "2 + 1000 = 1002\n#### 1,002"},
        {"question": "Half of 9?", "answer": "9 / 2 = 4.5\n#### 4.5"}])
    jsonl(folder / "test.jsonl", [{"question": "1+1?", "answer": "one and one\n#### 2"}])
    (x_train, y_train), (x_test, y_test) = sn.datasets.gsm8k.load_data(local_dir=tmp_path)
    assert isinstance(x_train[0], sn.datasets.gsm8k.get_input_data_model())
    assert isinstance(y_train[0], sn.datasets.gsm8k.get_output_data_model())
    assert [y.answer for y in y_train] == [1002.0, 4.5]
    assert y_train[0].thinking == "2 + 1000 = 1002"
    assert (x_test[0].question, y_test[0].answer) == ("1+1?", 2.0)
    stream = sn.datasets.gsm8k.iterable_dataset(repeat=2, batch_size=2, local_dir=tmp_path)
    assert [[q.question for q in batch[0]] for batch in stream()] == \
        [[x_train[0].question] * 2, [x_train[1].question] * 2]


def test_mmlu_end_to_end_on_the_hubs_parquet_layout(tmp_path: Path) -> None:
    folder = tmp_path / "cais" / "mmlu" / "all"
    row = "SELECT 'Capital of France?' AS question, 'geography' AS subject, " \
          "['Berlin', 'Madrid', 'Paris', 'Rome'] AS choices, {answer}::BIGINT AS answer"
    parquet(folder / "validation-00000-of-00001.parquet", row.format(answer=2))
    parquet(folder / "test-00000-of-00002.parquet", row.format(answer=0))
    parquet(folder / "test-00001-of-00002.parquet", row.format(answer=3))
    (x_train, y_train), (x_test, y_test) = sn.datasets.mmlu.load_data(local_dir=tmp_path)
    assert x_train[0].choices == ["Berlin", "Madrid", "Paris", "Rome"]
    assert x_train[0].subject == "geography"
    assert [y.answer for y in y_train] == ["C"]
    assert [y.answer for y in y_test] == ["A", "D"]  # both shards, in order
    assert len(x_test) == 2


def test_arc_challenge_writes_the_choices_into_the_question(tmp_path: Path) -> None:
    folder = tmp_path / "allenai" / "ai2_arc" / "ARC-Challenge"
    select = ("SELECT 'Which is a gas?' AS question, {'text': ['ice', 'steam', 'rock'], "
              "'label': ['A', 'B', 'C']} AS choices, 'KEY' AS answerKey")
    parquet(folder / "train-00000-of-00001.parquet", select.replace("KEY", "B"))
    parquet(folder / "test-00000-of-00001.parquet", select.replace("KEY", "A"))
    (x_train, y_train), (_, y_test) = sn.datasets.arc_challenge.load_data(local_dir=tmp_path)
    assert x_train[0].question == "Which is a gas?\nA) ice\nB) steam\nC) rock"
    assert (y_train[0].answer, y_test[0].answer) == ("B", "A")


def test_without_a_copy_the_error_says_where_and_how(tmp_path: Path) -> None:
    with pytest.raises(DatasetNotFoundError) as caught:
        sn.datasets.gsm8k.load_data(local_dir=tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "gsm8k" / "main" / "train.jsonl") in message
    assert "datasets.load_dataset('gsm8k', 'main', split='train')" in message
    assert "never downloads" in message
    assert isinstance(caught.value, FileNotFoundError)


def test_default_folder_is_under_the_package_home(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sn.config, "_home", tmp_path)
    jsonl(tmp_path / "datasets" / "huggingface" / "toy" / "default" / "train.jsonl",
          [{"w": "owl"}])
    dataset = sn.HuggingFaceDataset("toy", split="train", input_data_model=Word,
                                    input_template=WORD)
    assert [w.word for w in dataset.materialize()[0]] == ["owl"]


def test_no_split_reads_every_split_train_first(tmp_path: Path) -> None:
    for split in ("test", "validation", "train", "extra"):
        jsonl(tmp_path / "default" / split / "part-0.jsonl", [{"w": split}])
    dataset = sn.HuggingFaceDataset(str(tmp_path), input_data_model=Word, input_template=WORD,
                                    streaming=False)
    assert [w.word for w in dataset.materialize()[0]] == ["train", "validation", "test", "extra"]
    assert len(dataset) == 4


def test_data_files_and_len(tmp_path: Path) -> None:
    train = jsonl(tmp_path / "a.jsonl", [{"w": "owl"}, {"w": "bee"}, {"w": "ant"}])
    dataset = sn.HuggingFaceDataset("json", data_files={"train": str(train)}, split="train",
                                    input_data_model=Word, input_template=WORD, token="x")
    with pytest.raises(NotImplementedError, match=r"limit=.*streaming=False"):
        len(dataset)
    (x,) = sn.datasets.load_split("json", split="train", data_files=[train], limit=2,
                                  input_data_model=Word, input_template=WORD)
    assert [w.word for w in x] == ["owl", "bee"]
    with pytest.raises(DatasetError, match=r"split 'test'. Received: \['train'\]"):
        sn.HuggingFaceDataset("json", data_files={"train": str(train)}, split="test",
                              input_data_model=Word)
    with pytest.raises(DatasetNotFoundError, match=r"nope\.jsonl"):
        sn.HuggingFaceDataset("json", data_files=str(tmp_path / "nope.jsonl"),
                              input_data_model=Word)
    with pytest.raises(TypeError, match="streamng"):
        sn.HuggingFaceDataset("json", data_files=[train], input_data_model=Word,
                              streamng=False)


# One row a loader, in the Hub's columns, and what it must become.
LOADER_ROWS: list[tuple[str, str, dict[str, Any], str, Any]] = [
    ("boolq", "google/boolq/default",
     {"passage": "Owls hunt at night.", "question": "do owls hunt at night", "answer": True},
     "Owls hunt at night.\n\nQuestion: do owls hunt at night?", True),
    ("hellaswag", "Rowan/hellaswag/default",
     {"ctx": "He opens the door", "endings": ["and walks in.", "x", "y", "z"], "label": "0"},
     "He opens the door\nA) and walks in.\nB) x\nC) y\nD) z", "A"),
    ("squad", "rajpurkar/squad/default",
     {"context": "Paris is in France.", "question": "Where is Paris?",
      "answers": {"text": ["France", "in France"], "answer_start": [12, 9]}},
     "Paris is in France.\n\nQuestion: Where is Paris?", "France"),
    ("winogrande", "allenai/winogrande/winogrande_xl",
     {"sentence": "The cup fell off the table because _ was wobbly.", "option1": "the cup",
      "option2": "the table", "answer": "2"},
     "The cup fell off the table because _ was wobbly.\n1) the cup\n2) the table", 2),
    ("logiqa", "fireworks-ai/logiqa/default",
     {"context": "All owls fly.", "question": "Does Hoot fly?",
      "options": ["A. yes", "B. no", "C. maybe", "D. never"], "answer": "A"},
     "All owls fly.\n\nQuestion: Does Hoot fly?\n\nA. yes\nB. no\nC. maybe\nD. never", "A"),
    ("drop", "ucinlp/drop/default",
     {"passage": "Ann scored 3 goals, Bo 2.", "question": "How many goals in all?",
      "answers_spans": {"spans": ["5"], "types": ["number"]}},
     "Ann scored 3 goals, Bo 2.\n\nQuestion: How many goals in all?", "5"),
]
# Loaders of a dataset with one labelled split: load_data cuts it in two (4 rows, 1 test).
SINGLE_SPLIT_ROWS: list[tuple[str, str, dict[str, Any], str, str, Any]] = [
    ("humaneval", "openai/openai_humaneval/default/test.jsonl",
     {"task_id": "HumanEval/0", "prompt": "def one():\n", "canonical_solution": "    return 1\n"},
     "prompt", "def one():\n", "    return 1\n"),
    ("bbh", "lukaemon/bbh/boolean_expressions/test.jsonl",
     {"input": "not ( True ) and True is", "target": "False"},
     "question", "not ( True ) and True is", False),
    ("truthfulqa", "truthful_qa/multiple_choice/validation.jsonl",
     {"question": "Can owls turn their heads all the way round?",
      "mc1_targets": {"choices": ["Yes", "No, about 270 degrees"], "labels": [0, 1]}},
     "question", "Can owls turn their heads all the way round?\nA) Yes\nB) No, about 270 degrees",
     "B"),
    ("ifeval", "google/IFEval/default/train.jsonl",
     {"key": 1, "prompt": "Answer in capitals.", "instruction_id_list": [], "kwargs": []},
     "prompt", "Answer in capitals.", "Answer in capitals."),
    ("bbq", "walledai/BBQ/default/age.jsonl",
     {"context": "An old and a young man met.", "question": "Who was forgetful?",
      "choices": ["The old man", "The young man", "Unknown"], "answer": 2},
     "question", "An old and a young man met.\nWho was forgetful?\nA) The old man\n"
     "B) The young man\nC) Unknown", "C"),
]


@pytest.mark.parametrize(("module", "folder", "row", "question", "answer"), LOADER_ROWS,
                         ids=[r[0] for r in LOADER_ROWS])
def test_loader_reads_a_local_copy_into_synalinks_shapes(
        tmp_path: Path, module: str, folder: str, row: dict[str, Any], question: str,
        answer: Any) -> None:
    loader = getattr(sn.datasets, module)
    train, test = loader._BENCHMARK.train_split, loader._BENCHMARK.test_split
    jsonl(tmp_path / folder / f"{train}.jsonl", [row])
    jsonl(tmp_path / folder / f"{test}.jsonl", [row, row])
    (x_train, y_train), (x_test, _) = loader.load_data(local_dir=tmp_path)
    assert isinstance(x_train[0], loader.get_input_data_model())
    assert (x_train[0].question, y_train[0].answer) == (question, answer)
    assert len(x_test) == 2


def test_lambada_cuts_its_only_split_in_two(tmp_path: Path) -> None:
    rows = [{"text": f"the owl number {i} sleeps  all day"} for i in range(5)]
    jsonl(tmp_path / "EleutherAI" / "lambada_openai" / "en" / "test.jsonl", rows)
    (x_train, y_train), (x_test, _) = sn.datasets.lambada.load_data(0.4, local_dir=tmp_path)
    assert (len(x_train), len(x_test)) == (3, 2)
    assert (x_train[0].question, y_train[0].answer) == ("the owl number 0 sleeps all ___", "day")


@pytest.mark.parametrize(("module", "file", "row", "field", "question", "answer"),
                         SINGLE_SPLIT_ROWS, ids=[r[0] for r in SINGLE_SPLIT_ROWS])
def test_single_split_loader_cuts_its_split_in_two(
        tmp_path: Path, module: str, file: str, row: dict[str, Any], field: str,
        question: str, answer: Any) -> None:
    loader = getattr(sn.datasets, module)
    jsonl(tmp_path / file, [row] * 4)
    (x_train, y_train), (x_test, _) = loader.load_data(validation_split=0.25, local_dir=tmp_path)
    assert (len(x_train), len(x_test)) == (3, 1)
    assert isinstance(y_train[0], loader.get_output_data_model())
    target = next(iter(y_train[0].model_dump().values()))
    assert (getattr(x_train[0], field), target) == (question, answer)


def test_hotpotqa_tests_on_hard_questions_and_gives_paragraphs_as_knowledge(
        tmp_path: Path) -> None:
    folder = tmp_path / "hotpot_qa" / "fullwiki"
    context = {"title": ["Owl", "Bee"], "sentences": [["Owls hunt.", "At night."], ["Bees buzz."]]}
    jsonl(folder / "train.jsonl", [{"question": "Who hunts?", "answer": "owls", "level": "easy",
                                    "context": context}])
    jsonl(folder / "validation.jsonl", [
        {"question": "easy one", "answer": "a", "level": "easy", "context": context},
        {"question": "hard one", "answer": "b", "level": "hard", "context": context}])
    (x_train, y_train), (x_test, _) = sn.datasets.hotpotqa.load_data(local_dir=tmp_path)
    assert (x_train[0].question, y_train[0].answer) == ("Who hunts?", "owls")
    assert [x.question for x in x_test] == ["hard one"]
    documents = sn.datasets.hotpotqa.load_knowledge(local_dir=tmp_path)
    assert [(d.title, d.text) for d in documents] == [("Owl", "Owls hunt.\nAt night."),
                                                      ("Bee", "Bees buzz.")]
    assert isinstance(documents[0], sn.datasets.hotpotqa.get_knowledge_data_model())

"""No import cycle between the packages of synalinks_nb.

Every ``import`` / ``from ... import`` in every module is read with :mod:`ast`,
wherever it is written: module level, inside functions (the "lazy" imports that
usually hide a cycle) and under ``if TYPE_CHECKING:``. An import of
``synalinks_nb.<a>...`` from a module of package ``<b>`` is an edge ``b -> a``;
top-level modules (``errors``, ``config``, ``version``...) are leaves everyone
may use, and the package root ``synalinks_nb`` itself is not a package here.

A cycle between two packages means one of them holds code that belongs to the
other (or below both): move it rather than importing lazily.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "synalinks_nb"
PACKAGES = frozenset(p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file())

# Cycles allowed for now, each with why. Keep this empty: remove an entry when its cause
# goes, and never add one without a plan.
ALLOWED: dict[frozenset[str], str] = {}


def _imported(path: Path, root: Path = ROOT) -> Iterator[tuple[str, int]]:
    """Every absolute module name ``path`` (under ``root``) imports, relative ones resolved."""
    package = list(path.relative_to(root.parent).parts[:-1])  # a module's or __init__'s
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            yield base, node.lineno
            for alias in node.names:  # `from synalinks_nb import ops` imports a package
                yield f"{base}.{alias.name}", node.lineno


def _package_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "synalinks_nb" or len(parts) < 2 or parts[1] not in PACKAGES:
        return None
    return parts[1]


def package_edges() -> dict[str, dict[str, list[str]]]:
    """``{importer: {imported: ["file:line", ...]}}`` between packages."""
    edges: dict[str, dict[str, list[str]]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        source = _package_of(".".join(path.relative_to(ROOT.parent).with_suffix("").parts))
        if source is None:
            continue
        for module, line in _imported(path):
            target = _package_of(module)
            if target is not None and target != source:
                where = f"{path.relative_to(ROOT.parent)}:{line}"
                edges.setdefault(source, {}).setdefault(target, []).append(where)
    return edges


def _reachable(edges: dict[str, dict[str, list[str]]], start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        for nxt in edges.get(stack.pop(), {}):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def cycles(edges: dict[str, dict[str, list[str]]]) -> dict[frozenset[str], list[str]]:
    """Each pair of packages that reach each other, with the imports that close the loop."""
    reach = {p: _reachable(edges, p) for p in PACKAGES}
    found: dict[frozenset[str], list[str]] = {}
    for a in sorted(PACKAGES):
        for b in sorted(reach[a]):
            if a < b and a in reach[b]:
                found[frozenset({a, b})] = [
                    f"{src} -> {dst}: {where}"
                    for src in (a, b)
                    for dst, places in edges.get(src, {}).items()
                    if src in reach[dst]
                    for where in dict.fromkeys(places)  # once per import statement
                ]
    return found


def test_no_import_cycle_between_packages() -> None:
    found = cycles(package_edges())
    unexpected = {pair: where for pair, where in found.items() if pair not in ALLOWED}
    assert not unexpected, "Import cycles between packages:\n" + "\n".join(
        f"{' <-> '.join(sorted(pair))}:\n    " + "\n    ".join(where)
        for pair, where in unexpected.items()
    )


def test_every_allowed_cycle_still_exists() -> None:
    # An allowance outliving its cycle would let the cycle come back unnoticed.
    found = cycles(package_edges())
    assert [sorted(pair) for pair in ALLOWED if pair not in found] == []


def test_the_check_sees_function_level_and_relative_imports(tmp_path: Path) -> None:
    module = tmp_path / "synalinks_nb" / "ops" / "x.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "def f():\n    from synalinks_nb.programs import Program\n"
        "from ..saving import file_io\n",
        encoding="utf-8",
    )
    assert sorted(_imported(module, root=tmp_path / "synalinks_nb")) == [
        ("synalinks_nb.programs", 2),
        ("synalinks_nb.programs.Program", 2),
        ("synalinks_nb.saving", 3),
        ("synalinks_nb.saving.file_io", 3),
    ]


def test_a_cycle_is_reported_with_its_imports() -> None:
    edges = {"data_models": {"ops": ["data_models/a.py:3"]},
             "ops": {"data_models": ["ops/b.py:9"]}}
    assert cycles(edges) == {frozenset({"data_models", "ops"}): [
        "data_models -> ops: data_models/a.py:3", "ops -> data_models: ops/b.py:9"]}

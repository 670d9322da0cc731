"""Write the parameters of Synalinks' public callables, read from a snapshot of its repository.

For every public name of ``synalinks/api/**/__init__.py`` this script finds where Synalinks
defines it (following re-exports and aliases through the modules' imports), parses that
module with ``ast`` (nothing is imported or run) and records the parameters users can pass:

- a function: its parameters, under the key ``"()"``;
- a class: ``__init__`` (inherited from its Synalinks bases when it has none; a data model
  without one gets its fields as keyword-only parameters), ``__call__``, and every public
  method defined on the class or on a base that Synalinks does not export itself (a base
  that is exported carries its methods under its own name).

Each parameter is ``[name, kind, has_default]`` with ``kind`` one of
``positional_only``, ``positional_or_keyword``, ``var_positional``, ``keyword_only``,
``var_keyword`` (``inspect.Parameter`` kinds, lower-case). The file holds one public name
per line, so a refresh shows as a readable diff.
``self``/``cls`` are dropped. Only names and parameter lists are recorded: no code is copied.
``tests/compat/test_signatures.py`` compares them with ours.

    python scripts/synalinks_signatures.py                       # default snapshot and output
    python scripts/synalinks_signatures.py --repo DIR --rev REV --out FILE
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPO = Path("/work/.mirror/SynaLinks+synalinks/repo")
DEFAULT_OUT = ROOT / "tests" / "compat" / "synalinks_signatures.json"
API_DIR = "synalinks/api/"
FUNCTION_KEY = "()"
# Bases outside Synalinks whose classes take their fields as keyword arguments.
FIELD_BASES = {"BaseModel", "DataModel"}
# Decorators that make a method something other than a call users make: properties, and
# pydantic's validators and serializers (pydantic calls them while building a model).
NOT_CALLS = {"property", "setter", "deleter", "cached_property", "abstractproperty",
             "field_validator", "model_validator", "validator", "root_validator",
             "field_serializer", "model_serializer"}

Params = list[dict[str, object]]


def git(repo: Path, *args: str) -> str:
    """Output of ``git -C repo args``."""
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


@dataclass(frozen=True)
class Definition:
    """A class or function node and the dotted module that defines it."""

    module: str
    node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef


class Snapshot:
    """Synalinks' modules at one commit, parsed on demand."""

    def __init__(self, repo: Path, commit: str) -> None:
        self.repo, self.commit = repo, commit
        self.files = set(git(repo, "ls-tree", "-r", "--name-only", commit).splitlines())
        self._trees: dict[str, ast.Module | None] = {}

    def tree(self, module: str) -> ast.Module | None:
        """The parsed source of a dotted module, or None when it is not in the snapshot."""
        if module not in self._trees:
            base = module.replace(".", "/")
            path = next((p for p in (f"{base}.py", f"{base}/__init__.py") if p in self.files),
                        None)
            self._trees[module] = (
                None if path is None
                else ast.parse(git(self.repo, "show", f"{self.commit}:{path}"))
            )
        return self._trees[module]

    def is_package(self, module: str) -> bool:
        return f"{module.replace('.', '/')}/__init__.py" in self.files

    def resolve(self, module: str, name: str, depth: int = 0) -> Definition | None:
        """Where ``name`` as seen from ``module`` is defined (None: outside Synalinks)."""
        tree = self.tree(module)
        if tree is None or depth > 20:
            return None
        found: Definition | None = None
        for stmt in top_level(tree):
            hit = self._binding(stmt, module, name, depth)
            if hit is not None:
                found = hit  # the last binding wins, as at import time
        return found

    def _binding(self, stmt: ast.stmt, module: str, name: str,
                 depth: int) -> Definition | None:
        if isinstance(stmt, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            return Definition(module, stmt) if stmt.name == name else None
        if isinstance(stmt, ast.ImportFrom):
            source = absolute(module, stmt, self.is_package(module))
            for alias in stmt.names:
                if (alias.asname or alias.name) == name and source.startswith("synalinks"):
                    return self.resolve(source, alias.name, depth + 1)
            return None
        if (isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Name | ast.Attribute)
                and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets)):
            return self.resolve_expr(module, stmt.value, depth + 1)
        return None

    def resolve_expr(self, module: str, expr: ast.expr, depth: int = 0) -> Definition | None:
        """Resolve ``Name`` or ``pkg.mod.Name`` as written in ``module``."""
        if isinstance(expr, ast.Name):
            return self.resolve(module, expr.id, depth)
        if isinstance(expr, ast.Attribute):
            owner = self.module_alias(module, expr.value)
            if owner is not None:
                return self.resolve(owner, expr.attr, depth)
        return None

    def module_alias(self, module: str, expr: ast.expr) -> str | None:
        """The dotted module an expression such as ``backend`` names in ``module``."""
        if not isinstance(expr, ast.Name):
            return None
        tree = self.tree(module)
        for stmt in top_level(tree) if tree else ():
            if isinstance(stmt, ast.ImportFrom):
                source = absolute(module, stmt, self.is_package(module))
                for alias in stmt.names:
                    candidate = f"{source}.{alias.name}"
                    if (alias.asname or alias.name) == expr.id and self.tree(candidate):
                        return candidate
            if isinstance(stmt, ast.Import):
                for alias in stmt.names:
                    if alias.asname == expr.id:
                        return alias.name
        return None


def top_level(tree: ast.Module) -> Iterator[ast.stmt]:
    """Module-level statements, looking inside ``if``/``try`` blocks but not functions."""
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        stmt = pending.pop(0)
        if isinstance(stmt, ast.If):
            pending[:0] = [*stmt.body, *stmt.orelse]
        elif isinstance(stmt, ast.Try):
            pending[:0] = [*stmt.body, *[s for h in stmt.handlers for s in h.body]]
        else:
            yield stmt


def absolute(module: str, stmt: ast.ImportFrom, is_package: bool) -> str:
    """The absolute module of a possibly relative ``from ... import``."""
    if not stmt.level:
        return stmt.module or ""
    parts = module.split(".")
    keep = len(parts) - stmt.level + (1 if is_package else 0)
    return ".".join(parts[:keep] + ([stmt.module] if stmt.module else []))


def parameters(func: ast.FunctionDef | ast.AsyncFunctionDef, bound: bool) -> Params:
    """The parameters of a ``def``, without ``self``/``cls`` when ``bound``."""
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    rows: Params = []
    for index, arg in enumerate(positional):
        kind = "positional_only" if index < len(args.posonlyargs) else "positional_or_keyword"
        rows.append({"name": arg.arg, "kind": kind, "default": index >= first_default})
    if args.vararg:
        rows.append({"name": args.vararg.arg, "kind": "var_positional", "default": True})
    for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        rows.append({"name": arg.arg, "kind": "keyword_only", "default": default is not None})
    if args.kwarg:
        rows.append({"name": args.kwarg.arg, "kind": "var_keyword", "default": True})
    return rows[1:] if bound and rows and rows[0]["kind"] != "var_positional" else rows


def decorator_names(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names = set()
    for deco in func.decorator_list:
        target = deco.func if isinstance(deco, ast.Call) else deco
        if isinstance(target, ast.Name):
            names.add(target.id)
        elif isinstance(target, ast.Attribute):
            names.add(target.attr)
    return names


def method_params(func: ast.FunctionDef | ast.AsyncFunctionDef) -> Params:
    return parameters(func, bound="staticmethod" not in decorator_names(func))


def field_params(classes: list[Definition]) -> Params:
    """A data model's fields (its own and its bases'), as keyword-only parameters."""
    rows: dict[str, dict[str, object]] = {}
    for definition in reversed(classes):  # bases first, so subclasses override
        assert isinstance(definition.node, ast.ClassDef)
        for stmt in definition.node.body:
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                name = stmt.target.id
                if name.startswith("_") or is_classvar(stmt.annotation):
                    continue
                rows[name] = {"name": name, "kind": "keyword_only",
                              "default": field_has_default(stmt.value)}
    return list(rows.values())


def is_classvar(annotation: ast.expr) -> bool:
    return "ClassVar" in ast.unparse(annotation)


def field_has_default(value: ast.expr | None) -> bool:
    if value is None:
        return False
    if isinstance(value, ast.Call) and ast.unparse(value.func).endswith("Field"):
        if any(k.arg in ("default", "default_factory") for k in value.keywords):
            return True
        return bool(value.args) and not (
            isinstance(value.args[0], ast.Constant) and value.args[0].value is Ellipsis)
    return True


class Recorder:
    """Parameters of the public names, with the snapshot and the set of exported origins."""

    def __init__(self, snapshot: Snapshot, definitions: list[Definition]) -> None:
        self.snapshot = snapshot
        self.exported = {(d.module, d.node.name) for d in definitions}
        self.represented: dict[tuple[str, str], tuple[str, str]] = {}
        # ``class DataModel(BackendDataModel): pass`` exports its base under another name:
        # the base's methods belong to that export, not to every other subclass.
        for definition in definitions:
            node = definition.node
            if isinstance(node, ast.ClassDef) and is_thin(node) and len(node.bases) == 1:
                base = snapshot.resolve_expr(definition.module, node.bases[0])
                if base is not None:
                    self.represented[(base.module, base.node.name)] = (definition.module,
                                                                       node.name)

    def mro(self, definition: Definition) -> tuple[list[Definition], set[str]]:
        """The class and its Synalinks bases (depth first), and the names of outside bases."""
        chain, outside, pending = [], set(), [definition]
        while pending:
            current = pending.pop(0)
            if any(c.node is current.node for c in chain):
                continue
            chain.append(current)
            assert isinstance(current.node, ast.ClassDef)
            bases = []
            for base in current.node.bases:
                found = self.snapshot.resolve_expr(current.module, base)
                if found is not None and isinstance(found.node, ast.ClassDef):
                    bases.append(found)
                else:
                    outside.add(ast.unparse(base).rsplit(".", 1)[-1])
            pending[:0] = bases
        return chain, outside

    def record(self, definition: Definition) -> dict[str, Params]:
        if not isinstance(definition.node, ast.ClassDef):
            return {FUNCTION_KEY: parameters(definition.node, bound=False)}
        chain, outside = self.mro(definition)
        if "Enum" in outside or "IntEnum" in outside:
            return {}
        callables: dict[str, Params] = {}
        init = self._first_method(chain, "__init__")
        if init is not None:
            callables["__init__"] = method_params(init)
        elif outside & FIELD_BASES:
            callables["__init__"] = field_params(chain)
        me = (definition.module, definition.node.name)
        own = [definition] + [c for c in chain[1:] if self._carried_by(c, me)]
        for current in own:
            for name, func in methods(current):
                if name not in callables and (name == "__call__" or not name.startswith("_")):
                    callables[name] = method_params(func)
        if "__call__" not in callables and (call := self._first_method(chain, "__call__")):
            callables["__call__"] = method_params(call)
        return callables

    def _carried_by(self, base: Definition, me: tuple[str, str]) -> bool:
        """Whether the methods of ``base`` are recorded under the class ``me``."""
        key = (base.module, base.node.name)
        if key in self.represented:
            return self.represented[key] == me
        return key not in self.exported

    @staticmethod
    def _first_method(chain: list[Definition],
                      name: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for current in chain:
            for method_name, func in methods(current):
                if method_name == name:
                    return func
        return None


def is_thin(node: ast.ClassDef) -> bool:
    """A class whose body is only a docstring and/or ``pass``."""
    return all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr)
               and isinstance(s.value, ast.Constant)) for s in node.body)


def methods(definition: Definition) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """The methods a class body defines, without properties and their setters."""
    assert isinstance(definition.node, ast.ClassDef)
    for stmt in definition.node.body:
        if (isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef)
                and not decorator_names(stmt) & NOT_CALLS):
            yield stmt.name, stmt


def public_names(snapshot: Snapshot) -> list[tuple[str, str, str]]:
    """(public path, defining module, name there) of every exported non-module name."""
    rows = []
    for path in sorted(p for p in snapshot.files
                       if p.startswith(API_DIR) and p.endswith("/__init__.py")):
        package = ".".join(["synalinks", *path[len(API_DIR):].split("/")[:-1]])
        tree = snapshot.tree(path[:-len("/__init__.py")].replace("/", "."))
        for node in top_level(tree) if tree else ():
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if node.module.startswith("synalinks.api"):
                continue
            for alias in node.names:
                public = alias.asname or alias.name
                if not public.startswith("_"):
                    rows.append((f"{package}.{public}", node.module, alias.name))
    return rows


def render(document: dict[str, Any]) -> str:
    """The JSON text: one line per public name, parameters as ``[name, kind, default]``."""
    lines = ["{", f' "source": {json.dumps(document["source"])},',
             f' "generated_by": {json.dumps(document["generated_by"])},', ' "signatures": {']
    entries = []
    for public, callables in sorted(document["signatures"].items()):
        compact = {name: [[p["name"], p["kind"], p["default"]] for p in params]
                   for name, params in sorted(callables.items())}
        entries.append(f"  {json.dumps(public)}: {json.dumps(compact, separators=(',', ':'))}")
    return "\n".join(lines) + "\n" + ",\n".join(entries) + "\n }\n}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repo", type=Path, default=DEFAULT_REPO)
    parser.add_argument("--rev", default="HEAD")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    commit = git(args.repo, "rev-parse", args.rev).strip()
    snapshot = Snapshot(args.repo, commit)
    names = public_names(snapshot)
    definitions = {public: snapshot.resolve(module, name) for public, module, name in names}
    recorder = Recorder(snapshot, [d for d in definitions.values() if d is not None])
    signatures = {public: recorder.record(d) for public, d in sorted(definitions.items())
                  if d is not None}
    document = {
        "source": f"SynaLinks/synalinks@{commit}",
        "generated_by": "scripts/synalinks_signatures.py (do not edit by hand: regenerate)",
        "signatures": {k: v for k, v in signatures.items() if v},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(document), encoding="utf-8")
    unresolved = sorted(public for public, d in definitions.items() if d is None)
    print(f"{len(document['signatures'])} names with callables -> {args.out}; "
          f"{len(unresolved)} not classes or functions of Synalinks (constants, outside "
          f"objects): {unresolved[:8]}...")


if __name__ == "__main__":
    main()

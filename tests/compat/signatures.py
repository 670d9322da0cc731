"""Compare Synalinks' recorded parameters with ours: the gaps a Synalinks call would hit.

``synalinks_signatures.json`` is written by ``scripts/synalinks_signatures.py`` from
Synalinks' repository. For each public name and callable (``"()"`` for a function,
``__init__`` for a class's constructor, otherwise a method), a gap is one line:

- ``synalinks.X.fit`` — we have no such method;
- ``synalinks.X.fit:name`` — Synalinks accepts the keyword ``name`` and we do not;
- ``synalinks.X.fit:name@2`` — Synalinks takes ``name`` as its third positional
  parameter, without a default (users pass it positionally), and our third is another;
- ``synalinks.X.fit:+name`` — we require ``name``, which Synalinks does not take.

A ``**kwargs`` on our side accepts a name only when the code really handles it: the body
takes it out by name (``kwargs.pop("name")``, ``.get``, ``.setdefault``); or a method whose
``**kwargs`` go to ``super().<method>(..., **kwargs)`` accepts what the next implementation
in the class's MRO accepts; or ``KWARGS_TARGETS`` names the callable they are handed to;
or the class declares the names in a tuple attribute of the same name as the ``**``
parameter (``**search_options`` and ``search_options = ("threshold", ...)``, checked by
the constructor).
Any other ``**kwargs`` accepts nothing.
"""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import synalinks_nb

HERE = Path(__file__).parent
POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
BY_NAME = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
VARIADIC = ("var_positional", "var_keyword")
# ``**kwargs`` that our code hands, whole, to another callable (read in the code, and
# tested in test_signatures.py): the names that callable takes are accepted.
KWARGS_TARGETS: dict[tuple[str, str], tuple[object, str]] = {
    ("synalinks.Action", "__init__"): (synalinks_nb.Generator, "__init__"),
    ("synalinks.MultiDecision", "__init__"): (synalinks_nb.Generator, "__init__"),
    ("synalinks.Branch", "__init__"): (synalinks_nb.Decision, "__init__"),
}
Recorded = list[dict[str, Any]]


def recorded() -> dict[str, dict[str, Recorded]]:
    """Synalinks' public names -> callable -> parameters (``{"name", "kind", "default"}``)."""
    document = json.loads((HERE / "synalinks_signatures.json").read_text(encoding="utf-8"))
    return {public: {name: [{"name": n, "kind": k, "default": d} for n, k, d in params]
                     for name, params in callables.items()}
            for public, callables in document["signatures"].items()}


def ours(public: str) -> object | None:
    """``synalinks.a.b`` as ``synalinks_nb.a.b``, or None when it does not exist."""
    obj: object = synalinks_nb
    for part in public.split(".")[1:]:
        if not hasattr(obj, part):
            return None
        obj = getattr(obj, part)
    return obj


def our_callable(obj: object, name: str) -> tuple[inspect.Signature, Callable[..., Any]] | None:
    """Our signature for Synalinks' callable ``name`` of ``obj`` (``self`` dropped)."""
    if name == "()":
        return (_signature(obj), obj) if callable(obj) else None
    if not isinstance(obj, type):
        return None
    if name == "__init__":
        init = _constructor(obj)
        return (_signature(obj), init) if init is not None else (_signature(obj), obj)
    if not hasattr(obj, name):
        return None
    static = inspect.getattr_static(obj, name)
    if isinstance(static, property):
        return None
    function = getattr(obj, name)
    signature = _signature(function)
    if not isinstance(static, classmethod | staticmethod):
        signature = signature.replace(parameters=list(signature.parameters.values())[1:])
    return signature, function


def _signature(obj: Any) -> inspect.Signature:
    try:
        return inspect.signature(obj)
    except (TypeError, ValueError):
        return inspect.Signature([
            inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL),
            inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD),
        ])


def _constructor(cls: type) -> Callable[..., Any] | None:
    for klass in cls.__mro__:
        if "__init__" in vars(klass) and klass is not object:
            init: Callable[..., Any] = vars(klass)["__init__"]
            return init
    return None


def kwargs_reach(cls: type, method: str, function: Callable[..., Any], name: str) -> bool:
    """Whether a method's ``**kwargs`` carry ``name`` to an implementation that takes it.

    They do when the body passes them on as ``super().<method>(..., **kwargs)`` and the
    next implementation in the MRO takes ``name`` (or passes it on in turn).
    """
    owner = next((k for k in cls.__mro__ if _raw(vars(k).get(method)) is _raw(function)),
                 None)
    if owner is None or not _forwards_kwargs(function, method):
        return False
    mro = cls.__mro__
    for klass in mro[mro.index(owner) + 1:]:
        implementation = vars(klass).get(method)
        if implementation is None or klass is object:
            continue
        parameters = _signature(_raw(implementation)).parameters
        if name in parameters and parameters[name].kind in BY_NAME:
            return True
        has_var = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
        return has_var and kwargs_reach(cls, method, _raw(implementation), name)
    return False


def _raw(function: Any) -> Any:
    return function.__func__ if isinstance(function, classmethod | staticmethod) else function


def _forwards_kwargs(function: Callable[..., Any], method: str) -> bool:
    """Whether the body calls ``super().<method>(..., **<its var-keyword>)``."""
    definition = _definition(function)
    if definition is None or definition.args.kwarg is None:
        return False
    var_keyword = definition.args.kwarg.arg
    for node in ast.walk(definition):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == method
                and "super" in ast.unparse(node.func.value)
                and any(k.arg is None and ast.unparse(k.value) == var_keyword
                        for k in node.keywords)):
            return True
    return False


def takes(obj: object, method: str, param: str) -> bool:
    """Whether our ``obj.method`` takes the keyword ``param`` (its own or passed on)."""
    mine = our_callable(obj, method)
    if mine is None:
        return False
    parameters = mine[0].parameters
    if param in parameters and parameters[param].kind in BY_NAME:
        return True
    return isinstance(obj, type) and kwargs_reach(obj, method, mine[1], param)


def _pydantic_field(obj: object, name: str) -> bool:
    """A pydantic model's field taken by its own name (``populate_by_name``), though the
    signature shows its alias (``schema_`` shown as ``schema``)."""
    fields = getattr(obj, "model_fields", None)
    config = getattr(obj, "model_config", {})
    return (isinstance(fields, dict) and name in fields
            and bool(config.get("populate_by_name") or config.get("validate_by_name")))


def reads_kwarg(function: Callable[..., Any], name: str) -> bool:
    """Whether the body takes ``name`` out of its ``**kwargs`` by name.

    That is ``kwargs.pop("name"...)``, ``kwargs.get("name"...)`` or
    ``kwargs.setdefault("name"...)``: the code handles the keyword itself.
    """
    definition = _definition(function)
    if definition is None or definition.args.kwarg is None:
        return False
    var_keyword = definition.args.kwarg.arg
    for node in ast.walk(definition):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("pop", "get", "setdefault")
                and isinstance(node.func.value, ast.Name) and node.func.value.id == var_keyword
                and node.args and isinstance(node.args[0], ast.Constant)
                and node.args[0].value == name):
            return True
    return False


def _definition(function: Callable[..., Any]) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return None
    definition = tree.body[0]
    return definition if isinstance(definition, ast.FunctionDef | ast.AsyncFunctionDef) else None


def callable_gaps(key: str, theirs: Recorded, signature: inspect.Signature,
                  accepts: Callable[[str], bool]) -> Iterator[str]:
    """The gaps of one callable, given ours and a test for names ``**kwargs`` handles."""
    mine = signature.parameters
    their_names = {p["name"] for p in theirs}
    our_positional = [p for p in mine.values() if p.kind in POSITIONAL]
    has_var_positional = any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in mine.values())
    their_positional = [p for p in theirs if p["kind"] in ("positional_only",
                                                           "positional_or_keyword")]
    for index, param in enumerate(their_positional):
        if param["default"]:
            continue
        if index < len(our_positional):
            if our_positional[index].name != param["name"]:
                yield f"{key}:{param['name']}@{index}"
        elif not has_var_positional:
            yield f"{key}:{param['name']}@{index}"
    for param in theirs:
        if param["kind"] in VARIADIC or param["kind"] == "positional_only":
            continue
        name = param["name"]
        if name in mine and mine[name].kind in BY_NAME:
            continue
        if not accepts(name):
            yield f"{key}:{name}"
    if any(p["kind"] in VARIADIC for p in theirs):
        return  # Synalinks takes anything: our required parameters may come through it
    for param in mine.values():
        required = param.default is inspect.Parameter.empty and param.kind not in (
            inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        if (required and param.name not in their_names
                and not _covered_positionally(param, our_positional, their_positional)):
            yield f"{key}:+{param.name}"


def _covered_positionally(param: inspect.Parameter, our_positional: list[inspect.Parameter],
                          their_positional: Recorded) -> bool:
    """A required positional of ours that Synalinks' required one at its index fills."""
    if param not in our_positional:
        return False
    index = our_positional.index(param)
    return index < len(their_positional) and not their_positional[index]["default"]


def checked(names: set[str]) -> Iterator[tuple[str, object, str, Recorded]]:
    """(public path, our object, callable, Synalinks' parameters) to compare.

    Only ``names`` (the core), each object once under its shortest path (``synalinks.X``
    rather than ``synalinks.backend.X``), and for optimizers only the constructor.
    """
    seen: set[tuple[int, str]] = set()
    alive: list[object] = []  # ids stay unique only while their objects live (bound methods)
    signatures = recorded()
    for public in sorted(signatures, key=lambda p: (p.count("."), p)):
        obj = ours(public)
        if public not in names or obj is None:
            continue
        for name, theirs in sorted(signatures[public].items()):
            if (id(obj), name) in seen:
                continue
            seen.add((id(obj), name))
            alive.append(obj)
            if name != "__init__" and _is_optimizer(obj):
                continue
            yield public, obj, name, theirs


def _is_optimizer(obj: object) -> bool:
    """Optimizers' other methods are Synalinks' subclass contract, which ours replaces."""
    return isinstance(obj, type) and issubclass(obj, synalinks_nb.optimizers.Optimizer)


def gaps(names: set[str]) -> list[str]:
    """Every gap, for every recorded core name that exists here."""
    found: list[str] = []
    for public, obj, name, theirs in checked(names):
        key = public if name == "()" else f"{public}.{name}"
        mine = our_callable(obj, name)
        if mine is None:
            found.append(key)
            continue
        signature, function = mine
        handler = _KwargsHandler(public, obj, name, function, signature)
        found.extend(callable_gaps(key, theirs, signature, handler.accepts))
    return found


class _KwargsHandler:
    """Which names one of our callables takes beyond its named parameters."""

    def __init__(self, public: str, obj: object, name: str, function: Any,
                 signature: inspect.Signature) -> None:
        self.public, self.obj, self.name, self.function = public, obj, name, function
        self.var_keyword = next((p.name for p in signature.parameters.values()
                                 if p.kind is inspect.Parameter.VAR_KEYWORD), None)

    def accepts(self, param: str) -> bool:
        if self.name == "__init__" and _pydantic_field(self.obj, param):
            return True
        if not self.var_keyword:
            return False
        if (self.public, self.name) in KWARGS_TARGETS:
            return takes(*KWARGS_TARGETS[(self.public, self.name)], param)
        if reads_kwarg(self.function, param):
            return True
        # ``**search_options`` checked against the class's ``search_options`` tuple.
        declared = getattr(self.obj, self.var_keyword, None)
        if isinstance(declared, tuple) and param in declared:
            return True
        return isinstance(self.obj, type) and kwargs_reach(self.obj, self.name, self.function,
                                                           param)

"""Deterministic layered layout of a program graph, in pure Python.

This is the layout of the static SVG (GitHub, nbconvert, any frontend without
widgets) and the same algorithm as ``js/graph/model.ts`` (the dashboard's small
graph): the interactive ProgramGraph uses dagre instead, which draws similar
pictures but is not available without JavaScript.

Steps:

1. **Groups.** A node that is the ``parent`` of other nodes (a nested program)
   becomes a group box. Edges that end on a group are re-attached to its entry
   node (first inner node without an inner predecessor) or exit node (last one
   without an inner successor).
2. **Blocks.** Each container (the top level, then every group, innermost
   first) is laid out on its own; a group then sits in its parent as one block
   of its size. So a group box contains exactly its own nodes and never another.
3. **Layers.** Longest-path layering (cycles broken by ignoring back edges found
   depth-first in graph order), so every edge points down.
4. **Order.** Barycentric ordering within layers, four sweeps (down, up, down,
   up), ties broken by the previous position: deterministic.
5. **Coordinates.** Layers are stacked top to bottom, each row centred.

Node sizes come from the text length (no font measuring), with the same formula
as the JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from synalinks_nb.visualization.graph_types import GraphDict, GraphNodeDict

__all__ = [
    "GAP_X",
    "GAP_Y",
    "GROUP_LABEL",
    "GROUP_PAD",
    "MARGIN",
    "NODE_HEIGHT",
    "Box",
    "EdgeRoute",
    "GraphLayout",
    "layout_graph",
    "longest_path_layers",
    "node_width",
]

NODE_HEIGHT = 48
GROUP_PAD = 12
GROUP_LABEL = 22
GAP_X = 28
GAP_Y = 40
MARGIN = 16


@dataclass(frozen=True)
class Box:
    """A rectangle; ``x``, ``y`` is its top-left corner."""

    x: float
    y: float
    width: float
    height: float

    def moved(self, dx: float, dy: float) -> Box:
        """The same box shifted by ``dx``, ``dy``."""
        return Box(self.x + dx, self.y + dy, self.width, self.height)

    def contains(self, other: Box) -> bool:
        """Whether ``other`` lies entirely inside this box."""
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.x + other.width <= self.x + self.width
            and other.y + other.height <= self.y + self.height
        )

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share any area."""
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


@dataclass(frozen=True)
class EdgeRoute:
    """An edge drawn from the bottom of ``source`` to the top of ``target``."""

    source: str
    target: str
    points: tuple[tuple[float, float], ...]


@dataclass
class GraphLayout:
    """Positions of every node (``nodes``), group box (``groups``) and edge."""

    width: float
    height: float
    nodes: dict[str, Box] = field(default_factory=dict)
    groups: dict[str, Box] = field(default_factory=dict)
    edges: list[EdgeRoute] = field(default_factory=list)


def node_width(node: GraphNodeDict) -> int:
    """Width of a node box from its name and type (same formula as the JavaScript)."""
    chars = max(len(node["name"]), len(node["type"]) + (12 if node["trainable"] else 0))
    return min(260, max(110, _js_round(chars * 7.2 + 32)))


def _js_round(x: float) -> int:
    # Math.round rounds halves up; Python's round() rounds them to even.
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


@dataclass
class _Prepared:
    by_id: dict[str, GraphNodeDict]
    groups: set[str]
    children: dict[str, list[str]]
    edges: list[tuple[str, str]]


def _parent_of(by_id: dict[str, GraphNodeDict], node_id: str) -> str:
    p = by_id[node_id]["parent"] if node_id in by_id else None
    return p if p and p in by_id else ""


def _is_under(by_id: dict[str, GraphNodeDict], node_id: str, group: str) -> bool:
    p = _parent_of(by_id, node_id)
    for _ in range(64):
        if not p:
            return False
        if p == group:
            return True
        p = _parent_of(by_id, p)
    return False


def _prepare(graph: GraphDict) -> _Prepared:
    by_id = {n["id"]: n for n in graph["nodes"]}
    groups: set[str] = set()
    children: dict[str, list[str]] = {"": []}
    for n in graph["nodes"]:
        p = _parent_of(by_id, n["id"])
        if p:
            groups.add(p)
        children.setdefault(p, []).append(n["id"])
    leaves = [n["id"] for n in graph["nodes"] if n["id"] not in groups]

    def resolve(node_id: str, end: str) -> str:
        if node_id not in groups:
            return node_id
        inside = [leaf for leaf in leaves if _is_under(by_id, leaf, node_id)]
        inner = [
            e
            for e in graph["edges"]
            if _is_under(by_id, e["source"], node_id) and _is_under(by_id, e["target"], node_id)
        ]
        if end == "entry":
            picks = [x for x in inside if not any(e["target"] == x for e in inner)]
        else:
            picks = [x for x in reversed(inside) if not any(e["source"] == x for e in inner)]
        return picks[0] if picks else (inside[0] if inside else node_id)

    edges: list[tuple[str, str]] = []
    for e in graph["edges"]:
        if e["source"] not in by_id or e["target"] not in by_id:
            continue
        pair = (resolve(e["source"], "exit"), resolve(e["target"], "entry"))
        if pair[0] != pair[1] and pair not in edges:
            edges.append(pair)
    return _Prepared(by_id, groups, children, edges)


def longest_path_layers(ids: list[str], succ: dict[str, list[str]]) -> dict[str, int]:
    """Layer of each node: the length of the longest path reaching it.

    Back edges (found depth-first, in ``ids`` order) are ignored, so cycles do
    not loop forever.

    Example:
        >>> longest_path_layers(["a", "b", "c"], {"a": ["b", "c"], "b": ["c"]})
        {'a': 0, 'b': 1, 'c': 2}
    """
    state: dict[str, int] = {}
    order: list[str] = []
    kept: dict[str, list[str]] = {i: [] for i in ids}

    def visit(start: str) -> None:
        # Iterative DFS (deep graphs must not hit the recursion limit).
        state[start] = 1
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            node, i = stack[-1]
            nexts = succ.get(node, [])
            if i < len(nexts):
                stack[-1] = (node, i + 1)
                t = nexts[i]
                if state.get(t) == 1:
                    continue  # back edge: breaks a cycle
                kept.setdefault(node, []).append(t)
                if t not in state:
                    state[t] = 1
                    stack.append((t, 0))
            else:
                state[node] = 2
                order.append(node)
                stack.pop()

    for i in ids:
        if i not in state:
            visit(i)
    layer = dict.fromkeys(ids, 0)
    for node in reversed(order):
        for t in kept.get(node, []):
            layer[t] = max(layer.get(t, 0), layer.get(node, 0) + 1)
    return layer


@dataclass
class _Block:
    width: float
    height: float
    nodes: dict[str, Box]
    groups: dict[str, Box]


def _order_layers(
    layers: list[list[str]], succ: dict[str, list[str]], pred: dict[str, list[str]]
) -> None:
    pos = {node: i for layer in layers for i, node in enumerate(layer)}
    for sweep in range(4):
        down = sweep % 2 == 0
        seq = layers[1:] if down else list(reversed(layers[:-1]))
        for layer in seq:
            bary: dict[str, float] = {}
            for node in layer:
                nbrs = (pred if down else succ).get(node, [])
                bary[node] = sum(pos[n] for n in nbrs) / len(nbrs) if nbrs else float(pos[node])
            layer.sort(key=lambda n: (bary[n], pos[n]))
            for i, node in enumerate(layer):
                pos[node] = i


def _layout_block(container: str, prep: _Prepared) -> _Block:
    members = prep.children.get(container, [])
    size: dict[str, tuple[float, float]] = {}
    inner: dict[str, _Block] = {}
    for m in members:
        if m in prep.groups:
            b = _layout_block(m, prep)
            inner[m] = b
            size[m] = (b.width + 2 * GROUP_PAD, b.height + 2 * GROUP_PAD + GROUP_LABEL)
        else:
            size[m] = (node_width(prep.by_id[m]), NODE_HEIGHT)
    member_set = set(members)

    def lift(node_id: str) -> str | None:
        cur: str | None = node_id
        for _ in range(64):
            if cur is None or cur in member_set:
                return cur
            cur = prep.by_id[cur]["parent"] if cur in prep.by_id else None
        return None

    succ: dict[str, list[str]] = {m: [] for m in members}
    pred: dict[str, list[str]] = {m: [] for m in members}
    for source, target in prep.edges:
        u, v = lift(source), lift(target)
        if u is None or v is None or u == v or v in succ[u]:
            continue
        succ[u].append(v)
        pred[v].append(u)
    layer_of = longest_path_layers(members, succ)
    layers: list[list[str]] = [[] for _ in range(max(layer_of.values(), default=-1) + 1)]
    for m in members:
        layers[layer_of[m]].append(m)
    _order_layers(layers, succ, pred)
    return _place(layers, size, inner)


def _place(
    layers: list[list[str]], size: dict[str, tuple[float, float]], inner: dict[str, _Block]
) -> _Block:
    def row_width(layer: list[str]) -> float:
        return sum(size[m][0] for m in layer) + GAP_X * max(0, len(layer) - 1)

    width = max([0.0, *(row_width(layer) for layer in layers)])
    nodes: dict[str, Box] = {}
    groups: dict[str, Box] = {}
    y = 0.0
    for layer in layers:
        row_h = max([0.0, *(size[m][1] for m in layer)])
        x = (width - row_width(layer)) / 2
        for m in layer:
            w, h = size[m]
            top = y + (row_h - h) / 2
            if m in inner:
                groups[m] = Box(x, top, w, h)
                ox, oy = x + GROUP_PAD, top + GROUP_PAD + GROUP_LABEL
                nodes.update({k: b.moved(ox, oy) for k, b in inner[m].nodes.items()})
                groups.update({k: b.moved(ox, oy) for k, b in inner[m].groups.items()})
            else:
                nodes[m] = Box(x, top, w, h)
            x += w + GAP_X
        y += row_h + GAP_Y
    return _Block(width, max(0.0, y - GAP_Y), nodes, groups)


def layout_graph(graph: GraphDict) -> GraphLayout:
    """Lay out a normalised graph (see :func:`normalize_graph`).

    Example:
        >>> from synalinks_nb.visualization import normalize_graph
        >>> g = normalize_graph({"name": "p", "nodes": [{"id": "a"}, {"id": "b"}],
        ...                      "edges": [{"source": "a", "target": "b"}]})
        >>> lay = layout_graph(g)
        >>> lay.nodes["a"].y < lay.nodes["b"].y
        True
    """
    prep = _prepare(graph)
    block = _layout_block("", prep)
    nodes = {k: b.moved(MARGIN, MARGIN) for k, b in block.nodes.items()}
    groups = {k: b.moved(MARGIN, MARGIN) for k, b in block.groups.items()}
    edges = [
        EdgeRoute(
            s,
            t,
            (
                (nodes[s].x + nodes[s].width / 2, nodes[s].y + nodes[s].height),
                (nodes[t].x + nodes[t].width / 2, nodes[t].y),
            ),
        )
        for s, t in prep.edges
        if s in nodes and t in nodes
    ]
    return GraphLayout(block.width + 2 * MARGIN, block.height + 2 * MARGIN, nodes, groups, edges)

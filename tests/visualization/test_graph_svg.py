from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from typing import Any

from synalinks_nb.visualization import graph_to_html, graph_to_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_svg_is_well_formed_self_contained_and_shows_every_module(
    nested_graph: dict[str, Any],
) -> None:
    svg = graph_to_svg(nested_graph)
    root = ET.fromstring(svg)  # well-formed XML
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for name in ["input", "rewrite", "search", "answer", "critic", "retriever · Program"]:
        assert name in texts
    assert texts.count("trainable") == 2  # rewrite (ChainOfThought) and answer (Generator)
    lowered = svg.lower()
    for forbidden in ["<script", "<style", "href=", "onclick", "http://", "https://"]:
        if forbidden == "http://":  # only the SVG namespace may appear
            assert lowered.count("http://") == 1
            continue
        assert forbidden not in lowered


def test_text_is_escaped(nested_graph: dict[str, Any]) -> None:
    svg = graph_to_svg(nested_graph)
    assert "Writes the &lt;final&gt; answer &amp; cites" in svg
    ET.fromstring(svg)


def test_same_graph_same_string(nested_graph: dict[str, Any]) -> None:
    assert graph_to_svg(nested_graph) == graph_to_svg(dict(nested_graph))
    assert graph_to_html(nested_graph, "s") == graph_to_html(nested_graph, "s")


def test_html_has_svg_table_of_nodes_and_summary(nested_graph: dict[str, Any]) -> None:
    html = graph_to_html(nested_graph, summary_text="Total trainable variables: 2")
    assert html.count("<svg") == 1
    assert "<th>Module</th>" in html
    assert "<td>rewrite/state (2 versions)</td>" in html
    assert "<td>retriever</td>" in html  # rewrite sits in the retriever program
    assert "<pre>Total trainable variables: 2</pre>" in html
    assert "<script" not in html


def test_empty_graph_still_renders() -> None:
    svg = graph_to_svg({"name": "empty", "nodes": [], "edges": []})
    ET.fromstring(svg)


def test_visualization_does_not_import_the_notebook_stack() -> None:
    code = (
        "import sys, synalinks_nb.visualization as v; "
        "v.graph_to_html({'nodes': [{'id': 'a'}], 'edges': []}); "
        "bad = [m for m in ('anywidget', 'ipywidgets', 'IPython') if m in sys.modules]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

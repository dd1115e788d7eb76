"""The tutorial notebooks: committed with their outputs, re-executed here, every cell still running.

The notebooks are tutorials, so they hold no test ``assert``: the checks live here. The
committed outputs were made without ../shared/data (so they hold only the project's own
example data); here the notebooks run with whatever data there is, and each cell must
run and still give the kind of output it gave (a table, a map, an image).
"""

import ast
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
#: what each notebook must show once executed (text found in its outputs)
SHOWS = {
    "01_article_to_map": ["Ordubad: outside", "reported as", "GeoconflictMap.incidents"],
    "02_event_table_to_choropleth": ["zone_period", "GeoconflictMap.incidents", "incidents written to events.gpkg"],
}


def _kinds(cell) -> set[str]:
    """The kinds of output a cell gives: stream, error, or the richest MIME type of each result."""
    kinds = set()
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        kinds.add(next((k for k in ("image/png", "text/html") if k in data), out.get("output_type")))
    return kinds - {"display_data", "execute_result"}


def _text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(str(out.get("text", "")))
            parts.extend(str(v) for k, v in out.get("data", {}).items() if k.startswith("text/"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def nbformat():
    return pytest.importorskip("nbformat")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_notebook_shows_its_outputs_and_has_no_asserts(path, nbformat):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.get("outputs") for c in code), "commit the notebooks executed, with their outputs"
    assert any("image/png" in _kinds(c) for c in code), "the printed map is shown"
    assert any(
        "text/html" in _kinds(c) and "GeoconflictMap" in _text(nbformat.v4.new_notebook(cells=[c])) for c in code
    )
    for cell in code:
        tree = ast.parse("\n".join(line for line in cell.source.splitlines() if not line.startswith(("%", "!"))))
        assert not any(isinstance(node, ast.Assert) for node in ast.walk(tree)), "no test assert in a tutorial cell"
    # every step is explained: a markdown cell before each code cell (but the first)
    kinds = [c.cell_type for c in nb.cells]
    assert all(kinds[i - 1] == "markdown" for i, k in enumerate(kinds) if k == "code" and i > 1)
    # the committed outputs hold no path of the machine they were made on
    text = _text(nb)
    assert "/work/" not in text and "/home/" not in text and "/tmp/" not in text and "/root/" not in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_still_runs(path, nbformat, gazetteer, tmp_path):
    nbclient = pytest.importorskip("nbclient")
    committed = nbformat.read(path, as_version=4)
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    for before, after in zip(committed.cells, nb.cells, strict=True):
        if before.cell_type == "code":
            # a cell that showed a table, a map or an image still does (what is in them may differ with the data)
            assert _kinds(before) & {"image/png", "text/html"} <= _kinds(after), before.source[:80]
    text = _text(nb)
    for expected in SHOWS.get(path.stem, []):
        assert expected in text, expected

"""The notebook runs top to bottom, so that what it shows stays true."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"


def test_notebook_runs_top_to_bottom(tmp_path):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 3  # the park chart, the site roadmap, the wedge chart
    last = notebook.cells[-1].outputs[0]["data"]["text/plain"]
    assert "report.html" in last and "roadmap.xlsx" in last
    titles = [o["data"]["text/html"].split("</strong>")[0] for o in outputs
              if "<strong>" in o.get("data", {}).get("text/html", "")]
    assert titles == ["<div><strong>Catalog of 230 technologies",
                      "<div><strong>Catalog of 4 technologies",
                      "<div><strong>Ranking by TOPSIS", "<div><strong>Roadmap of Example park",
                      "<div><strong>Emission pathway of Example park (tCO2e/yr by year)",
                      "<div><strong>Analysis of Example park: roadmap"]

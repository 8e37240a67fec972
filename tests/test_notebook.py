"""The analyst's notebook runs headless, top to bottom, through the same query functions."""

from __future__ import annotations

import warnings

import nbformat
from nbclient import NotebookClient

from tests.conftest import ROOT


def test_notebook_executes_on_the_sample(monkeypatch):
    monkeypatch.delenv("PMQA_DATA", raising=False)
    with warnings.catch_warnings():  # a cell without an id will be refused by a later nbformat
        warnings.simplefilter("error")
        nb = nbformat.read(ROOT / "notebooks" / "year_over_year.ipynb", as_version=4)
    where = {"metadata": {"path": str(ROOT / "notebooks")}}  # as if Jupyter started in notebooks/
    NotebookClient(nb, timeout=300, kernel_name="python3", resources=where).execute()
    printed = "".join(o.get("text", "") for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs)
    assert "Strongest: categories 1, 4 and 6. Weakest: category 7." in printed
    assert "like-for-like:" in printed

"""The examples in the docstrings: every public name has one, and every one runs."""

from __future__ import annotations

import doctest
import importlib
import inspect
from pathlib import Path

import pytest

import roadmap

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = [name for name in roadmap.__all__
          if inspect.isclass(getattr(roadmap, name)) or inspect.isfunction(getattr(roadmap, name))]
# The modules defining the public names, the package itself and the notebook displays.
MODULES = sorted({getattr(roadmap, name).__module__ for name in PUBLIC}
                 | {"roadmap", "roadmap.display"})


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_has_an_example(name):
    assert ">>>" in (inspect.getdoc(getattr(roadmap, name)) or ""), name


@pytest.fixture(scope="module")
def namespace(catalog):
    """What the package docstring's example sets up, shared by every example."""
    return {"roadmap": roadmap, "catalog": catalog,
            "site": roadmap.load_site(ROOT / "catalogs" / "sites" / "xiaolan-town.yaml", catalog)}


@pytest.mark.parametrize("module", MODULES)
def test_the_examples_run(module, namespace, monkeypatch):
    monkeypatch.chdir(ROOT)  # examples name the bundled files as the README does
    globs = {} if module == "roadmap" else namespace  # the package's sets them up itself
    result = doctest.testmod(importlib.import_module(module), extraglobs=globs,
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0, module


"""Shared fixtures: the built-in catalog and dependency graph, loaded once per session."""

from __future__ import annotations

import pytest

from roadmap import load_catalog, load_dependencies


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def graph(catalog):
    return load_dependencies(catalog)

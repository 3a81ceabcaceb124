"""Prerequisites and synergies between measures, as a networkx DiGraph (edge: before -> after)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError, Message
from .catalog import Catalog, builtin_catalog_dir
from .files import LINE_KEY, read_yaml, validated, without_lines

if TYPE_CHECKING:
    from .site import Site

PREREQUISITE = "prerequisite"
ALLOWED = {"before": Message("a_catalog_id"), "after": Message("a_catalog_id"),
           "kind": "prerequisite, synergy", "reason": Message("one_line_of_text")}


class Edge(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    before: str
    after: str
    kind: Literal["prerequisite", "synergy"]
    reason: str = Field(min_length=1)


def read_dependency_file(path: str | Path) -> list[Edge]:
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("edges"), list):
        raise InputError(path, "expected_edges",
                         allowed="edges: [{before: ID, after: ID, kind: ..., reason: ...}]")
    edges = []
    for entry in data["edges"]:
        where = Message("edge_line", line=entry.get(LINE_KEY)) if isinstance(entry, dict) \
            else None
        edges.append(validated(Edge, without_lines(entry), path, where, ALLOWED))
    return edges


def load_dependencies(catalog: Catalog, *user_files: str | Path) -> nx.DiGraph:
    """The built-in dependencies plus the user's, checked against the catalog.

    Nodes are ids; each edge carries `kind` and `reason`. An unknown id, or a cycle among
    the prerequisites, is an `InputError` naming the ids.

    >>> graph = roadmap.load_dependencies(catalog)
    >>> sorted({kind for _, _, kind in graph.edges(data="kind")})
    ['prerequisite', 'synergy']
    """
    graph = nx.DiGraph()
    for path in (builtin_catalog_dir() / "dependencies.yaml", *map(Path, user_files)):
        for edge in read_dependency_file(path):
            for tech_id in (edge.before, edge.after):
                if tech_id not in catalog:
                    raise InputError(path, "edge_unknown_id", id=tech_id, before=edge.before,
                                     after=edge.after, allowed=Message("ids_from_the_list"))
            graph.add_edge(edge.before, edge.after, kind=edge.kind, reason=edge.reason,
                           source=path.name)
    _check_acyclic(graph)
    return graph


def prerequisites_only(graph: nx.DiGraph) -> nx.DiGraph:
    """The subgraph of prerequisite edges (synergies dropped)."""
    keep = [(a, b) for a, b, kind in graph.edges(data="kind") if kind == PREREQUISITE]
    return graph.edge_subgraph(keep).copy()


def excluded_prerequisites(graph: nx.DiGraph, exclude: tuple[str, ...]) -> dict[str, str]:
    """id -> the measure of `exclude` it needs (directly or through others; the first by id
    when several): a measure that cannot be in a roadmap without an excluded one."""
    hard = prerequisites_only(graph)
    blocked: dict[str, str] = {}
    for before in sorted(set(exclude) & set(hard)):
        for after in nx.descendants(hard, before):
            blocked.setdefault(after, before)
    return blocked


def check_include(site: Site, graph: nx.DiGraph) -> None:
    """Refuse a profile that includes a measure needing one it excludes."""
    blocked = excluded_prerequisites(graph, site.exclude)
    for tech_id in site.include:
        if tech_id in blocked:
            raise InputError(site.file, "needs_excluded", measure=tech_id,
                             before=blocked[tech_id], field="include",
                             allowed=Message("drop_include_or_exclude", measure=tech_id,
                                             before=blocked[tech_id]))


def _check_acyclic(graph: nx.DiGraph) -> None:
    hard = prerequisites_only(graph)
    try:
        cycle = nx.find_cycle(hard)
    except nx.NetworkXNoCycle:
        return
    ids = " -> ".join([a for a, _ in cycle] + [cycle[0][0]])
    sources = sorted({hard.edges[a, b]["source"] for a, b in cycle})
    raise InputError(", ".join(sources), "cycle", ids=ids, allowed=Message("acyclic"))


def exclusive_conflicts(catalog: Catalog) -> nx.Graph:
    """Pairs of measures that must not both be in a roadmap: they would count the same
    abatement twice. A row that restates or covers another (an umbrella over its components,
    transitively) conflicts with it, two rows that include a common row conflict with each
    other, and so do `alternatives` (two technologies for the same equipment: a furnace
    takes one burner system) and the rows including them. Edges carry the `reason`
    (English, a sentence the report translates) and `why`, the same as an error's Message."""
    includes = nx.DiGraph()
    for tech in catalog:
        for target in (*tech.restates, *tech.covers):
            includes.add_edge(tech.id, target)
    conflicts = nx.Graph()
    reach = {node: nx.descendants(includes, node) for node in includes}
    for node in sorted(reach):
        for inner in sorted(reach[node]):
            kind = "restates" if inner in catalog.get(node).restates else "includes"
            conflicts.add_edge(node, inner, reason=f"{node} {kind} {inner}",
                               why=Message(f"x_{kind}_y", first=node, second=inner))
    sharing = sorted(n for n in reach if reach[n])
    for position, first in enumerate(sharing):
        for second in sharing[position + 1:]:
            common = reach[first] & reach[second]
            if common and not conflicts.has_edge(first, second):
                conflicts.add_edge(first, second,
                                   reason=f"{first} and {second} both include {min(common)}",
                                   why=Message("both_include", first=first, second=second,
                                               third=min(common)))
    for pair in sorted({tuple(sorted((tech.id, other))) for tech in catalog
                        for other in tech.alternatives}):  # declared on one row or both
        _add_alternatives(conflicts, includes, *pair)
    return conflicts


def _add_alternatives(conflicts: nx.Graph, includes: nx.DiGraph, first: str, second: str,
                      ) -> None:
    """Each of two alternatives, and each row including it, conflicts with the other's."""
    def with_umbrellas(tech_id: str) -> list[str]:
        return [tech_id, *sorted(nx.ancestors(includes, tech_id) if tech_id in includes else ())]

    for one in with_umbrellas(first):
        for two in with_umbrellas(second):
            if one != two and not conflicts.has_edge(one, two):
                conflicts.add_edge(one, two, reason=f"{first} and {second} are alternatives",
                                   why=Message("x_or_y", first=first, second=second))

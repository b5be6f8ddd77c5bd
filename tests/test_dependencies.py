"""Dependencies between PortLab's apps run one way, and pure modules stay pure.

Reads every module of portlab/ with `ast` (imports at the top and inside functions alike: a lazy
import that dodges a cycle is still a cycle) and maps each import to its app. An app may import
itself and the apps before it in LAYERS, nothing after. The README quotes LAYERS.

Test packages (`tests/` inside an app) are not checked: they set up their data through the real
services of the apps above (an audit test files an application), which is how tests should work.
"""

import ast
from collections import defaultdict
from pathlib import Path

PORTLAB = Path(__file__).resolve().parents[1] / "portlab"

# The one declaration of the order, bottom first. The modules directly in portlab/ (api.py,
# cli.py) sit above every app.
LAYERS = (
    "core",         # errors, numbering, versioning, middleware, base template
    "audit",        # hash-chained audit trail, checkpoints
    "jobs",         # background jobs: run records, worker, scheduler
    "files",        # the content-addressed raw-file store
    "workdays",     # China's working-day calendar
    "accounts",     # users, roles, enterprises, the access table
    "network",      # districts, labs, alliances, catalog, capabilities, specifications, agreements
    "quality",      # authorizations, QC, PT, nonconformities, decision rules
    "intake",       # applications, samples, the guided form, custody inside the lab
    "testing",      # tests, results, reviews
    "instruments",  # registry, telemetry, result files, bookings, instrument capacity
    "transfers",    # cross-lab work: transfers, custody, routing, workload, prediction
    "reports",      # issue, sign, verify
    "risk",         # declarations, scoring, sampling, feedback from reports
    "boards",       # the quality board, reading across the apps below
    "portal",       # public pages and look-ups
    "demo",         # demo and generated data
    "backup",       # backup and restore of a whole deployment
)

# Wrong-way edges still in the code, each owned by another branch; the coordinator empties this
# at merge. test_temporary_allowances_are_still_needed fails once an edge is gone.
TEMPORARY_ALLOWANCES: set[tuple[str, str]] = set()

# Module-level import cycles inside an app, owned by another branch.
TEMPORARY_CYCLES: set[frozenset[str]] = set()

# Pure algorithm modules (STYLE.md §4): no Django, no PortLab module except other pure ones.
# A name ending in ".*" covers a package.
PURE_MODULES = (
    "portlab.accounts.credit_code",
    "portlab.audit.chain",
    "portlab.core.listing",
    "portlab.audit.checkpoint",
    "portlab.audit.merkle",
    "portlab.instruments.parsers.*",
    "portlab.instruments.downtime",
    "portlab.instruments.utilisation",
    "portlab.intake.label_pdf",
    "portlab.intake.retention",
    "portlab.network.catalog_rows",
    "portlab.quality.decision",
    "portlab.quality.robust",
    "portlab.quality.scores",
    "portlab.quality.westgard",
    "portlab.reports.cose",
    "portlab.reports.desk",
    "portlab.reports.keys",
    "portlab.reports.payload",
    "portlab.reports.trust_list",
    "portlab.risk.selection",
    "portlab.testing.rounding",
    "portlab.testing.units",
    "portlab.workdays.rules",
    "portlab.transfers.lateness",
    "portlab.transfers.queue_simulation",
    "portlab.transfers.routing.*",
)
FRAMEWORKS = ("django", "ninja")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PORTLAB.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, anywhere in it, as absolute dotted names."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    return imports_in(path.read_text(encoding="utf-8"), package)


def imports_in(text: str, package: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # `from portlab.x import y` may name a submodule y: count it too.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def source_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PORTLAB.rglob("*.py"))
            if "tests" not in path.relative_to(PORTLAB).parts}


def app_of(module: str) -> str | None:
    """The app a portlab module belongs to; None for the modules directly in portlab/."""
    parts = module.split(".")
    if parts[0] != "portlab" or len(parts) < 2:
        return None
    return parts[1] if (PORTLAB / parts[1]).is_dir() else None


def app_edges() -> dict[tuple[str, str], set[str]]:
    """(importing app, imported app) → the importing modules."""
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, path in source_modules().items():
        source = app_of(name)
        for imported in imported_modules(path):
            target = app_of(imported) if imported.startswith("portlab.") else None
            if source and target and target != source:
                edges[(source, target)].add(name)
    return edges


def wrong_way(edges: dict[tuple[str, str], set[str]]) -> dict[tuple[str, str], set[str]]:
    rank = {app: index for index, app in enumerate(LAYERS)}
    return {edge: modules for edge, modules in edges.items() if rank[edge[1]] > rank[edge[0]]}


def test_every_app_has_a_place_in_the_order() -> None:
    apps = {path.parent.name for path in PORTLAB.glob("*/__init__.py")}
    assert set(LAYERS) == apps
    assert len(LAYERS) == len(set(LAYERS))


def test_apps_import_only_apps_below_them() -> None:
    found = wrong_way(app_edges())
    unexpected = {f"{a} → {b}": sorted(modules) for (a, b), modules in found.items()
                  if (a, b) not in TEMPORARY_ALLOWANCES}
    assert unexpected == {}


def test_temporary_allowances_are_still_needed() -> None:
    found = wrong_way(app_edges())
    assert {edge for edge in TEMPORARY_ALLOWANCES if edge not in found} == set()
    assert TEMPORARY_CYCLES - module_cycles() == set()


def test_core_imports_no_app() -> None:
    assert {b for (a, b) in app_edges() if a == "core"} == set()


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for successor in graph[todo.pop()]:
            if successor not in seen:
                seen.add(successor)
                todo.append(successor)
    return seen


def import_cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The groups of modules that reach each other through imports (a few hundred modules:
    a search from each is quick enough)."""
    reach = {name: reachable(graph, name) for name in graph}
    return {frozenset({name} | {other for other in reach[name] if name in reach[other]})
            for name in graph if name in reach[name]}


def module_cycles() -> set[frozenset[str]]:
    modules = source_modules()
    # A package's __init__ importing its own submodules is how packages are built, not a cycle.
    graph = {name: {m for m in imported_modules(path)
                    if m in modules and m != name and not m.startswith(name + ".")}
             for name, path in modules.items()}
    return import_cycles(graph)


def test_no_module_imports_itself_back() -> None:
    assert {tuple(sorted(c)) for c in module_cycles() - TEMPORARY_CYCLES} == set()


def is_pure(module: str) -> bool:
    return any(module == pure or (pure.endswith(".*") and module.startswith(pure[:-1]))
               or module == pure[:-2] for pure in PURE_MODULES)


def test_pure_modules_import_neither_django_nor_the_apps() -> None:
    modules = source_modules()
    pure = [name for name in modules if is_pure(name)]
    assert len(pure) >= len(PURE_MODULES)  # every listed module exists
    offending = {}
    for name in pure:
        bad = sorted(m for m in imported_modules(modules[name])
                     if m.split(".")[0] in FRAMEWORKS
                     or (m.startswith("portlab.") and m in modules and not is_pure(m)))
        if bad:
            offending[name] = bad
    assert offending == {}


def test_the_reader_sees_lazy_relative_and_submodule_imports() -> None:
    text = ("import segno\n"
            "def entered():\n"
            "    from portlab.testing.models import Test\n"
            "from ..intake import services\n"
            "from . import candidates\n")
    assert imports_in(text, "portlab.transfers.routing") >= {
        "segno", "portlab.testing.models", "portlab.transfers.intake.services",
        "portlab.transfers.routing.candidates"}
    assert imports_in("from .. import selectors\n", "portlab.quality.services") >= {
        "portlab.quality.selectors"}


STANDARD_MODULES = ("admin", "api", "models", "selectors", "services", "tasks", "urls", "views")


def test_no_module_names_its_app_beside_a_standard_one() -> None:
    """A second api/views/services… named after the app (network/api_network.py) means a
    domain hides inside another app's: it wants its own app."""
    doubled = sorted(
        str(path.relative_to(PORTLAB)) for path in PORTLAB.glob("*/*.py")
        for role in STANDARD_MODULES
        if path.stem in {f"{role}_{path.parent.name}", f"{path.parent.name}_{role}"})
    assert doubled == []

"""No import circle between the apps' modules, lazy imports (inside functions) included: a circle hidden behind
a function-level import still ties two apps together and breaks the day the import moves (issue #15 item 11;
the Alert circle register/actions/base ↔ restrictions/queries was one). The project's wiring modules
(jumin.api, jumin.urls, …) import every app and are left out: they are the root, not part of any app."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WIRING = {"jumin", "jumin.api", "jumin.urls", "jumin.settings", "jumin.cli", "jumin.wsgi", "jumin.gunicorn_conf"}


def module_graph() -> dict[str, set[str]]:
    """Module → the jumin modules it imports anywhere in its text (tests and migrations left out)."""
    files = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if "tests" in parts or "migrations" in parts:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name not in WIRING:
            files[name] = path
    graph = {}
    for name, path in files.items():
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                imported |= {a.name for a in node.names}
        graph[name] = {m for m in imported if m in files and m != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_apps_modules_import_each_other_without_a_circle():
    graph = module_graph()
    assert "jumin.restrictions.queries" in graph and "jumin.register.actions.base" in graph
    assert circles(graph) == []


def test_the_check_finds_a_circle_through_a_lazy_import():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []

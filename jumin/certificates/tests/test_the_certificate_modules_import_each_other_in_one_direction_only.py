"""No import circle among the certificate renderers (issue #15 item 11: form ↔ render). Imports inside functions
count too: a circle hidden in a function still ties the two modules together and breaks when either moves."""

import ast
from pathlib import Path

import jumin.certificates

PACKAGE = "jumin.certificates"
HERE = Path(jumin.certificates.__file__).parent


def imports_of(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == PACKAGE:
                out.update(f"{PACKAGE}.{a.name}" for a in node.names)
            elif node.module.startswith(PACKAGE + "."):
                out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith(PACKAGE + "."))
    return {name for name in out if name.count(".") == 2}  # jumin.certificates.<module>


def test_no_certificate_module_imports_itself_back_through_another():
    graph = {f"{PACKAGE}.{p.stem}": imports_of(p) for p in HERE.glob("*.py")}
    assert f"{PACKAGE}.render" not in graph[f"{PACKAGE}.fonts"]
    cycles = []

    def walk(module, path):
        for target in sorted(graph.get(module, ())):
            if target == path[0]:
                cycles.append(" → ".join([*path, target]))
            elif target not in path and target in graph:
                walk(target, [*path, target])

    for module in ("render", "form", "fonts", "document", "startup"):
        walk(f"{PACKAGE}.{module}", [f"{PACKAGE}.{module}"])
    assert cycles == []

"""Import direction core ← register ← … (issue #15 item 11): the synthetic framework and the `jumin generate`
command import no app when loaded; they find the apps' parts through INSTALLED_APPS."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1]


def module_level_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_neither_module_imports_another_jumin_app():
    for path in (CORE / "synthetic.py", CORE / "management" / "commands" / "generate.py"):
        imports = module_level_imports(path)
        assert imports, path
        assert {m for m in imports if m.startswith("jumin.") and not m.startswith("jumin.core")} == set(), path

"""The package's layers: every import points down, never to a later stage.

The stages run in this order, and a stage may use what comes before it but
never what comes after; what several stages share sits below all of them.
`pipeline` builds an issue (ingest through edition), so it sits right after
the stages it wires and before delivery, which builds an issue when none is
built yet. The command line (`cli`, the commands, the benchmarks) sits on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "digest"

# digest.<first name> -> layer; a module may import its own layer or any lower one.
LAYERS = {
    **dict.fromkeys(["errors", "config", "models", "state", "console", "lock", "text", "encoders"], 0),
    "net": 1,
    "ingest": 2,
    "clean": 3,
    "summarise": 4,
    "dedup": 5,
    "edition": 6,
    "pipeline": 7,
    "deliver": 8,
    "schedule": 9,
    "web": 10,
    **dict.fromkeys(["cli", "commands", "benchmarks", "evaluation", "fitting", "__main__", "__init__"], 11),
}


def layer_of(module: str) -> int:
    parts = module.split(".")
    assert parts[0] == "digest", module
    if len(parts) == 1:
        return LAYERS["__init__"]
    return LAYERS[parts[1]]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def digest_imports(path: Path) -> list[tuple[int, str]]:
    """Every `digest...` module the file imports, with its line (lazy imports inside functions too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "digest":
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "digest"]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer():
    for path in MODULES:
        layer_of(module_name(path))  # a KeyError names a folder or module missing from LAYERS


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_imports_point_down(path):
    own = layer_of(module_name(path))
    upward = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}"
        for line, module in digest_imports(path)
        if module != "digest" and layer_of(module) > own
    ]
    assert not upward, "\n".join(upward)


def test_the_check_sees_an_upward_import(tmp_path):
    """The test above can fail: an import from a later stage is found."""
    source = tmp_path / "probe.py"
    source.write_text("def f():\n    from digest.deliver.send import deliver\n")
    assert digest_imports(source) == [(2, "digest.deliver.send")]
    assert layer_of("digest.deliver.send") > layer_of("digest.summarise.blurb")

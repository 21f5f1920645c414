"""The map holds: no import cycles in bot/ and index/, and answering reads the index through one door."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "index")
# what sits behind `index.reader.IndexReader`: bot/ reaches none of it through an index object
HIDDEN = {"dense", "lexical", "embedder"}


def modules() -> dict[str, Path]:
    """Every module of bot/ and index/ by dotted name."""
    out = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Project modules this one imports anywhere: top level, in functions, under TYPE_CHECKING."""
    out = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                out.add(target if target in known else base)
    return {m for m in out if m in known and m != name}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), i.e. import cycles."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles_in_bot_and_index():
    mods = modules()
    graph = {name: imports(name, path, set(mods)) for name, path in mods.items()}
    assert graph["bot.answering.llm"] and graph["index.lexical"]  # the check sees imports at all
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_index_never_imports_bot():
    mods = modules()
    for name, path in mods.items():
        if name.startswith("index"):
            assert not {m for m in imports(name, path, set(mods)) if m.startswith("bot")}, name


def _reaches_behind_the_index(node: ast.Attribute) -> bool:
    """`….index.dense`, `index.lexical`, `service.index.engine`, `self.index.embedder` and the like."""
    owner = node.value
    named_index = (isinstance(owner, ast.Name) and owner.id == "index") or (
        isinstance(owner, ast.Attribute) and owner.attr == "index")
    return named_index and node.attr in HIDDEN | {"engine"}


def test_bot_talks_to_the_index_only_through_the_reader():
    offenders = []
    for name, path in modules().items():
        if not name.startswith("bot"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and (_reaches_behind_the_index(node) or node.attr in HIDDEN):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} .{node.attr}")
    assert offenders == []


def test_every_folder_says_what_it_is_for():
    for init in [*(ROOT / "bot").rglob("__init__.py"), *(ROOT / "index").rglob("__init__.py")]:
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init

"""The map holds: no import cycles in bot/ and index/, bot/ reads the index through its door (an import
allow-list), and every error is a NewsbotError."""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "index")
# the door into the index: what bot/ may import from index/ (bot/answering/ nothing else)
DOOR = {"index.reader", "index.rows", "index.models", "index.query", "index.text", "index.errors", "index.settings",
        "index.dates"}
# the composition root and the CLI's index commands build the index (store, sync, db, lock, sources, watch);
# bot/slack/serve.py composes the Slack process's watcher, follower and source warnings the same way
COMPOSITION = {"bot.app", "bot.cli", "bot.terminal.commands", "bot.terminal.sources", "bot.slack.serve"}
# Slack's own tables live in the index's database and are created with its schema helper; the digest
# poster takes the index's digest lock (until one schema and one settings tree hold them: issue 23)
# Slack's own tables live in the one schema (index/schema.py) and are migrated with it on open
SLACK_TABLES = {"index.schema", "index.migrate"}
EXCEPTIONS = {"bot.slack.store": SLACK_TABLES, "bot.slack.dedupe": SLACK_TABLES,
              "bot.slack.digests": SLACK_TABLES | {"index.lock"}}


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
    assert graph["bot.answering.llm.answerer"] and graph["index.lexical"]  # the check sees imports at all
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_index_never_imports_bot():
    mods = modules()
    for name, path in mods.items():
        if name.startswith("index"):
            assert not {m for m in imports(name, path, set(mods)) if m.startswith("bot")}, name


def allowed_index_imports(module: str) -> set[str] | None:
    """The index modules a bot/ module may import (None: any, it composes the index)."""
    if module in COMPOSITION:
        return None
    return DOOR | EXCEPTIONS.get(module, set())


def door_violations(graph: dict[str, set[str]]) -> list[str]:
    """Imports of index/ modules by bot/ modules that the allow-list does not let through."""
    out = []
    for module, targets in sorted(graph.items()):
        if not module.startswith("bot"):
            continue
        allowed = allowed_index_imports(module)
        if module.startswith("bot.answering"):
            allowed = DOOR  # answering reads the index only through its door, whatever else bot/ may do
        for target in sorted(t for t in targets if t == "index" or t.startswith("index.")):
            if allowed is not None and target not in allowed:
                out.append(f"{module} -> {target}")
    return out


def test_bot_reaches_the_index_only_through_its_door():
    mods = modules()
    graph = {name: imports(name, path, set(mods)) for name, path in mods.items()}
    assert "index.reader" in graph["bot.answering.retriever"]  # the check sees the door's imports at all
    assert door_violations(graph) == []


def test_the_door_check_finds_a_module_reaching_behind_the_door():
    graph = {"bot.answering.x": {"index.reader", "index.store"}, "bot.slack.y": {"index.sync", "index.rows"},
             "bot.slack.store": {"index.schema"}, "bot.terminal.commands": {"index.sync"}, "bot.answering.z": {"index.db"}}
    assert door_violations(graph) == ["bot.answering.x -> index.store", "bot.answering.z -> index.db",
                                      "bot.slack.y -> index.sync"]


def exception_classes() -> dict[str, list[str]]:
    """Every class defined in bot/ and index/ by name, with the names of its bases (last dotted part)."""
    out: dict[str, list[str]] = {}
    for path in modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases]
                out.setdefault(node.name, []).extend(bases)
    return out


def roots(classes: dict[str, list[str]], root: str = "NewsbotError") -> list[str]:
    """Project classes that are exceptions but not of the root's family (a second root, or under one)."""

    def is_exception(name: str, seen: frozenset = frozenset()) -> bool:
        if name in classes and name not in seen:
            return any(is_exception(b, seen | {name}) for b in classes[name])
        builtin = getattr(builtins, name, None)
        return isinstance(builtin, type) and issubclass(builtin, BaseException)

    def in_family(name: str, seen: frozenset = frozenset()) -> bool:
        return name == root or (name in classes and name not in seen
                                and any(in_family(b, seen | {name}) for b in classes[name]))

    return sorted(n for n in classes if n != root and is_exception(n) and not in_family(n))


def test_every_error_of_bot_and_index_is_a_newsbot_error():
    classes = exception_classes()
    assert "AddressRefused" in classes and "PrivateAddress" in classes  # the check sees index/'s errors
    assert roots(classes) == []


def test_the_exception_check_finds_a_second_root():
    classes = {"NewsbotError": ["Exception"], "FetchError": ["NewsbotError"], "Stray": ["ValueError"],
               "UnderStray": ["Stray"], "Plain": ["object"]}
    assert roots(classes) == ["Stray", "UnderStray"]


def test_every_folder_says_what_it_is_for():
    for init in [*(ROOT / "bot").rglob("__init__.py"), *(ROOT / "index").rglob("__init__.py")]:
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init

"""Rewrite flat settings (`settings.dense_k`) to typed sections (`settings.retrieval.dense_k`); idempotent.

    python docs/dev/rewrite_settings.py [PATHS...]      # default: bot index tests bench docs; prints changed files

What it rewrites, from the table below, in every .py file (parsed with ast, so strings and comments are left alone):
- attribute reads on a settings-like receiver: a name or attribute ending in `settings` (settings, self.settings,
  slack_settings, bot.settings), a call of Settings()/CoreSettings(), or a local name the file assigns from one
  of those calls or annotates as Settings/CoreSettings (`s = Settings(...)`, `def f(s: Settings)`);
- keyword arguments of Settings(...)/CoreSettings(...) calls: `data_dir=` becomes `NEWSBOT_DATA_DIR=`;
- `<settings>.model_copy(update={"ranker": "off"})` with literal keys becomes `<settings>.override(NEWSBOT_RANKER="off")`;
- imports: outside index/, `Settings` comes from bot.settings (as does PROJECT_ROOT); inside index/,
  the name `Settings` becomes `CoreSettings` (index never imports bot).
What it does not: getattr/setattr with a name string, `Settings(**kwargs)` splats, dict keys passed around before
reaching Settings, receivers it cannot tell are settings (`ctx.x`, `self.cfg.x`), and uses of values whose type
changed (digest_schedule, digest_timezone, chroma_headers, slack_* JSON strings are now parsed values).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

SECTIONS = {
    "index": {"data_dir": "", "collection": "", "embedding_model": "", "embedding_backend": "", "model_cache": "cache_dir",
              "embed_batch_size": "", "index_batch_chunks": "batch_chunks", "chunk_chars": "",
              "embed_title": "", "chunk_overlap_sentences": "", "max_article_bytes": "",
              "resolved_embedding_model": "", "embedding_label": "", "model_cache_dir": "", "chroma_dir": ""},
    "servers": {"database_url": "", "chroma_host": "", "chroma_port": "", "chroma_headers": ""},
    "retrieval": {n: "" for n in ("dense_k", "lexical_k", "lexical_max_postings", "passages_k", "rerank_pool",
                                  "passages_per_article", "rrf_k", "dense_weight", "lexical_weight", "prf_terms",
                                  "prf_weight", "recency_weight", "recency_half_life_days")},
    "answer": {"answer_sentences": "sentences", "min_relevance": "", "ranker": "", "embed_sentences": "",
               "max_question_chars": ""},
    "time": {"time_words": "words", "time_widen_margin": "widen_margin", "timeline_entries": "",
             "digest_groups": ""},
    "llm": {"llm": "model", "llm_base_url": "base_url", "llm_api_key": "api_key", "llm_timeout": "timeout",
            "llm_max_retries": "max_retries", "llm_max_tokens": "max_tokens", "llm_temperature": "temperature",
            "llm_system_role": "system_role", "log_level": "",
            "answer_prompt": "", "followup_prompt": "", "prompts_dir": "", "prompts_path": ""},
    "slack": {"slack_bot_token": "bot_token", "slack_app_token": "app_token",
              "slack_signing_secret": "signing_secret", "slack_api_url": "api_url",
              "slack_rate_limit": "rate_limit", "slack_rate_window": "rate_window", "slack_workers": "workers",
              "slack_max_body_bytes": "max_body_bytes", "health_port": "", "watch_dir": "", "follow": "",
              "slack_channel_scopes": "channel_scopes", "slack_suggested_prompts": "suggested_prompts",
              "slack_unfurl_domains": "unfurl_domains", "digests": "", "digest_schedule": "digests",
              "digest_timezone": "", "digest_check_seconds": ""},
    "fetch": {f"fetch_{n}": n for n in ("allow_private", "user_agent", "timeout", "deadline", "retries", "backoff",
                                        "max_bytes", "max_redirects", "per_host", "delay", "workers", "max_items",
                                        "recheck_hours", "remove_gone")},
    "sources": {"source_every": "every", "source_max_failures": "max_failures", "source_quiet_hours": "quiet_hours"},
}
MAPPING = {old: (section, new or old) for section, fields in SECTIONS.items() for old, new in fields.items()}
NEW_FIELDS = {section: {new or old for old, new in fields.items()} for section, fields in SECTIONS.items()}
PROPERTIES = {"resolved_embedding_model", "embedding_label", "model_cache_dir", "chroma_dir", "prompts_path",
              "digest_schedule"}  # no env name: not a keyword of Settings(...)
SETTINGS_NAME = re.compile(r"(?i)^\w*settings$")
CLASSES = {"Settings", "CoreSettings"}
MOVED_TO_BOT = {"Settings", "PROJECT_ROOT"}
SKIP = {"index/settings.py", "bot/settings.py", "bot/slack/settings.py", "docs/dev/rewrite_settings.py"}


def env_names() -> dict[str, str]:
    """Old field name -> environment variable, read from the section classes (so the table cannot drift)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from bot.settings import Settings

    by_field = {(section, name): env for env, (section, name) in Settings.env_names().items()}
    return {old: by_field[new] for old, new in MAPPING.items() if old not in PROPERTIES}


class Rewriter(ast.NodeVisitor):
    """Collects (line, start col, end col, text) edits for one module."""

    def __init__(self, tree: ast.Module, source: str, envs: dict[str, str], in_index: bool):
        self.source, self.envs, self.in_index, self.edits = source, envs, in_index, []
        self.parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        self.receivers: set[str] = set()
        self.receivers = self._local_receivers(tree)

    def _local_receivers(self, tree: ast.Module) -> set[str]:
        """Names this file binds to a Settings: `s = Settings(...)` or `s: Settings`."""
        out = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and self._makes_settings(node.value):
                out |= {t.id for t in node.targets if isinstance(t, ast.Name)}
            elif isinstance(node, (ast.arg, ast.AnnAssign)) and _names_class(node.annotation):
                out.add(node.arg if isinstance(node, ast.arg) else getattr(node.target, "id", ""))
        return out

    def _makes_settings(self, node: ast.AST) -> bool:
        """A call of Settings(...) or of .override/.model_copy on settings."""
        if not isinstance(node, ast.Call):
            return False
        if isinstance(node.func, ast.Name):
            return node.func.id in CLASSES
        return (isinstance(node.func, ast.Attribute) and node.func.attr in ("override", "model_copy")
                and self.settings_like(node.func.value))

    def settings_like(self, node: ast.AST) -> bool:
        """Is this expression (almost surely) a Settings object?"""
        if isinstance(node, ast.Name):
            return bool(SETTINGS_NAME.match(node.id)) or node.id in self.receivers
        if isinstance(node, ast.Attribute):
            return bool(SETTINGS_NAME.match(node.attr))
        return self._makes_settings(node)

    def edit(self, node_or_pos, end, text: str) -> None:
        """Replace source from (line, col) to end (line, col) with text."""
        self.edits.append((node_or_pos, end, text))

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in MAPPING and self.settings_like(node.value) and not self._already_new(node):
            section, new = MAPPING[node.attr]
            start = (node.end_lineno, node.end_col_offset - len(node.attr.encode()))
            self.edit(start, (node.end_lineno, node.end_col_offset), f"{section}.{new}")
        self.generic_visit(node)

    def _already_new(self, node: ast.Attribute) -> bool:
        """`settings.llm.model`: llm is both an old field and a section; leave the new form alone."""
        parent = self.parents.get(node)
        return (node.attr in NEW_FIELDS and isinstance(parent, ast.Attribute) and parent.value is node
                and parent.attr in NEW_FIELDS[node.attr])

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id in CLASSES:
            for kw in node.keywords:
                if kw.arg in SECTIONS and isinstance(kw.value, (ast.Dict, ast.Call)):
                    continue  # llm={...}: the llm section, not the old NEWSBOT_LLM field
                if kw.arg in self.envs:
                    self.edit((kw.lineno, kw.col_offset), (kw.lineno, kw.col_offset + len(kw.arg)), self.envs[kw.arg])
        elif self._is_settings_copy(node):
            pairs = ", ".join(f"{self.envs[k.value]}={ast.get_source_segment(self.source, v)}"
                              for k, v in zip(node.keywords[0].value.keys, node.keywords[0].value.values))
            func = node.func
            start = (func.end_lineno, func.end_col_offset - len("model_copy"))
            self.edit(start, (node.end_lineno, node.end_col_offset), f"override({pairs})")
            return  # the values were copied as text: edits inside them would be lost
        self.generic_visit(node)

    def _is_settings_copy(self, node: ast.Call) -> bool:
        """settings.model_copy(update={"old_name": value, ...}) with only literal setting names."""
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr == "model_copy" and self.settings_like(func.value)):
            return False
        if len(node.keywords) != 1 or node.keywords[0].arg != "update" or node.args:
            return False
        d = node.keywords[0].value
        return isinstance(d, ast.Dict) and bool(d.keys) and all(
            isinstance(k, ast.Constant) and k.value in self.envs for k in d.keys)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module != "index.settings":
            return
        names = [a.name for a in node.names]
        if self.in_index:
            if "Settings" in names:
                text = ", ".join("CoreSettings" if a.name == "Settings" else _alias(a) for a in node.names)
                self._replace_import(node, f"from index.settings import {text}")
            return
        moved = [a for a in node.names if a.name in MOVED_TO_BOT]
        if moved:
            kept = [a for a in node.names if a.name not in MOVED_TO_BOT]
            lines = ([f"from bot.settings import {', '.join(_alias(a) for a in moved)}"]
                     + ([f"from index.settings import {', '.join(_alias(a) for a in kept)}"] if kept else []))
            self._replace_import(node, ("\n" + " " * node.col_offset).join(lines))

    def _replace_import(self, node: ast.ImportFrom, text: str) -> None:
        self.edit((node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset), text)

    def visit_Name(self, node: ast.Name) -> None:
        if self.in_index and node.id == "Settings":
            self.edit((node.lineno, node.col_offset), (node.end_lineno, node.end_col_offset), "CoreSettings")


def _names_class(annotation) -> bool:
    """An annotation naming Settings or CoreSettings (also as a string, or `X | None`)."""
    text = ast.unparse(annotation) if annotation is not None else ""
    return bool(re.search(r"\b(Core)?Settings\b", text))


def _alias(a: ast.alias) -> str:
    return a.name + (f" as {a.asname}" if a.asname else "")


def apply(source: str, edits: list) -> str:
    """Apply edits given in (1-based line, utf-8 byte column) positions, last first."""
    lines = source.encode().split(b"\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    data = source.encode()
    for (sl, sc), (el, ec), text in sorted(edits, key=lambda e: e[0], reverse=True):
        data = data[: offsets[sl - 1] + sc] + text.encode() + data[offsets[el - 1] + ec:]
    return data.decode()


def rewrite(path: Path, root: Path, envs: dict[str, str]) -> bool:
    """Rewrite one file in place; True when it changed."""
    rel = path.resolve().relative_to(root).as_posix()
    if rel in SKIP:
        return False
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    rewriter = Rewriter(tree, source, envs, in_index=rel.startswith("index/"))
    rewriter.visit(tree)
    if not rewriter.edits:
        return False
    path.write_text(apply(source, rewriter.edits), encoding="utf-8")
    return True


def main(argv: list[str]) -> int:
    """Rewrite every .py file under the given paths (default: the project's code, tests, bench and docs)."""
    root = Path(__file__).resolve().parents[2]
    envs = env_names()
    targets = [Path(a) for a in argv] or [root / d for d in ("bot", "index", "tests", "bench", "docs")]
    for target in targets:
        for path in sorted([target] if target.is_file() else target.rglob("*.py")):
            if ".venv" not in path.parts and rewrite(path, root, envs):
                print(path.relative_to(root))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Walking article folders: every file found, every path that could not be read named, and where prune must not look."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import ArticleError


@dataclass
class Walk:
    """What a walk found: files to read, paths it had to skip, and where it could not look."""

    files: list[tuple[Path, Path]] = field(default_factory=list)
    problems: list[ArticleError] = field(default_factory=list)
    unseen: dict[str, set[str]] = field(default_factory=dict)  # root -> relative folders/links not looked into
    other: Counter = field(default_factory=Counter)  # files in the folders that are not articles, by suffix

    def skip(self, path: Path, reason: str, root: Path | None = None) -> None:
        """Name a path that was not indexed; under a root, prune must leave what it held alone."""
        self.problems.append(ArticleError(display(path), reason))
        if root is not None:
            rel = "" if path == root else relative_path(path, root)
            self.unseen.setdefault(str(root.resolve()), set()).add(rel)

    def covers(self, root_s: str, rel: str) -> bool:
        """Is this file at or under a place the walk could not look into?"""
        return any(not u or rel == u or rel.startswith(u + "/") for u in self.unseen.get(root_s, ()))


def walk(paths: Iterable[Path], suffixes: set[str]) -> Walk:
    """Every file with one of the suffixes under the given files and folders, and every path skipped, named."""
    out = Walk()
    for raw in paths:
        path = Path(raw)
        if not utf8_name(path):
            out.skip(path, "name is not valid UTF-8; rename it to index it")
        elif path.is_dir():
            _walk_dir(path, path, out, {os.path.realpath(path)}, suffixes)
        else:
            out.files.append((path.parent, path))
    return out


def _walk_dir(root: Path, folder: Path, out: Walk, ancestors: set[str], suffixes: set[str]) -> None:
    """Walk one folder, following links to folders unless they loop back."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        out.skip(folder, f"cannot list folder ({_why(exc)})", root)
        return
    for entry in entries:
        path = folder / entry.name
        if entry.name.startswith("."):  # dotfiles and dot-folders (editor swap files, .git) are not articles
            continue
        if not utf8_name(path):
            out.skip(path, "name is not valid UTF-8; rename it to index it")
            continue
        try:
            st = os.stat(path)  # follows links
        except OSError as exc:
            out.skip(path, _broken_link(exc) if entry.is_symlink() else f"cannot read ({_why(exc)})", root)
            continue
        if stat.S_ISDIR(st.st_mode):
            real = os.path.realpath(path)
            if real in ancestors:
                out.skip(path, "symlink loop (links back to a folder that contains it)")
            else:
                _walk_dir(root, path, out, ancestors | {real}, suffixes)
        elif stat.S_ISREG(st.st_mode) and path.suffix.lower() in suffixes:
            out.files.append((root, path))
        elif stat.S_ISREG(st.st_mode):  # a photo or a Word file beside the articles: counted, not an error
            out.other[path.suffix.lower() or "(no extension)"] += 1


def broken_link(path: Path) -> str:
    """Why a symbolic link cannot be followed ('' for anything else)."""
    try:
        os.stat(path)
        return ""
    except OSError as exc:
        return _broken_link(exc) if path.is_symlink() else ""


def _broken_link(exc: OSError) -> str:
    """Why a symbolic link could not be followed."""
    if exc.errno == errno.ELOOP:
        return "symlink loop"
    if exc.errno == errno.ENOENT:
        return "dangling link (its target is missing)"
    return f"cannot follow link ({_why(exc)})"


def _why(exc: OSError) -> str:
    """The system's reason for an OSError, without the path it names."""
    return exc.strerror or type(exc).__name__


def utf8_name(path: Path) -> bool:
    """Can the path be stored and shown as text (names that are not UTF-8 come in as lone surrogates)?"""
    try:
        str(path).encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def display(path: Path | str) -> str:
    """A path as printable text: bytes that are not UTF-8 are shown escaped (\\xff)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def relative_path(path: Path, root: Path | None) -> str:
    """Path of the file relative to the indexed root (its identity when it has no url).

    As written first (a file reached through a linked folder keeps the link's name), else resolved.
    """
    if root is None:
        return path.as_posix()
    with contextlib.suppress(ValueError):
        return path.absolute().relative_to(root.absolute()).as_posix()
    with contextlib.suppress(ValueError, RuntimeError):  # RuntimeError: a symlink loop
        return path.resolve().relative_to(root.resolve()).as_posix()
    return path.as_posix()

"""Incremental sync of article folders into the index: add new, replace changed, skip unchanged."""

from __future__ import annotations

import contextlib
import logging
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from index import datadir
from index.chunking import chunk_article
from index.loaders import PARSER_VERSION, SUPPORTED, load_file
from index.lock import writer_lock
from index.models import Article, short_hash
from index.settings import CoreSettings
from index.store import NewsIndex, Pending
from index.walk import Walk, broken_link, display, relative_path, utf8_name, walk

log = logging.getLogger("newsbot.index")
WEB_ROOT = "web"  # the record's root for articles that come from urls rather than files


@dataclass
class SyncReport:
    """What one sync did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    duplicates: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_reused: int = 0
    chars_embedded: int = 0
    recovered: int = 0
    seconds: float = 0.0
    changes: list[tuple[str, str]] = field(default_factory=list)  # (added|updated|removed, article key)
    not_articles: Counter = field(default_factory=Counter)  # files of other types in the folders, by suffix

    @property
    def ok(self) -> bool:
        """True when no file had to be skipped."""
        return not self.skipped

    def absorb(self, other: "SyncReport") -> "SyncReport":
        """Add another run's counts and lists to this one (files and urls indexed by one command)."""
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)
        return self

    def summary(self) -> str:
        """One line for humans."""
        other = ""
        if n := sum(self.not_articles.values()):
            kinds = sorted(self.not_articles, key=lambda k: (-self.not_articles[k], k))
            other = f"; {n} skipped, not articles: {', '.join(kinds)}"
        return (
            f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, removed {self.removed}, "
            f"duplicates {self.duplicates}, skipped {len(self.skipped)}{other}; chunks embedded "
            f"{self.chunks_embedded}, reused {self.chunks_reused}; {self.seconds:.1f}s"
        )


@dataclass
class _Scan:
    """State of one sync run."""

    records: dict
    by_text: dict
    cache: dict
    seen_files: set = field(default_factory=set)
    seen_keys: set = field(default_factory=set)
    file_rows: dict = field(default_factory=dict)
    deferred: list = field(default_factory=list)
    removals: set = field(default_factory=set)
    moved: set = field(default_factory=set)
    work: list = field(default_factory=list)
    work_chunks: int = 0
    walked: Walk = field(default_factory=Walk)  # what the walk could not look into stays as it is


class Indexer:
    """Brings the index in line with article files; the only writer of a data dir at a time."""

    def __init__(self, index: NewsIndex, settings: CoreSettings, progress=None):
        self.index = index
        self.settings = settings
        self.progress = progress  # callable(advance: int, total: int | None) or None
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsbot-writer")
        self._inflight: Future | None = None

    def sync(self, paths: list[Path], prune: bool = False, wait: float = 0.0, on_wait=None) -> SyncReport:
        """Index the articles under paths; with prune, drop articles whose files are gone."""
        with self._writing(wait, on_wait, check_model=True) as (report, scan):
            scan.walked = walk(paths, SUPPORTED)
            report.not_articles += scan.walked.other
            for problem in scan.walked.problems:
                log.debug("skipped %s: %s", problem.where, problem.reason)  # the report names it, once
                report.skipped.append((problem.where, problem.reason))
            files = scan.walked.files
            parsed: dict[Path, tuple[str, bool]] = {}  # per root: its meta key; read by this parser version?
            for n, (root, file) in enumerate(files, 1):
                if root not in parsed:  # resolved and looked up once per root, not per file
                    key = _parser_key(root)
                    parsed[root] = (key, self.index.get_meta(key) == PARSER_VERSION)
                # files an older parser read are read again (unchanged text keeps its vectors)
                self._visit(scan, root, file, report, use_cache=parsed[root][1])
                if self.progress:
                    self.progress(n, len(files))
            self._finish(scan, report, _dir_roots(paths) if prune else set())
            if stale := {key: PARSER_VERSION for key, current in parsed.values() if not current}:
                self.index.set_meta(**stale)
        return report

    def sync_changes(self, root: Path, changed: list[Path], deleted: list[Path]) -> SyncReport:
        """Apply a watcher's batch of file events under one root."""
        with self._writing(wait=-1) as (report, scan):
            for file in changed:
                if file.suffix.lower() not in SUPPORTED:
                    continue
                if why := broken_link(file):
                    report.skipped.append((display(file), why))
                elif file.is_file():
                    self._visit(scan, root, file, report, use_cache=False)
            gone = {(str(root.resolve()), relative_path(f, root)) for f in deleted if not f.exists() and utf8_name(f)}
            self._finish(scan, report, set(), gone_files=gone)
        return report

    def sync_articles(self, articles: list[Article], remove: list[str] = (), root: str = WEB_ROOT) -> SyncReport:
        """Index articles that come from urls rather than files (identity: their key); drop the keys in remove."""
        with self._writing(wait=-1, check_model=True) as (report, scan):
            for article in articles:
                if article.key in scan.seen_keys:  # two links to one canonical url in one batch
                    report.duplicates += 1
                    continue
                self._classify(scan, article, root, report)
            scan.removals.update(key for key in remove if key in scan.records)
            self._finish(scan, report, set())
        return report

    @contextlib.contextmanager
    def _writing(self, wait: float, on_wait=None, check_model: bool = False):
        """Hold the writer lock (waiting up to `wait`, forever if negative), finish a killed writer's work, time
        the run; a data dir that refuses writes (full, read-only) is one clear error, and the write rolled back."""
        data_dir = self.settings.index.data_dir
        if self.index.read_only:
            raise datadir.refuse_writes(data_dir, self.index.read_only)
        t0 = time.perf_counter()
        report = SyncReport()
        with datadir.writing(data_dir), writer_lock(data_dir, wait, on_wait, engine=self.index.engine), \
                datadir.writing(data_dir, settle=self._settle):
            report.recovered = self.index.recover()
            if check_model:
                self.index.check_model(self.settings.index.embedding_label)
            yield report, self._start_scan()
        report.seconds = time.perf_counter() - t0

    def _settle(self) -> None:
        """After a failed write, before the lock is let go: the batch in flight ends (or fails) first."""
        inflight, self._inflight = self._inflight, None
        if inflight is not None:
            inflight.exception()

    def _start_scan(self) -> _Scan:
        """Snapshot the record and file cache."""
        records = self.index.records()
        by_text = {r["text_hash"]: key for key, r in records.items()}
        return _Scan(records=records, by_text=by_text, cache=self.index.file_cache())

    def _visit(self, scan: _Scan, root: Path, file: Path, report: SyncReport, use_cache: bool = True) -> None:
        """Read one file unless it is unchanged, then classify its articles."""
        root_s, rel = str(root.resolve()), relative_path(file, root)
        scan.seen_files.add((root_s, rel))
        try:
            st = file.stat()
        except OSError as exc:  # listed, then gone or unreadable: kept until a walk sees it absent
            report.skipped.append((display(file), f"cannot read file ({exc.strerror})"))
            return
        cached = scan.cache.get((root_s, rel))
        # copies are always re-read: when their original goes, one of them takes its place
        if use_cache and cached and not cached["duplicate"] and (
            (cached["size"], cached["mtime_ns"]) == (st.st_size, st.st_mtime_ns)
        ):
            report.unchanged += self._mark_file_seen(scan, root_s, rel)
            return
        loaded = load_file(file, root, self.settings.index.max_article_bytes)
        for problem in loaded.problems:
            log.debug("skipped %s: %s", problem.where, problem.reason)  # the report names it, once
            report.skipped.append((problem.where, problem.reason))
        for article in loaded.articles:
            self._classify(scan, article, root_s, report)
        if loaded.problems:
            self._mark_file_seen(scan, root_s, rel)  # a broken file keeps its last good articles
        else:
            self._drop_stale(scan, root_s, rel, {a.key for a in loaded.articles})
        if not loaded.problems:
            scan.file_rows[(root_s, rel)] = {"root": root_s, "path": rel, "size": st.st_size,
                                             "mtime_ns": st.st_mtime_ns, "duplicate": 0}

    def _mark_file_seen(self, scan: _Scan, root_s: str, rel: str) -> int:
        """An unchanged file: its articles count as seen and unchanged."""
        keys = [k for k, r in scan.records.items() if r["root"] == root_s and _file_of(r["path"]) == rel]
        scan.seen_keys.update(keys)
        return len(keys)

    def _classify(self, scan: _Scan, article: Article, root_s: str, report: SyncReport) -> None:
        """Unchanged, changed, new, or a copy of another article."""
        scan.seen_keys.add(article.key)
        record = scan.records.get(article.key)
        if record and record["content_hash"] == article.content_hash:
            if (record["root"], record["path"]) != (root_s, article.path):
                self._queue(scan, article, root_s, report, "updated")  # moved file, same url
            else:
                report.unchanged += 1
            return
        text_hash = short_hash(article.text, 40)
        other = scan.by_text.get(text_hash)
        if record is None and other is not None and other != article.key:
            scan.deferred.append((article, root_s, other))
            return
        scan.by_text[text_hash] = article.key
        self._queue(scan, article, root_s, report, "updated" if record else "added")

    def _drop_stale(self, scan: _Scan, root_s: str, rel: str, produced: set[str]) -> None:
        """Articles a re-read file no longer contains (a JSONL line removed) leave the index."""
        for key, r in scan.records.items():
            if r["root"] == root_s and _file_of(r["path"]) == rel and key not in produced:
                scan.removals.add(key)

    def _queue(self, scan: _Scan, article: Article, root_s: str, report: SyncReport, kind: str) -> None:
        """Add an article to the current batch; flush when the batch is full."""
        chunks = chunk_article(article, self.settings.index.chunk_chars, self.settings.index.chunk_overlap_sentences)
        setattr(report, kind, getattr(report, kind) + 1)
        report.changes.append((kind, article.key))
        scan.work.append((Pending(article, article.article_id, chunks, None, root_s), None))
        scan.work_chunks += len(chunks)
        if scan.work_chunks >= self.settings.index.batch_chunks:
            self._flush(scan, report)

    def _finish(self, scan: _Scan, report: SyncReport, prune_roots: set[str], gone_files=frozenset()) -> None:
        """Resolve copies and moves, prune, write the last batch and remember the files."""
        for key, r in scan.records.items():
            where = (r["root"], _file_of(r["path"]))
            if key not in scan.seen_keys and (
                (r["root"] in prune_roots and where not in scan.seen_files and not scan.walked.covers(*where))
                or where in gone_files
            ):
                scan.removals.add(key)  # only what the walk saw is absent: an unreadable folder is not gone
        scan.removals -= scan.seen_keys  # an article that moved to another file stays
        for article, root_s, other in scan.deferred:
            self._resolve_copy(scan, article, root_s, other, report)
        report.removed += len(scan.removals - scan.moved)
        report.changes += [("removed", key) for key in sorted(scan.removals - scan.moved)]
        scan.work.extend((None, key) for key in sorted(scan.removals))
        self._flush(scan, report)
        self._wait_writer()
        self.index.save_files(list(scan.file_rows.values()), sorted(gone_files))
        self.index.set_meta(last_indexed=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                            embedding_model=self.settings.index.embedding_label)

    def _resolve_copy(self, scan: _Scan, article: Article, root_s: str, other: str, report: SyncReport) -> None:
        """Same text as an indexed article: a move when that one's file is gone, else a duplicate."""
        if other in scan.records and other in scan.removals:
            scan.moved.add(other)
            self._queue(scan, article, root_s, report, "updated")
            return
        report.duplicates += 1
        log.info("duplicate of %s: %s", other, article.key)
        row = scan.file_rows.get((root_s, _file_of(article.path)))
        if row:
            row["duplicate"] = 1

    def _flush(self, scan: _Scan, report: SyncReport) -> None:
        """Embed the batch (reusing stored vectors of identical text) and hand it to the writer."""
        if not scan.work:
            return
        batch: list[Pending] = []
        for pending, removed_key in scan.work:
            if pending is None:
                batch.append(Pending(None, scan.records[removed_key]["article_id"], [], None))
            else:
                batch.append(pending)
        scan.work, scan.work_chunks = [], 0
        self._embed(batch, report)
        self._wait_writer()
        self._inflight = self._writer.submit(self.index.apply, batch)

    def _embed(self, batch: list[Pending], report: SyncReport) -> None:
        """Fill each pending article's vectors."""
        embed_text = self.index.embed_text
        texts = {short_hash(embed_text(c), 32): embed_text(c) for p in batch if p.article for c in p.chunks}
        if not texts:
            return
        vectors = self.index.reusable_vectors(list(texts))
        missing = [h for h in texts if h not in vectors]
        if missing:
            fresh = self.index.embedder.encode([texts[h] for h in missing])
            vectors.update(zip(missing, fresh))
            report.chars_embedded += sum(len(texts[h]) for h in missing)
        report.chunks_embedded += len(missing)
        report.chunks_reused += len(texts) - len(missing)
        for p in batch:
            if p.article:
                p.vectors = [vectors[short_hash(self.index.embed_text(c), 32)] for c in p.chunks]

    def _wait_writer(self) -> None:
        """Block until the previous batch is written (and re-raise its error)."""
        if self._inflight is not None:
            self._inflight.result()
            self._inflight = None


def _file_of(path: str) -> str:
    """The file part of an article path ('feed.jsonl#3' -> 'feed.jsonl')."""
    return path.split("#", 1)[0]


def _parser_key(root: Path) -> str:
    """The meta entry holding the parser version that read this root's files."""
    return "parser:" + short_hash(str(root.resolve()), 16)


def _dir_roots(paths: list[Path]) -> set[str]:
    """Roots that can be pruned: directories given to the sync (never a single file's parent)."""
    return {str(Path(p).resolve()) for p in paths if Path(p).is_dir()}

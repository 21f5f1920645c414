"""Turn article files (txt/md, HTML, JSON, JSONL) into Articles with their metadata."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from index.dates import day_from_url
from index.errors import ArticleError
from index.models import Article, ArticleMeta
from index.text import BYLINE, CREDIT
from index.walk import display, relative_path, utf8_name, walk

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json", ".jsonl"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES

TEXT_FIELDS = ("text", "body", "content")
PARSER_VERSION = "2"  # stored with the index; a new version re-reads every file once (2: days from urls)
DATE_FIELDS = ("published", "published_at", "date")

DATELINE = re.compile(
    r"^\s*(?P<place>[A-Z][A-Z .,'’-]{1,40}?)(?:,\s*(?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}))?"
    r"\s*\((?P<source>[A-Z][\w .&-]{1,30})\)\s*[-–—]+\s*"
)
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
MD_HEADING = re.compile(r"^\s{0,3}#{1,2}\s+(.+?)\s*#*\s*$")
META_LINE = re.compile(r"^(title|author|by|source|date|published|url)\s*:\s*(.+)$", re.I)


@dataclass
class Loaded:
    """Articles read from one file, and the problems met on the way."""

    articles: list[Article] = field(default_factory=list)
    problems: list[ArticleError] = field(default_factory=list)


def iter_files(paths: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """Yield (root, file) for every supported file under the given files and directories."""
    yield from walk(paths, SUPPORTED).files


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """Read a file as text: UTF-8 (with or without BOM), else cp1252; binary, empty and oversized files fail."""
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise ArticleError(display(path), too_big(size, max_bytes))
        data = path.read_bytes()
    except OSError as exc:
        raise ArticleError(display(path), f"cannot read file ({exc.strerror or exc})") from exc
    return decode_bytes(data, display(path))


def decode_bytes(data: bytes, where: str, charset: str = "", what: str = "file") -> str:
    """Bytes as text: in the declared charset when there is one, else UTF-8 (with or without BOM), else cp1252."""
    if not data.strip():
        raise ArticleError(where, f"empty {what}")
    if b"\x00" in data:  # anywhere: a NUL in the stored text would reach every answer that quotes it
        raise ArticleError(where, f"binary {what} (contains NUL bytes)")
    encodings = ("utf-8-sig", "cp1252")
    if charset:
        try:
            encodings = ("utf-8-sig" if codecs.lookup(charset).name == "utf-8" else charset,)
        except LookupError:
            pass  # an unknown charset name: guess as for files
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            error = exc
    else:
        declared = f"declared {charset}" if charset else "nor cp1252"
        raise ArticleError(where, f"not valid {'UTF-8' if encodings[0] == 'utf-8-sig' else charset} "
                                  f"({declared}; byte {error.start})")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ArticleError(where, f"empty {what}")
    return text


def too_big(size: int, limit: int) -> str:
    """The reason an article is skipped for its size."""
    return f"{size:,} bytes, over the limit of {limit:,} (NEWSBOT_MAX_ARTICLE_BYTES)"


def load_file(path: Path, root: Path | None = None, max_bytes: int | None = None) -> Loaded:
    """Load every article in one file (at most max_bytes, a JSONL file per line); problems are collected, never raised."""
    rel = relative_path(path, root)
    suffix = path.suffix.lower()
    where = display(path)
    out = Loaded()
    try:
        if not utf8_name(path):
            raise ArticleError(where, "name is not valid UTF-8; rename it to index it")
        if suffix not in SUPPORTED:
            raise ArticleError(where, f"unsupported file type '{suffix or '(none)'}'")
        text = read_text(path, None if suffix == ".jsonl" else max_bytes)
        if suffix in TEXT_SUFFIXES:
            out.articles.append(parse_text(text, rel))
        elif suffix in HTML_SUFFIXES:
            out.articles.append(parse_html(text, rel, where))
        elif suffix == ".json":
            out.articles.append(_parse_json_text(text, rel, where))
        else:
            _parse_jsonl(text, rel, where, out, max_bytes)
    except ArticleError as exc:
        out.problems.append(exc)
    for art in out.articles:  # an undated article whose url carries its day is dated by it
        art.published = art.published or day_from_url(art.url)
    return out


def parse_text(text: str, rel: str) -> Article:
    """Parse news-wire text: front matter or heading, byline, dateline and credit line."""
    meta: dict[str, str] = {}
    match = FRONT_MATTER.match(text)
    if match:
        for line in match.group(1).splitlines():
            kv = META_LINE.match(line.strip())
            if kv:
                meta[kv.group(1).lower()] = kv.group(2).strip().strip("\"'")
        text = text[match.end():]
    if not text.strip():
        raise ArticleError(rel, "no article text after the front matter")
    art = Article(text=text, path=rel, key=rel)
    art.title = meta.get("title", "")
    art.author = meta.get("author") or meta.get("by", "")
    art.source = meta.get("source", "")
    art.published = meta.get("published") or meta.get("date", "")
    art.url = meta.get("url", "")
    _scan_lines(art)
    art.key = art.url or rel
    return art


def _scan_lines(art: Article) -> None:
    """Fill title, author, place and source from the first lines and the credit line."""
    lines = [ln for ln in art.text.splitlines() if ln.strip()]
    head = lines[:4]
    for i, line in enumerate(head):
        heading = MD_HEADING.match(line)
        if heading and not art.title:
            art.title = heading.group(1).strip()
            continue
        by = BYLINE.match(line)
        if by and not art.author:
            art.author = by.group(1).strip().rstrip(",")
            continue
        date = DATELINE.match(line)
        if date:
            art.place = date.group("place").strip().title()
            art.source = art.source or date.group("source").strip()
            break
        if i == 0 and not art.title and _looks_like_headline(line):
            art.title = line.strip()
    credit = CREDIT.match(lines[-1]) if lines else None
    if credit and not art.author:
        art.author = credit.group("body").split(";")[0].strip()
    if not art.title:
        art.title = _derive_title(art.text)


def _looks_like_headline(line: str) -> bool:
    """A short first line without a closing full stop reads as a headline."""
    line = line.strip()
    return 3 <= len(line) <= 150 and not line.endswith((".", ":", ";", ",")) and len(line.split()) <= 20


def _derive_title(text: str) -> str:
    """No headline given: the lead sentence after byline and dateline, cut to about twelve words."""
    body = [ln for ln in text.splitlines() if ln.strip() and not BYLINE.match(ln)]
    lead = DATELINE.sub("", body[0]) if body else text
    sentence = re.split(r"(?<=[.!?])\s", lead.strip(), maxsplit=1)[0]
    words = sentence.split()
    return " ".join(words[:12]) + ("…" if len(words) > 12 else "")


def parse_html(html: str, rel: str, where: str, url: str | None = None, fallback: ArticleMeta | None = None) -> Article:
    """Extract main text and metadata from an HTML page with trafilatura.

    url: where the page was fetched (resolves relative links); fallback: metadata a feed or sitemap
    gave for it, used where the page has none.
    """
    import trafilatura  # heavy import, only when HTML is met

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None or not (doc.text or "").strip():
        raise ArticleError(where, "no article text found in the HTML")
    site = (doc.sitename or "").strip()
    if fallback and fallback.source and site in {urlparse(u).netloc for u in (url, doc.url) if u}:
        site = fallback.source  # a feed's own name beats the bare host name trafilatura falls back to
    art = Article(
        text=doc.text.strip(),
        title=(doc.title or "").strip(),
        author=(doc.author or "").strip(),
        source=(site or doc.hostname or "").strip(),
        published=(doc.date or "").strip(),
        url=(doc.url or "").strip(),
        path=rel,
    )
    for name in ("title", "author", "published") if fallback else ():
        if not getattr(art, name):
            setattr(art, name, getattr(fallback, name).strip())
    if not art.title:
        art.title = _derive_title(art.text)
    art.key = art.url or rel
    return art


def parse_record(obj: object, rel: str, where: str) -> Article:
    """Build an Article from one JSON object (title, text|body|content, url, author, date, source)."""
    if not isinstance(obj, dict):
        raise ArticleError(where, f"expected a JSON object, got {type(obj).__name__}")
    body_field = next((f for f in TEXT_FIELDS if f in obj), None)
    if body_field is None:
        raise ArticleError(where, "missing field 'text' (or 'body'/'content')")
    text = _field(obj, body_field, where)
    if not text.strip():
        raise ArticleError(where, f"field '{body_field}' is empty")
    url = _field(obj, "url", where)
    date_field = next((f for f in DATE_FIELDS if obj.get(f)), "published")
    art = Article(
        text=text.replace("\r\n", "\n"),
        title=_field(obj, "title", where),
        author=_field(obj, "author", where),
        source=_field(obj, "source", where) or _source_from_url(url),
        published=_field(obj, date_field, where),
        url=url,
        path=rel,
    )
    if not art.title:
        art.title = _derive_title(art.text)
    art.key = url or rel
    return art


def _field(obj: dict, name: str, where: str) -> str:
    """A field as text: a string (an author may be a list of names, joined); any other type is an error."""
    value = obj.get(name)
    if value is None:
        return ""
    if name == "author" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(_field({name: v}, name, where) for v in value if v.strip())
    if isinstance(value, str):
        if "\x00" in value:
            raise ArticleError(where, f"field '{name}' contains NUL characters")
        value = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")  # a lone "\ud800" escape in the JSON
        return value if name in TEXT_FIELDS else value.strip()
    kind = "a string or a list of strings" if name == "author" else "a string"
    raise ArticleError(where, f"field '{name}' must be {kind}, got {_json_type(value)}")


def _json_type(value: object) -> str:
    """The JSON name of a value's type."""
    names = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def _source_from_url(url: str) -> str:
    """The publisher's host name (without www.) when an article names no source."""
    host = urlparse(url).hostname or ""
    return host.removeprefix("www.")


def _parse_json_text(text: str, rel: str, where: str) -> Article:
    """One article per .json file."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ArticleError(where, f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from exc
    return parse_record(obj, rel, where)


def _parse_jsonl(text: str, rel: str, where: str, out: Loaded, max_bytes: int | None = None) -> None:
    """One article per line; a bad line is reported with its number and the rest still load."""
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        here = f"{where}:{lineno}"
        if max_bytes is not None and (size := len(line.encode("utf-8", "surrogatepass"))) > max_bytes:
            out.problems.append(ArticleError(here, too_big(size, max_bytes)))
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            out.problems.append(ArticleError(here, f"malformed JSON ({exc.msg} at column {exc.colno})"))
            continue
        try:
            out.articles.append(parse_record(obj, f"{rel}#{lineno}", here))
        except ArticleError as exc:
            out.problems.append(exc)
    if not out.articles and not out.problems:
        out.problems.append(ArticleError(where, "no articles in the JSONL file"))

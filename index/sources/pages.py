"""A fetched article page as an Article: the same trafilatura extraction as HTML files, identity its canonical url."""

from __future__ import annotations

import re

from index.dates import day_from_url
from index.errors import FetchError
from index.loaders import decode_bytes, parse_html
from index.models import Article, ArticleMeta
from index.sources.listing import sniff
from index.sources.urls import page_identity

MIN_WORDS = 10  # fewer words is a menu, a login wall or a caption: not an article
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)


def page_article(content: bytes, url: str, charset: str = "", content_type: str = "",
                 listed: ArticleMeta | None = None) -> Article:
    """Extract the article of a page fetched from url; the listing's metadata fills what the page lacks."""
    kind = sniff(content, content_type)
    if kind in ("feed", "sitemap"):
        raise FetchError(url, f"a {kind} where an article page was expected")
    declared = charset or _meta_charset(content)
    html = decode_bytes(content, url, declared, what="page")
    article = parse_html(html, url, url, url=url, fallback=listed)
    if len(article.text.split()) < MIN_WORDS:
        raise FetchError(url, f"no article text found in the HTML (only {len(article.text.split())} words)")
    article.url = article.key = article.path = page_identity(url, article.url)
    article.published = article.published or day_from_url(article.url)
    return article


def _meta_charset(content: bytes) -> str:
    """The charset a page names in its <meta> (when its Content-Type does not)."""
    match = META_CHARSET.search(content[:4096])
    return match.group(1).decode("ascii", "replace").lower() if match else ""

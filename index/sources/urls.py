"""Urls as identities: canonical forms without tracking parameters, and which urls may be fetched at all."""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin, urlsplit

from index.errors import FetchError

SCHEMES = ("http", "https")


def is_web_url(text: str) -> bool:
    """Does a command-line argument name a web url rather than a file?"""
    return "://" in text and text.split("://", 1)[0].lower().isalpha()


def check_web_url(url: str) -> str:
    """The url when it is an absolute http(s) url with a host; FetchError naming it otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in SCHEMES:
        raise FetchError(url, f"only http and https urls are fetched, not {parts.scheme or 'a relative url'}")
    if not parts.hostname:
        raise FetchError(url, "the url names no host")
    return url.strip()


def canonical_url(url: str) -> str:
    """The article identity of a url: scheme and host lowercased, default port, fragment and trackers (utm_*, fbclid…) gone."""
    from courlan import normalize_url, scrub_url

    bare = urldefrag(url.strip())[0]
    try:
        return normalize_url(scrub_url(bare))
    except ValueError:  # courlan refuses a few malformed urls (a bad port): keep them as given
        return bare


def resolve(base: str, link: str) -> str:
    """A link as found in a listing or a redirect, made absolute against the url it came from."""
    return urljoin(base, link.strip())


def origin(url: str) -> str:
    """scheme://host[:port] of a url (robots.txt and politeness are per origin)."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def same_site(a: str, b: str) -> bool:
    """Do two urls share a host (ignoring a leading www.)?"""
    host_a, host_b = (urlsplit(u).hostname or "" for u in (a, b))
    return bool(host_a) and host_a.removeprefix("www.") == host_b.removeprefix("www.")


def page_identity(fetched_url: str, declared: str) -> str:
    """The canonical url of a fetched page: its declared canonical link when it stays on the site, else where it was fetched.

    A canonical link to another host (syndicated copies) or to the site's front page (a common
    template bug that would fold every article into one) is not trusted.
    """
    if declared and urlsplit(declared).scheme in SCHEMES and same_site(declared, fetched_url) \
            and urlsplit(declared).path.strip("/"):
        return canonical_url(declared)
    return canonical_url(fetched_url)

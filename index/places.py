"""Where newsbot keeps things: the default data dir, the .env files read, and the index named for people."""

from __future__ import annotations

from pathlib import Path

LEGACY_DATA_DIR = Path("data")  # where newsbot kept its index before it had one per user: still found and used


def default_data_dir() -> Path:
    """The user data dir (~/.local/share/newsbot on Linux); an index in ./data from before is kept in use."""
    if (LEGACY_DATA_DIR / "newsbot.sqlite3").is_file():
        return LEGACY_DATA_DIR
    from platformdirs import user_data_path  # here: only a default data dir needs it

    return user_data_path("newsbot")


def env_files() -> tuple[Path, ...]:
    """The .env files read, weakest first: the user config dir's, then the current folder's (which wins)."""
    from platformdirs import user_config_path

    return (user_config_path("newsbot") / ".env", Path(".env"))


def local_database(url: str) -> Path | None:
    """The SQLite file a database URL names (None for a server, memory or a file: URI)."""
    if not url.startswith("sqlite"):
        return None
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    return Path(database) if database and database != ":memory:" and not database.startswith("file:") else None


def index_label(settings) -> str:
    """The index searched, for people: its data dir, or its database and Chroma server (never credentials)."""
    data_dir = str(settings.index.data_dir.resolve())
    servers = settings.servers
    if not servers.database_url and not servers.chroma_host:
        return data_dir
    if settings.local_database is None:  # a server: its address only, no user, password or options
        from sqlalchemy.engine import make_url

        url = make_url(servers.database_url)
        port = f":{url.port}" if url.port else ""
        database = f"database {url.get_backend_name()}://{url.host or ''}{port}/{url.database or ''}"
    else:
        database = f"database {settings.local_database.resolve()}"
    chroma = f"Chroma server {servers.chroma_host}:{servers.chroma_port}" if servers.chroma_host else f"Chroma in {data_dir}"
    return f"{database}, {chroma}"

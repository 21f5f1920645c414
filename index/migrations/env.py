"""Alembic's environment: migrations run on the connection index.migrate hands over, inside its transaction."""

from __future__ import annotations

from alembic import context

from index.migrate import include_object
from index.schema import metadata


def run() -> None:
    """Run the migrations on the handed-over connection (the caller holds the lock and the transaction)."""
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=metadata,
                      include_object=include_object(connection.dialect.name),
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


run()

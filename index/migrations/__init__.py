"""Alembic migrations: each revision under versions/ moves a database one step toward index/schema.py."""

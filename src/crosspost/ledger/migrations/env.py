"""Alembic's entry point for the ledger: always run by crosspost on a connection it
opened (`crosspost.ledger.database.prepare_schema`), never from the alembic command
line."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

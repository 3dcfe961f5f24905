"""Alembic environment: always run on the connection the workspace hands over."""

from alembic import context

from scorecard.models import SQLModel

target_metadata = SQLModel.metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the workspace always passes one
    raise RuntimeError("Workspace migrations run through scorecard.workspace, not the alembic CLI")

# render_as_batch: SQLite cannot ALTER most things, so later revisions copy-and-move tables.
context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()

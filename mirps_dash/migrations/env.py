"""Alembic environment: uses the caller's connection when given one, else `MIRPS_DATABASE_URL`."""

from alembic import context

from mirps_dash.database import make_engine
from mirps_dash.schema import Base


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    with make_engine().begin() as connection:
        _run(connection)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()

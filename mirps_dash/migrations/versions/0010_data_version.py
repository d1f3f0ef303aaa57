"""data version: one row every write of shown data changes, so every app process drops its cached reads

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 16:30:00
"""

import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("stamp", sa.String(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"id": 1, "stamp": secrets.token_hex(16), "changed_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("data_version")

"""sign-in: lockout and server-side sessions; approved periods locked

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 02:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "auth_session",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_auth_session_token_hash")),
    )
    op.create_index(op.f("ix_auth_session_username"), "auth_session", ["username"], unique=False)
    op.create_table(
        "period_lock",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("locked_by", sa.String(length=80), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_lock")),
        sa.UniqueConstraint("country_iso3", "period", name=op.f("uq_period_lock_country_iso3")),
    )


def downgrade() -> None:
    op.drop_table("period_lock")
    op.drop_index(op.f("ix_auth_session_username"), table_name="auth_session")
    op.drop_table("auth_session")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_column("password_changed_at")
        batch_op.drop_column("locked_at")
        batch_op.drop_column("failed_attempts")

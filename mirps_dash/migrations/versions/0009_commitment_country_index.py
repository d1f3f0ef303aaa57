"""an index on the commitment's country: the plans read the MIRPS States' commitments only

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 02:40:00
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_commitment_country_iso3"), "commitment", ["country_iso3"])


def downgrade() -> None:
    op.drop_index(op.f("ix_commitment_country_iso3"), table_name="commitment")

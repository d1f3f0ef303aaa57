"""an index on the population's country: the regional totals read the MIRPS States' rows only

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 15:30:00
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_population_country_iso3"), "population", ["country_iso3"])


def downgrade() -> None:
    op.drop_index(op.f("ix_population_country_iso3"), table_name="population")

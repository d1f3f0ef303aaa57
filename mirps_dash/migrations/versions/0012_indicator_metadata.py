"""indicator metadata: definition, formula, source, periodicity and caveats of a national team's indicator

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 17:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TEXTS = ("definition_es", "definition_en", "formula_es", "formula_en", "data_source", "caveats_es", "caveats_en")


def upgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        for name in TEXTS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("periodicity", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_column("periodicity")
        for name in reversed(TEXTS):
            batch_op.drop_column(name)

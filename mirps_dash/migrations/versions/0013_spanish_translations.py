"""Spanish translations beside the English of the shipped work plans and facts (data/SOURCES.md)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 19:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TRANSLATED = {
    "fact": ("description_es",),
    "workplan_event": ("title_es", "date_text_es"),
    "workplan_working_group": ("name_es", "focus_es", "suggested_members_es", "partners_es"),
    "workplan_outcome": ("title_es", "description_es"),
    "workplan_partnership": ("partner_es", "planned_actions_es"),
}


def upgrade() -> None:
    for table, columns in TRANSLATED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in columns:
                kind = sa.String(length=40) if name == "date_text_es" else sa.Text()
                batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    for table, columns in TRANSLATED.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in reversed(columns):
                batch_op.drop_column(name)

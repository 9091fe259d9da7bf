"""Schema 2: planned posts keep their wire text and who claimed them, and when.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crosspost.ledger.tables import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("planned_posts") as table:
        table.add_column(sa.Column("wire_text", sa.Text()))
        table.add_column(sa.Column("claimed_by", sa.String(255)))
        table.add_column(sa.Column("claimed_at", UTCDateTime()))
    op.execute("UPDATE schema_version SET version = 2")

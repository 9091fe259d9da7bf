"""Schema 3: campaigns, local slot times, endpoints, leases and retries, runner
heartbeats, the ledger's identity, and the `draft` status.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crosspost.ledger.tables import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("planned_posts") as table:
        table.add_column(sa.Column("local_time", sa.String(40)))
        table.add_column(sa.Column("endpoint", sa.String(255)))
        table.add_column(sa.Column("retry_at", UTCDateTime()))
        table.add_column(sa.Column("lease_until", UTCDateTime()))
        table.create_index("ix_planned_posts_status_due_at", ["status", "due_at"])
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("summary_id", sa.String(64), nullable=False, unique=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("summary_json", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("headline", sa.Integer()),
        sa.Column("finding_order", sa.Text()),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("found_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "runners",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("last_tick", UTCDateTime(), nullable=False),
        sa.Column("next_due", UTCDateTime()),
        sa.Column("stopped_at", UTCDateTime()),
    )
    op.create_table(
        "ledger_identity",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("identity", sa.String(36), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.execute("UPDATE schema_version SET version = 3")

"""Remember: the ledger of planned posts and their history (SQLite or any SQL URL)."""

from crosspost.ledger.database import LedgerError
from crosspost.ledger.store import Ledger
from crosspost.ledger.tables import (
    SCHEMA_VERSION,
    STATUSES,
    Attempt,
    PlannedPost,
    Status,
)
from crosspost.ledger.wire import text_hash

__all__ = [
    "SCHEMA_VERSION",
    "STATUSES",
    "Attempt",
    "Ledger",
    "LedgerError",
    "PlannedPost",
    "Status",
    "text_hash",
]

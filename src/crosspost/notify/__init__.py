"""Telling the team through Apprise: hand-offs due, posts failed, unknown or missed,
credentials expiring before a planned post."""

from crosspost.notify.notice import (
    Notice,
    expiry_notices,
    handoff_notice,
    missed_notice,
    outcome_notice,
    trial_notice,
)
from crosspost.notify.notifier import (
    AppriseNotifier,
    Delivery,
    NoNotifier,
    Notifier,
    RecordingNotifier,
    notifier_from,
)

__all__ = [
    "AppriseNotifier",
    "Delivery",
    "NoNotifier",
    "Notice",
    "Notifier",
    "RecordingNotifier",
    "expiry_notices",
    "handoff_notice",
    "missed_notice",
    "notifier_from",
    "outcome_notice",
    "trial_notice",
]

"""A rehearsal of everything a set of summaries would post: every platform's every
variant rendered, the campaigns planned, and each post sent on a virtual clock to the
in-process sandbox (`crosspost dry-run`). Nothing is kept; the same input and start
give the same rehearsal."""

from crosspost.rehearsal.model import Answer, Problem, Rehearsal, RehearsedPost
from crosspost.rehearsal.run import Watcher, rehearse

__all__ = ["Answer", "Problem", "Rehearsal", "RehearsedPost", "Watcher", "rehearse"]

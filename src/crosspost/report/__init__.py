"""Show: what a person or a pull request reads. The preview page (each post drawn as
its platform shows it, with an index of every post's status), reusable for dry-run
reports, and the calendar export."""

from crosspost.report.entries import Account, Entry, Failure, Section, accounts_from
from crosspost.report.preview import build_page, preview_html

__all__ = [
    "Account",
    "Entry",
    "Failure",
    "Section",
    "accounts_from",
    "build_page",
    "preview_html",
]

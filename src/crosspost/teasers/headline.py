"""Which finding leads: the summary's or the user's explicit choice, else the first
finding that reports a result, else the first finding."""

from __future__ import annotations

import re

from crosspost.errors import UsageError
from crosspost.summaries.model import Paragraph, Summary

# A finding reports a result when it names one (main/primary finding or outcome), says
# what was shown or changed, gives a percentage, or compares groups. Describing who took
# part ("Sixty-four people took part …") reports none of these.
_RESULT = re.compile(
    r"""\b(?:
    (?:primary|main|key|principal)\s+(?:finding|outcome|result|end\s?point)s?|
    show(?:s|ed|n)|demonstrat\w+|reveal\w*|
    reduc\w+|increas\w+|decreas\w+|improv\w+|worsen\w*|lower(?:ed)?|rais\w+|
    fell|rose|halved|doubled|slow\w*|shorten\w*|prevent\w*|cut\s+(?:the|by)|
    associated\s+with|compared\s+(?:with|to)|versus|vs\.?|than|relative\s+to|
    fewer|higher|greater|odds|hazard|risk\s+ratio|
    significant\w*|p\s*[<=≤]
    )(?!\w)|\d\s?%|\bper\s?cent\b""",
    re.IGNORECASE | re.VERBOSE,
)


def reports_result(text: str) -> bool:
    """Whether a finding's text reports a result (see the module docstring)."""
    return _RESULT.search(text) is not None


def headline_finding(summary: Summary, chosen: int | None = None) -> Paragraph | None:
    """The headline finding: `chosen` (a FINDING number), else the summary's own
    `headline`, else the first finding that reports a result, else the first one.

    A chosen number the summary has no FINDING for is a UsageError."""
    findings = summary.findings
    number = chosen if chosen is not None else summary.headline
    if number is not None:
        for finding in findings:
            if finding.number == number:
                return finding
        present = ", ".join(f"#{f.number}" for f in findings) or "none"
        raise UsageError(
            f"{summary.source or summary.title}: no FINDING #{number} to use as the "
            f"headline (findings: {present})",
            hint="give the number of one of its findings",
        )
    for finding in findings:
        if reports_result(finding.text):
            return finding
    return findings[0] if findings else None

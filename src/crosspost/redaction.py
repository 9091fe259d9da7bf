"""Removing secrets from text: known values (adapters' messages) and, for what the
ledger stores or shows, anything shaped like a credential too.

Only the value is removed, and only a value that looks like a credential: "access
token: Session has expired." is a sentence, not a secret, and stays readable.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NAMES = (
    r"access_token|refresh_token|token|secret|password|api_key|key|signature|"
    r"client_secret|oauth_[a-z_]+"
)
# name=value (a query or form field): the value is always a secret.
_ASSIGNED = re.compile(rf"(?i)\b((?:{_NAMES})=)[^\s&\"',}}]+")
# "name": "value" (JSON, quoted): always a secret.
_QUOTED = re.compile(rf"(?i)(\b(?:{_NAMES})[\"']?\s*:\s*[\"'])[^\"']+")
# name: value (prose or a header): a secret only when it looks like one.
_STATED = re.compile(rf"(?i)(\b(?:{_NAMES})\s*:\s*)([^\s&\"',}}]+)")
# An Authorization header's credentials, and whatever follows "Bearer": always.
_HEADER = re.compile(r"(?i)\b(authorization\s*:\s*[a-z0-9-]+\s+)[^\s\"',}]+")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=-]{8,}")
# "OAuth …" and "Basic …" are also words: only a credential-looking value.
_SCHEMED = re.compile(r"(?i)\b(oauth|basic)(\s+)([A-Za-z0-9._~+/=-]{8,})")
_CREDENTIAL_MARKS = re.compile(r"[0-9._~+/=-]")


def looks_like_a_credential(value: str) -> bool:
    """Whether `value` could be a token or password rather than a word: it holds a
    digit or one of `. _ ~ + / = -`, or is 20 characters or longer."""
    return len(value) >= 20 or (
        len(value) >= 6 and _CREDENTIAL_MARKS.search(value) is not None
    )


def redact(text: str, secrets: Iterable[str]) -> str:
    """Remove every known secret value (6 characters or longer) from `text`."""
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    return text


def scrub(text: str | None, secrets: Iterable[str] = ()) -> str | None:
    """Remove known secret values and anything shaped like a credential."""
    if text is None:
        return None
    text = _ASSIGNED.sub(r"\1[redacted]", redact(text, secrets))
    text = _QUOTED.sub(r"\1[redacted]", text)
    text = _HEADER.sub(r"\1[redacted]", text)
    text = _BEARER.sub(r"\1[redacted]", text)
    text = _STATED.sub(_if_credential, text)
    return _SCHEMED.sub(_if_credential, text)


def _if_credential(match: re.Match[str]) -> str:
    *kept, value = match.groups()
    if value == "[redacted]" or not looks_like_a_credential(value.rstrip(".;")):
        return match.group(0)
    return "".join(kept) + "[redacted]"

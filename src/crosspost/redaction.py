"""Removing secrets from text: known values (adapters' messages) and, for what the
ledger stores or shows, anything shaped like a credential too."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SECRETISH = re.compile(
    r"(?i)((?:access_token|refresh_token|token|secret|password|api_key|key|signature|"
    r"client_secret|oauth_[a-z_]+)[\"']?\s*[=:]\s*[\"']?)[^\s&\"',}]+"
)
_BEARER = re.compile(r"(?i)\b(bearer|oauth|basic)\s+[A-Za-z0-9._~+/=-]{8,}")


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
    text = _SECRETISH.sub(r"\1[redacted]", redact(text, secrets))
    return _BEARER.sub(r"\1 [redacted]", text)

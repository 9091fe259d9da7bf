"""Removing secrets from text before the ledger stores or shows it."""

from __future__ import annotations

import re
from collections.abc import Iterable

_SECRETISH = re.compile(
    r"(?i)((?:access_token|refresh_token|token|secret|password|api_key|key|signature|"
    r"client_secret|oauth_[a-z_]+)[\"']?\s*[=:]\s*[\"']?)[^\s&\"',}]+"
)
_BEARER = re.compile(r"(?i)\b(bearer|oauth|basic)\s+[A-Za-z0-9._~+/=-]{8,}")


def scrub(text: str | None, secrets: Iterable[str] = ()) -> str | None:
    """Remove known secret values and anything shaped like a credential."""
    if text is None:
        return None
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, "[redacted]")
    text = _SECRETISH.sub(r"\1[redacted]", text)
    return _BEARER.sub(r"\1 [redacted]", text)

"""Apprise URLs as the team writes them: `${NAME}` placeholders filled from the
environment or `.env`, the parts of a URL that are secrets, and a form safe to show."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, quote_plus

from crosspost.errors import ConfigError

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Query parameters whose value is a credential (Apprise's own names among them).
_SECRET_PARAM = re.compile(r"(?i)token|key|secret|pass|pwd|auth|sig|credential")
_PIECE_SPLIT = re.compile(r"[/:@?#&=]")
_WORD_SPLIT = re.compile(r"[-_.~+%]")
TOKEN_LENGTH = 16  # a literal part this long, of letters and digits, is a token


@dataclass(frozen=True)
class UrlParts:
    """An Apprise URL cut without judging it: many services put tokens where a host
    would be (`slack://TokenA/TokenB/TokenC`), so nothing here must be a hostname."""

    scheme: str
    user: str
    password: str
    netloc: str  # host[:port], or the service's first token
    path: tuple[str, ...]
    query: tuple[tuple[str, str], ...]
    fragment: str

    @classmethod
    def of(cls, url: str) -> UrlParts:
        scheme, sep, rest = url.partition("://")
        if not sep:
            scheme, rest = "", url
        rest, _, fragment = rest.partition("#")
        rest, _, query = rest.partition("?")
        netloc, _, path = rest.partition("/")
        userinfo, at, hostport = netloc.rpartition("@")
        if not at:
            userinfo, hostport = "", netloc
        user, _, password = userinfo.partition(":")
        return cls(
            scheme=scheme.lower(),
            user=user,
            password=password,
            netloc=hostport,
            path=tuple(segment for segment in path.split("/") if segment),
            query=tuple(parse_qsl(query, keep_blank_values=True)),
            fragment=fragment,
        )

    @property
    def is_hostname(self) -> bool:
        """Whether the netloc names a host (a dot, or localhost) rather than a token."""
        host = self.netloc.rsplit(":", 1)[0] if "]" not in self.netloc else self.netloc
        return "." in host or host.lower() == "localhost" or host.startswith("[")

    def pieces(self) -> Iterator[str]:
        """Every literal part that might be a token: path, query values, fragment,
        and the netloc when it is not a hostname."""
        parts = [*self.path, *(value for _, value in self.query), self.fragment]
        if not self.is_hostname:
            parts.append(self.netloc)
        for part in parts:
            yield from (piece for piece in _PIECE_SPLIT.split(part) if piece)


def placeholders(url: str) -> list[str]:
    """The variable names a URL refers to, as `${NAME}`."""
    return PLACEHOLDER.findall(url)


def fill(url: str, values: Mapping[str, str], *, where: str) -> tuple[str, list[str]]:
    """`url` with each `${NAME}` replaced by its value, and the values used.

    A variable that is not set (or empty) is a ConfigError naming it and `where`.
    """
    used: list[str] = []

    def value_of(match: re.Match[str]) -> str:
        name = match.group(1)
        value = values.get(name, "")
        if not value:
            raise ConfigError(
                f"{where} uses ${{{name}}}, but the variable {name} is not set",
                hint=f"set {name} in the environment or .env (it is read from there "
                "only, so the token never sits in the config file)",
            )
        used.append(value)
        return value

    return PLACEHOLDER.sub(value_of, url), used


def literal_credential(url: str) -> str | None:
    """What in `url` as written (placeholders left in) looks like a credential, or
    None: a password, a query value named like a token, or a long token-shaped part."""
    parts = UrlParts.of(url)
    if parts.password and not PLACEHOLDER.fullmatch(parts.password):
        return "a password"
    for name, value in parts.query:
        if value and _SECRET_PARAM.search(name) and not PLACEHOLDER.search(value):
            return f"a literal {name!r} value"
    for piece in parts.pieces():
        if "${" not in piece and _token_shaped(piece, TOKEN_LENGTH):
            return "a token-like part"
    return None


def secret_parts(resolved: str, used: list[str]) -> list[str]:
    """The secrets of a resolved URL, for redaction: the URL itself, every value
    filled into it, its password, secret-named query values and token-shaped parts,
    each also URL-encoded (requests and logs may show it so)."""
    parts = UrlParts.of(resolved)
    found = [resolved, *used, parts.password]
    found += [value for name, value in parts.query if _SECRET_PARAM.search(name)]
    found += [piece for piece in parts.pieces() if _token_shaped(piece, 8)]
    forms = {form for secret in found if secret for form in _forms(secret)}
    return sorted(forms, key=lambda form: (-len(form), form))


def shown(url: str, number: int) -> str:
    """How a URL is named in messages: its number and service, and its host when the
    netloc is a hostname, never a path, query or credential (`#2 json://host:8765/…`).
    """
    parts = UrlParts.of(url)
    hostname = parts.is_hostname and "${" not in parts.netloc
    where = parts.netloc if hostname else ""
    return f"#{number} {parts.scheme or '?'}://{where}…"


def _token_shaped(piece: str, length: int) -> bool:
    """A run of letters and digits mixed, `length` long or more (or any run twice
    that): how tokens look, and how words, hostnames, dates and topics do not."""
    for run in _WORD_SPLIT.split(piece):
        mixed = any(c.isdigit() for c in run) and any(c.isalpha() for c in run)
        if (len(run) >= length and mixed) or len(run) >= 2 * TOKEN_LENGTH:
            return True
    return False


def _forms(secret: str) -> set[str]:
    return {secret, quote(secret, safe=""), quote_plus(secret), quote(secret)}

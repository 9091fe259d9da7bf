"""How requests to X are authorised: OAuth 1.0a signing, or an OAuth 2.0 user token that
refreshes itself and keeps each rotated pair in a file only its owner can read."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from authlib.oauth1 import SIGNATURE_HMAC_SHA1, ClientAuth
from pydantic import SecretStr

from crosspost.platforms.errors import (
    AuthError,
    OutcomeUnknown,
    PublishError,
    Transient,
)
from crosspost.platforms.http import NO_RETRY, RetryPolicy, call, server_error
from crosspost.settings import XSettings

TOKEN_PATH = "/2/oauth2/token"
CREDENTIALS_HINT = (
    "set CROSSPOST_X__CONSUMER_KEY, CROSSPOST_X__CONSUMER_SECRET, "
    "CROSSPOST_X__ACCESS_TOKEN and CROSSPOST_X__ACCESS_TOKEN_SECRET (OAuth 1.0a), "
    "or CROSSPOST_X__CLIENT_ID and CROSSPOST_X__OAUTH2_REFRESH_TOKEN (OAuth 2.0) "
    "in the environment or .env"
)
REAUTHORISE = (
    "authorise again, set CROSSPOST_X__OAUTH2_REFRESH_TOKEN to the new refresh token "
    "(the stored pair is then replaced)"
)


class OAuth1Signer(httpx.Auth):
    """Signs each request with OAuth 1.0a HMAC-SHA1, the signature computed by authlib.

    Only the URL and its query enter the base string; JSON and multipart bodies do not
    (RFC 5849 §3.4.1.3) and are sent untouched. authlib's httpx `OAuth1Auth` empties
    such bodies (authlib/authlib#543), hence this wrapper around its `ClientAuth`.
    """

    def __init__(self, consumer: tuple[str, str], token: tuple[str, str]) -> None:
        self._signer = ClientAuth(
            consumer[0],
            consumer[1],
            token=token[0],
            token_secret=token[1],
            signature_method=SIGNATURE_HMAC_SHA1,
        )

    def auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        _, headers, _ = self._signer.sign(request.method, str(request.url), {}, b"")
        request.headers["Authorization"] = headers["Authorization"]
        yield request


@dataclass(frozen=True)
class TokenPair:
    """An OAuth 2.0 access token and the single-use refresh token that replaces it.

    `seed` fingerprints the configured refresh token the chain of rotations began with,
    so a token configured after re-authorising wins over a stored chain of older ones.
    """

    access_token: str
    refresh_token: str
    expires_at: datetime | None = None
    seed: str = ""


def fingerprint(token: str) -> str:
    """A short one-way digest naming a token without revealing it."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:16] if token else ""


def load_tokens(path: Path) -> TokenPair | None:
    """The pair stored in `path`, or None when there is no file yet."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        expires = data.get("expires_at")
        return TokenPair(
            access_token=str(data["access_token"]),
            refresh_token=str(data["refresh_token"]),
            expires_at=datetime.fromisoformat(expires) if expires else None,
            seed=str(data.get("seed") or ""),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise AuthError(
            f"the X token file {path} is not a readable token pair; delete it and "
            + REAUTHORISE,
            platform="x",
        ) from None


def save_tokens(path: Path, pair: TokenPair) -> None:
    """Write `pair` to `path` atomically (temp file, rename), mode 0600 throughout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "expires_at": pair.expires_at.isoformat() if pair.expires_at else None,
        "seed": pair.seed,
    }
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _value(secret: SecretStr | None) -> str:
    return secret.get_secret_value() if secret is not None else ""


class XAuth:
    """What X requests carry: OAuth 1.0a when all four keys are set, else OAuth 2.0."""

    def __init__(
        self,
        config: XSettings,
        client: httpx.AsyncClient,
        *,
        policy: RetryPolicy = NO_RETRY,
        sleep: Callable[[float], object] = asyncio.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._config = config
        self._client = client
        self._policy = policy
        self._sleep = sleep
        self._now = now
        self._lock = asyncio.Lock()
        self._pair: TokenPair | None = None
        consumer = (_value(config.consumer_key), _value(config.consumer_secret))
        token = (_value(config.access_token), _value(config.access_token_secret))
        self._oauth1 = OAuth1Signer(consumer, token) if all(consumer + token) else None

    @property
    def refreshable(self) -> bool:
        return self._oauth1 is None

    @property
    def expires_at(self) -> datetime | None:
        return self._pair.expires_at if self._pair else None

    def secrets(self) -> list[str]:
        """Every secret value known, for redacting messages."""
        config = self._config
        found = [
            _value(config.consumer_key),
            _value(config.consumer_secret),
            _value(config.access_token),
            _value(config.access_token_secret),
            _value(config.client_secret),
            _value(config.oauth2_access_token),
            _value(config.oauth2_refresh_token),
        ]
        if self._pair:
            found += [self._pair.access_token, self._pair.refresh_token]
        return [value for value in found if value]

    def bearer(self) -> str | None:
        """The OAuth 2.0 access token in use, if requests carry one."""
        return self._pair.access_token if self._oauth1 is None and self._pair else None

    async def request_options(self) -> dict[str, Any]:
        """Keyword arguments for `http.call` that authorise one request."""
        if self._oauth1 is not None:
            return {"auth": self._oauth1}
        if not self._current().access_token:
            await self.refresh()
        token = self._current().access_token
        return {"headers": {"Authorization": f"Bearer {token}"}}

    def _current(self) -> TokenPair:
        if self._pair is None:
            refresh = _value(self._config.oauth2_refresh_token)
            configured = TokenPair(
                _value(self._config.oauth2_access_token),
                refresh,
                seed=fingerprint(refresh),
            )
            stored = load_tokens(self._config.token_file)
            if stored is not None and stored.seed in ("", configured.seed):
                self._pair = stored
            elif configured.access_token or configured.refresh_token:
                self._pair = configured
            else:
                raise AuthError(
                    f"no X credentials are set; {CREDENTIALS_HINT}", platform="x"
                )
        return self._pair

    async def refresh(self, failed: str | None = None) -> None:
        """Replace the access token, unless another caller already replaced `failed`.

        The new pair is on disk before it is used: the old refresh token dies the moment
        X answers, so a pair held only in memory would be lost with the process.
        """
        async with self._lock:
            current = self._current()
            stored = load_tokens(self._config.token_file)
            if (
                stored is not None
                and stored.seed == current.seed
                and stored.access_token != current.access_token
            ):
                self._pair = current = stored  # another process refreshed first
            if failed is not None and current.access_token != failed:
                return
            if not (current.refresh_token and self._config.client_id):
                raise AuthError(
                    "the X access token was refused and there is no refresh token and "
                    f"client id to renew it; {CREDENTIALS_HINT}",
                    platform="x",
                )
            pair = await self._exchange(current)
            save_tokens(self._config.token_file, pair)
            self._pair = pair

    async def _exchange(self, current: TokenPair) -> TokenPair:
        config = self._config
        form = {"grant_type": "refresh_token", "refresh_token": current.refresh_token}
        options: dict[str, Any] = {"data": form}
        if _value(config.client_secret):
            options["auth"] = httpx.BasicAuth(
                config.client_id, _value(config.client_secret)
            )
        else:
            form["client_id"] = config.client_id
        try:
            response = await call(
                self._client,
                "POST",
                config.base_url.rstrip("/") + TOKEN_PATH,
                platform="x",
                classify=_classify_refresh,
                policy=self._policy,
                secrets=self.secrets(),
                sleep=self._sleep,
                **options,
            )
        except OutcomeUnknown as exc:
            raise Transient(
                f"refreshing the X token got no answer ({exc.message}); "
                "nothing was posted",
                platform="x",
            ) from None
        try:
            data = response.json()
            access, rotated = str(data["access_token"]), data.get("refresh_token")
            lifetime = data.get("expires_in")
        except (ValueError, KeyError, TypeError):
            raise AuthError(
                "X answered the token refresh without an access token; " + REAUTHORISE,
                platform="x",
            ) from None
        expires_at = (
            self._now() + timedelta(seconds=lifetime)
            if isinstance(lifetime, int)
            else None
        )
        refresh = str(rotated) if rotated else current.refresh_token
        return TokenPair(access, refresh, expires_at, current.seed)


def _classify_refresh(response: httpx.Response) -> PublishError | None:
    if response.status_code < 400:
        return None
    if response.status_code >= 500:
        return server_error(response, "x")
    if response.status_code == 401:
        # The client itself was refused (wrong secret, or a confidential client sending
        # client_id in the body), not the refresh token.
        return AuthError(
            "X refused this app's client credentials while refreshing (HTTP 401): "
            "check x.client_id and CROSSPOST_X__CLIENT_SECRET",
            platform="x",
            status=401,
        )
    return AuthError(
        f"X refused to refresh the access token (HTTP {response.status_code}): the "
        "refresh token was already used or revoked; " + REAUTHORISE,
        platform="x",
        status=response.status_code,
    )

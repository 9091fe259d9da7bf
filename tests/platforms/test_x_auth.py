"""Tests for X authorisation: OAuth 1.0a signing and OAuth 2.0 refresh with rotation."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import stat
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import httpx
import pytest
from pydantic import SecretStr

from crosspost.platforms.errors import AuthError, Transient
from crosspost.platforms.x_auth import (
    OAuth1Signer,
    TokenPair,
    XAuth,
    fingerprint,
    load_tokens,
    save_tokens,
)
from crosspost.settings import XSettings

CONSUMER = ("consumer-key-ms01", "consumer-secret-ms01")
TOKEN = ("access-token-ms01", "access-token-secret-ms01")
REFRESH = "refresh-token-original-0001"
CLOCK = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


def _oauth2(tmp_path: Path, **extra: object) -> XSettings:
    values: dict[str, object] = {
        "client_id": "client-id-ms",
        "oauth2_access_token": SecretStr("access-token-old-0001"),
        "oauth2_refresh_token": SecretStr(REFRESH),
        "token_file": tmp_path / "state" / "x-tokens.json",
    }
    return XSettings(**(values | extra))


def _rfc5849_signature(request: httpx.Request, header: dict[str, str]) -> str:
    """Recompute HMAC-SHA1 by RFC 5849 §3.4 independently of authlib."""

    def enc(value: str) -> str:
        return quote(value, safe="~")

    url = urlsplit(str(request.url))
    params = [
        (k, v) for k, v in header.items() if k not in ("oauth_signature", "realm")
    ]
    params += parse_qsl(url.query, keep_blank_values=True)
    normal = "&".join(
        f"{enc(k)}={enc(v)}" for k, v in sorted((enc(k), enc(v)) for k, v in params)
    )
    base = "&".join(
        [request.method, enc(f"{url.scheme}://{url.netloc}{url.path}"), enc(normal)]
    )
    key = f"{enc(CONSUMER[1])}&{enc(TOKEN[1])}"
    digest = hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _oauth_header(request: httpx.Request) -> dict[str, str]:
    value = request.headers["Authorization"]
    assert value.startswith("OAuth ")
    pairs = (item.strip().split("=", 1) for item in value[6:].split(","))
    return {key: unquote(raw.strip('"')) for key, raw in pairs}


def _sign(request: httpx.Request) -> httpx.Request:
    flow = OAuth1Signer(CONSUMER, TOKEN).auth_flow(request)
    return next(flow)


def test_oauth1_signature_verifies_and_json_body_is_untouched() -> None:
    """The HMAC-SHA1 signature matches RFC 5849 and the JSON body is sent as built."""
    body = {"text": "MS relapse rates fell in the new cohort study."}
    request = _sign(httpx.Request("POST", "https://api.x.com/2/tweets", json=body))
    header = _oauth_header(request)
    assert header["oauth_signature_method"] == "HMAC-SHA1"
    assert header["oauth_consumer_key"] == CONSUMER[0]
    assert header["oauth_token"] == TOKEN[0]
    assert "oauth_body_hash" not in header
    assert header["oauth_signature"] == _rfc5849_signature(request, header)
    assert json.loads(request.content) == body


def test_oauth1_signature_covers_the_query() -> None:
    """Query parameters are part of the signed base string."""
    request = _sign(httpx.Request("GET", "https://api.x.com/2/users/me?user.fields=id"))
    header = _oauth_header(request)
    assert header["oauth_signature"] == _rfc5849_signature(request, header)
    tampered = httpx.Request("GET", "https://api.x.com/2/users/me?user.fields=name")
    assert header["oauth_signature"] != _rfc5849_signature(tampered, header)


def test_oauth1_multipart_body_is_kept() -> None:
    """A multipart upload keeps its bytes after signing."""
    request = httpx.Request(
        "POST",
        "https://api.x.com/2/media/upload",
        files={"media": ("card.png", b"\x89PNG-card", "image/png")},
        data={"media_category": "tweet_image"},
    )
    request.read()
    signed = _sign(request)
    assert b"\x89PNG-card" in signed.content
    assert b"tweet_image" in signed.content


def test_save_tokens_mode_0600_and_atomic(tmp_path: Path) -> None:
    """The token file is created with mode 0600 and no temp file is left behind."""
    path = tmp_path / "var" / "tokens.json"
    save_tokens(path, TokenPair("a-token-1", "r-token-1", CLOCK, "seed1"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["tokens.json"]
    assert load_tokens(path) == TokenPair("a-token-1", "r-token-1", CLOCK, "seed1")


def test_save_tokens_replaces_existing_file(tmp_path: Path) -> None:
    """A second save replaces the pair and keeps mode 0600."""
    path = tmp_path / "tokens.json"
    save_tokens(path, TokenPair("a-token-1", "r-token-1"))
    save_tokens(path, TokenPair("a-token-2", "r-token-2"))
    assert load_tokens(path) == TokenPair("a-token-2", "r-token-2")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_load_tokens_missing_and_corrupt(tmp_path: Path) -> None:
    """No file means no pair; an unreadable file is an AuthError naming it."""
    path = tmp_path / "tokens.json"
    assert load_tokens(path) is None
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(AuthError, match=r"tokens\.json"):
        load_tokens(path)


@pytest.mark.anyio
async def test_oauth1_request_options_use_the_signer() -> None:
    """With all four OAuth 1.0a keys, requests are signed, not bearer-authorised."""
    config = XSettings(
        consumer_key=SecretStr(CONSUMER[0]),
        consumer_secret=SecretStr(CONSUMER[1]),
        access_token=SecretStr(TOKEN[0]),
        access_token_secret=SecretStr(TOKEN[1]),
    )
    async with httpx.AsyncClient() as client:
        auth = XAuth(config, client)
        options = await auth.request_options()
    assert isinstance(options["auth"], OAuth1Signer)
    assert not auth.refreshable
    assert auth.bearer() is None


@pytest.mark.anyio
async def test_no_credentials_names_the_variables(tmp_path: Path) -> None:
    """With no credentials at all, the AuthError names the CROSSPOST_X__ variables."""
    config = XSettings(token_file=tmp_path / "none.json")
    async with httpx.AsyncClient() as client:
        with pytest.raises(AuthError, match="CROSSPOST_X__CLIENT_ID"):
            await XAuth(config, client).request_options()


@pytest.mark.anyio
async def test_refresh_public_client_sends_client_id_in_body(tmp_path: Path) -> None:
    """Without a client secret the refresh form carries client_id and no Basic auth."""
    seen: list[httpx.Request] = []

    def app(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={
                "access_token": "access-new-0002",
                "refresh_token": "refresh-new-0002",
                "expires_in": 7200,
                "token_type": "bearer",
            },
        )

    config = _oauth2(tmp_path)
    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as client:
        auth = XAuth(config, client, now=lambda: CLOCK)
        await auth.refresh()
    (request,) = seen
    assert request.method == "POST"
    assert str(request.url) == "https://api.x.com/2/oauth2/token"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert dict(parse_qsl(request.content.decode())) == {
        "grant_type": "refresh_token",
        "refresh_token": REFRESH,
        "client_id": "client-id-ms",
    }
    assert "Authorization" not in request.headers
    stored = load_tokens(config.token_file)
    assert stored is not None
    assert (stored.access_token, stored.refresh_token) == (
        "access-new-0002",
        "refresh-new-0002",
    )
    assert stored.expires_at == datetime(2026, 9, 1, 14, 0, tzinfo=UTC)
    assert auth.expires_at == stored.expires_at
    assert stat.S_IMODE(config.token_file.stat().st_mode) == 0o600


@pytest.mark.anyio
async def test_refresh_confidential_client_uses_basic_auth(tmp_path: Path) -> None:
    """With a client secret the refresh uses Basic auth, no client_id in the form."""
    seen: list[httpx.Request] = []

    def app(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={
                "access_token": "access-new-0003",
                "refresh_token": "refresh-new-0003",
            },
        )

    config = _oauth2(tmp_path, client_secret=SecretStr("client-secret-ms"))
    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as client:
        await XAuth(config, client).refresh()
    expected = base64.b64encode(b"client-id-ms:client-secret-ms").decode()
    assert seen[0].headers["Authorization"] == f"Basic {expected}"
    assert "client_id" not in dict(parse_qsl(seen[0].content.decode()))


@pytest.mark.anyio
async def test_rotation_uses_each_new_refresh_token_once(tmp_path: Path) -> None:
    """Each refresh sends the refresh token the previous one returned."""
    sent: list[str] = []

    def app(request: httpx.Request) -> httpx.Response:
        token = dict(parse_qsl(request.content.decode()))["refresh_token"]
        sent.append(token)
        n = len(sent)
        return httpx.Response(
            200,
            json={
                "access_token": f"access-gen-{n:04}",
                "refresh_token": f"refresh-gen-{n:04}",
            },
        )

    config = _oauth2(tmp_path)
    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as client:
        auth = XAuth(config, client)
        await auth.refresh()
        await auth.refresh()
        options = await auth.request_options()
    assert sent == [REFRESH, "refresh-gen-0001"]
    assert options["headers"]["Authorization"] == "Bearer access-gen-0002"


@pytest.mark.anyio
async def test_concurrent_refreshes_of_one_token_send_one_request(
    tmp_path: Path,
) -> None:
    """Two callers refused with the same token refresh once, not twice."""
    calls: list[httpx.Request] = []

    async def app(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        await asyncio.sleep(0)
        return httpx.Response(
            200,
            json={
                "access_token": "access-new-0004",
                "refresh_token": "refresh-new-0004",
            },
        )

    config = _oauth2(tmp_path)
    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as client:
        auth = XAuth(config, client)
        await auth.request_options()
        failed = auth.bearer()
        await asyncio.gather(auth.refresh(failed), auth.refresh(failed))
    assert len(calls) == 1
    assert auth.bearer() == "access-new-0004"


@pytest.mark.anyio
async def test_stored_pair_wins_over_configured_tokens(tmp_path: Path) -> None:
    """A rotated pair on disk from the configured token is used, not the stale one."""
    config = _oauth2(tmp_path)
    save_tokens(
        config.token_file,
        TokenPair("access-stored-01", "refresh-stored-01", seed=fingerprint(REFRESH)),
    )
    async with httpx.AsyncClient() as client:
        options = await XAuth(config, client).request_options()
    assert options["headers"]["Authorization"] == "Bearer access-stored-01"


@pytest.mark.anyio
async def test_newly_configured_refresh_token_wins_over_stored_chain(
    tmp_path: Path,
) -> None:
    """After re-authorising, a newly configured refresh token replaces the chain."""
    config = _oauth2(tmp_path, oauth2_access_token=SecretStr("access-fresh-01"))
    save_tokens(
        config.token_file,
        TokenPair(
            "access-stored-02",
            "refresh-stored-02",
            seed=fingerprint("an-older-refresh-token"),
        ),
    )
    async with httpx.AsyncClient() as client:
        options = await XAuth(config, client).request_options()
    assert options["headers"]["Authorization"] == "Bearer access-fresh-01"


@pytest.mark.anyio
async def test_missing_access_token_is_refreshed_before_first_use(
    tmp_path: Path,
) -> None:
    """With only a refresh token configured, the first request refreshes first."""

    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            json={
                "access_token": "access-first-01",
                "refresh_token": "refresh-first-01",
            },
        )

    config = _oauth2(tmp_path, oauth2_access_token=None)
    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as client:
        options = await XAuth(config, client).request_options()
    assert options["headers"]["Authorization"] == "Bearer access-first-01"
    assert config.token_file.exists()


@pytest.mark.anyio
async def test_refused_refresh_is_auth_error_without_secrets(tmp_path: Path) -> None:
    """A 400 from the token endpoint is an AuthError with a hint and no secret in it."""

    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            400,
            json={
                "error": "invalid_request",
                "error_description": f"bad token {REFRESH}",
            },
        )

    config = _oauth2(tmp_path)
    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as client:
        with pytest.raises(AuthError) as caught:
            await XAuth(config, client).refresh()
    assert "authorise again" in str(caught.value)
    for secret in (REFRESH, "access-token-old-0001"):
        assert secret not in str(caught.value)
    assert not config.token_file.exists()


@pytest.mark.anyio
async def test_refresh_without_answer_is_transient(tmp_path: Path) -> None:
    """A refresh that times out after sending is Transient: no post was sent."""

    def app(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as client:
        with pytest.raises(Transient, match="nothing was posted"):
            await XAuth(_oauth2(tmp_path), client).refresh()


@pytest.mark.anyio
async def test_refresh_answer_without_access_token_is_auth_error(
    tmp_path: Path,
) -> None:
    """A 200 that carries no access token is an AuthError, and nothing is stored."""

    def app(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html>maintenance</html>")

    config = _oauth2(tmp_path)
    async with httpx.AsyncClient(transport=httpx.MockTransport(app)) as client:
        with pytest.raises(AuthError, match="without an access token"):
            await XAuth(config, client).refresh()
    assert not config.token_file.exists()


def test_refresh_refused_client_credentials_names_the_client_settings() -> None:
    """A 401 from the token endpoint blames the client credentials, not the token."""
    from crosspost.platforms.x_auth import _classify_refresh

    request = httpx.Request("POST", "https://api.x.com/2/oauth2/token")
    error = _classify_refresh(httpx.Response(401, json={}, request=request))
    assert error is not None
    assert "client credentials" in error.message
    used = _classify_refresh(httpx.Response(400, json={}, request=request))
    assert used is not None
    assert "already used or revoked" in used.message

"""Calls to one Graph API account, shared by the Facebook and Instagram adapters:
versioned URLs, the token kept out of URLs, writes held back at a usage limit."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any

import httpx
from pydantic import SecretStr

from crosspost.platforms.errors import AuthError, PublishError
from crosspost.platforms.graph_errors import (
    GraphError,
    classify,
    graph_error,
    json_body,
)
from crosspost.platforms.graph_usage import UsageGate
from crosspost.platforms.http import Classifier, RetryPolicy, call

SpecialCase = Callable[[GraphError, httpx.Response], PublishError | None]


class GraphSession:
    """Calls to one Graph account: versioned URLs, no token in URLs, usage gating."""

    def __init__(
        self,
        *,
        platform: str,
        base_url: str,
        api_version: str,
        token: SecretStr | None,
        token_setting: str,
        client: httpx.AsyncClient,
        policy: RetryPolicy,
        sleep: Callable[[float], object] = asyncio.sleep,
    ) -> None:
        self.platform = platform
        self.root = f"{base_url.rstrip('/')}/{api_version.strip('/')}"
        self.token = token.get_secret_value() if token is not None else ""
        self.token_setting = token_setting
        self.client = client
        self.policy = policy
        self.sleep = sleep
        self.gate = UsageGate(platform)

    def require_token(self) -> None:
        if not self.token:
            raise AuthError(
                f"{self.platform}: no access token is set; set {self.token_setting} "
                "in the environment or .env",
                platform=self.platform,
            )

    def _classifier(self, special: SpecialCase | None = None) -> Classifier:
        def classify_answer(response: httpx.Response) -> PublishError | None:
            error = graph_error(response) if special is not None else None
            if special is not None and error is not None:
                self.gate.observe(response)
                found = special(error, response)
                if found is not None:
                    return found
            return classify(
                response,
                platform=self.platform,
                token_setting=self.token_setting,
                gate=self.gate,
            )

        return classify_answer

    async def get(
        self, path: str, params: Mapping[str, str], *, policy: RetryPolicy | None = None
    ) -> dict[str, Any]:
        """GET a node or edge; the token travels in the Authorization header."""
        self.require_token()
        response = await call(
            self.client,
            "GET",
            f"{self.root}/{path}",
            platform=self.platform,
            classify=self._classifier(),
            policy=policy or self.policy,
            secrets=(self.token,),
            sleep=self.sleep,
            params=dict(params),
            headers={"Authorization": f"Bearer {self.token}"},
        )
        return json_body(response) or {}

    async def post(
        self,
        path: str,
        data: Mapping[str, str],
        *,
        files: Mapping[str, tuple[str, bytes, str]] | None = None,
        special: SpecialCase | None = None,
    ) -> dict[str, Any]:
        """POST a form (multipart with `files`); refused unsent at a usage limit.

        `special` may claim a Graph error before the shared rules classify it."""
        self.require_token()
        self.gate.check()
        response = await call(
            self.client,
            "POST",
            f"{self.root}/{path}",
            platform=self.platform,
            classify=self._classifier(special),
            policy=self.policy,
            secrets=(self.token,),
            sleep=self.sleep,
            data={**data, "access_token": self.token},
            files=dict(files) if files else None,
        )
        return json_body(response) or {}

"""Who hears a Notice: nobody, a list (tests, dry runs), or every Apprise URL in the
settings. Apprise is imported only when a real notifier is built."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from crosspost.errors import ConfigError
from crosspost.notify.notice import Notice
from crosspost.notify.urls import secret_parts, shown
from crosspost.redaction import redact

if TYPE_CHECKING:
    from crosspost.settings import Settings

log = logging.getLogger(__name__)

# Apprise's notify types, by what happened.
NOTIFY_TYPES = {
    "handoff": "info",
    "failed": "failure",
    "unknown": "warning",
    "missed": "failure",
    "credentials": "warning",
    "test": "info",
}
# What Apprise and requests may log a URL, a path or a query through.
THIRD_PARTY_LOGGERS = ("apprise", "urllib3.connectionpool", "urllib3.util.retry")


class Notifier(Protocol):
    async def send(self, notice: Notice) -> bool:
        """Deliver `notice`; True when every configured URL took it.

        Never raises for a delivery failure: it is logged (redacted) instead.
        """
        ...


@dataclass(frozen=True)
class Delivery:
    """One URL's outcome, named safely (`#1 json://host:8765/…`)."""

    url: str
    delivered: bool


class NoNotifier:
    """No notification URL is set: nobody is told, and nothing fails."""

    async def send(self, notice: Notice) -> bool:
        log.debug("no notify.urls set; not sent: %s", notice.title)
        return False


@dataclass
class RecordingNotifier:
    """Keeps every notice in `notices` (tests, dry runs); `delivered` is its answer."""

    notices: list[Notice] = field(default_factory=list)
    delivered: bool = True

    async def send(self, notice: Notice) -> bool:
        self.notices.append(notice)
        return self.delivered


class AppriseNotifier:
    """Sends each notice to every URL through Apprise, in worker threads so the event
    loop never waits, each bounded by `timeout` seconds."""

    def __init__(
        self, urls: Sequence[str], *, timeout: float, secrets: Sequence[str] = ()
    ) -> None:
        """`urls` resolved; `secrets` the values filled into them (and any other)."""
        import apprise

        self.timeout = timeout
        self._secrets = [*secrets, *(p for url in urls for p in secret_parts(url, []))]
        scrub_third_party_logs(self._secrets)
        asset = apprise.AppriseAsset(
            app_id="crosspost",
            app_desc="crosspost: research summaries to social posts",
            storage_mode="memory",
        )
        self._targets: list[tuple[str, Any]] = []
        for number, url in enumerate(urls, 1):
            name = shown(url, number)
            target = apprise.Apprise(asset=asset)
            if not target.add(url):
                raise ConfigError(
                    f"notify.urls {name} is not a URL Apprise can use",
                    hint="check it against the service's page in Apprise's "
                    "documentation (https://appriseit.com/services/)",
                )
            for service in target:
                # Apprise's own socket limits, so a worker thread ends soon too.
                service.socket_connect_timeout = min(
                    service.socket_connect_timeout, timeout
                )
                service.socket_read_timeout = min(service.socket_read_timeout, timeout)
            self._targets.append((name, target))

    @property
    def names(self) -> list[str]:
        """The URLs as shown in messages (never a token)."""
        return [name for name, _ in self._targets]

    async def send(self, notice: Notice) -> bool:
        deliveries = await self.deliver(notice)
        return all(delivery.delivered for delivery in deliveries)

    async def deliver(self, notice: Notice) -> list[Delivery]:
        """Send `notice` to every URL at once; each URL's outcome, in order."""
        results = await asyncio.gather(
            *(self._deliver_one(name, target, notice) for name, target in self._targets)
        )
        return list(results)

    async def _deliver_one(self, name: str, target: Any, notice: Notice) -> Delivery:
        attach = [str(path) for path in notice.attachments if path.is_file()]
        try:
            delivered = await asyncio.wait_for(
                asyncio.to_thread(
                    target.notify,
                    body=notice.body,
                    title=notice.title,
                    notify_type=NOTIFY_TYPES[notice.kind],
                    body_format="text",
                    attach=attach or None,
                ),
                # Apprise's sockets time out by themselves; this bounds the rest.
                timeout=2 * self.timeout + 1,
            )
        except TimeoutError:
            log.warning(
                "notification %s gave no answer in time: %s", name, notice.title
            )
            return Delivery(name, False)
        except Exception as exc:  # a plugin's bug must not stop a publish
            reason = redact(f"{type(exc).__name__}: {exc}", self._secrets)
            log.warning("notification %s failed (%s): %s", name, reason, notice.title)
            return Delivery(name, False)
        if not delivered:
            log.warning("notification %s was not delivered: %s", name, notice.title)
        return Delivery(name, bool(delivered))


def notifier_from(settings: Settings) -> Notifier:
    """The notifier the settings ask for: Apprise when notify.urls is set, else none.

    A URL whose `${NAME}` is unset, or that Apprise cannot use, is a ConfigError.
    """
    if not settings.notify.urls:
        return NoNotifier()
    urls = [url.get_secret_value() for url in settings.notify.resolved_urls()]
    return AppriseNotifier(
        urls, timeout=settings.notify.timeout, secrets=settings.notify.secrets()
    )


class _Scrubber(logging.Filter):
    """Removes known secrets from records of loggers that are not ours."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            cleaned = redact(message, sorted(self.secrets, key=len, reverse=True))
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return True


# Logging is process-wide, so is this filter: one, holding every notifier's secrets.
_SCRUBBER = _Scrubber()


def scrub_third_party_logs(secrets: Sequence[str]) -> None:
    """Make Apprise's and requests' log records lose `secrets` (URLs with tokens in
    their path or query), wherever those records are handled."""
    _SCRUBBER.secrets.update(secret for secret in secrets if secret)
    for name in THIRD_PARTY_LOGGERS:
        logger = logging.getLogger(name)
        if _SCRUBBER not in logger.filters:
            logger.addFilter(_SCRUBBER)

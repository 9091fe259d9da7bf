"""Settings: one typed object from `config/crosspost.toml`, `.env` and `CROSSPOST_*`
variables.

Precedence, highest first: values passed in code (the CLI's options), environment
variables, the `.env` file, the TOML file, then the defaults below. Secrets are accepted
only from the environment or `.env`; a secret written into the TOML file is refused, so
it never lands in git. An unknown key anywhere is refused with the nearest known one
(`settings_keys`); relative paths in the file are read from its folder
(`settings_paths`).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from difflib import get_close_matches
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dotenv import dotenv_values
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from crosspost import settings_keys
from crosspost.errors import ConfigError
from crosspost.notify.urls import fill, literal_credential, placeholders, secret_parts
from crosspost.settings_keys import (
    known_keys,
    line_of,
    nearest,
    section,
    unknown_in_file,
    unknown_in_variables,
    variable,
)
from crosspost.settings_paths import (
    anchor_file_values,
    anchored_defaults,
    project_folder,
)
from crosspost.settings_schedule import ScheduleSettings

DEFAULT_CONFIG = Path("config/crosspost.toml")
ENV_PREFIX = settings_keys.ENV_PREFIX


def _zone_name(value: str) -> str:
    """An IANA time zone name, checked against the zone database."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        names = {name.lower(): name for name in available_timezones()}
        close = get_close_matches(value.lower(), list(names), n=1, cutoff=0.6)
        hint = f" — did you mean {names[close[0]]!r}?" if close else ""
        raise ValueError(
            f"unknown time zone {value!r}{hint} (an IANA name such as "
            "'Europe/London' or 'America/New_York')"
        ) from None
    return value


def _database_url(value: str) -> str:
    """A SQLAlchemy URL (`dialect[+driver]://...`) whose port, if any, is a number."""
    if not value:
        return value
    if not re.match(r"[A-Za-z][\w+.-]*://", value):
        raise ValueError(
            "not a database URL: write dialect[+driver]://..., e.g. "
            "sqlite:///var/ledger.db or postgresql+psycopg://user@host/crosspost"
        )
    try:
        _ = urlsplit(value).port  # reading the port is what checks it
    except ValueError:
        host = value.partition("://")[2].partition("/")[0].rpartition("@")[2]
        raise ValueError(
            f"the host and port {host!r} are not host:port with a port from "
            "0 to 65535, e.g. db.example.org:5432"
        ) from None
    return value


def _web_url(value: str) -> str:
    """An http(s) URL with a host and, if it names one, a port from 1 to 65535 (an
    empty value means "not set")."""
    if not value:
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not a web address: write http(s)://host[:port][/path]")
    try:
        port = parts.port  # reading the port is what checks it
    except ValueError:
        port = 0
    if port == 0:
        host = parts.netloc.rpartition("@")[2]
        raise ValueError(
            f"the host and port {host!r} are not host:port with a port from 1 to "
            "65535, e.g. api.example.org:8443"
        )
    return value


ZoneName = Annotated[str, AfterValidator(_zone_name)]
DatabaseUrl = Annotated[str, AfterValidator(_database_url)]
WebUrl = Annotated[str, AfterValidator(_web_url)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class XSettings(_Section):
    enabled: bool = True
    base_url: WebUrl = "https://api.x.com"
    username: str = ""
    # OAuth 1.0a user context (tokens do not expire)
    consumer_key: SecretStr | None = None
    consumer_secret: SecretStr | None = None
    access_token: SecretStr | None = None
    access_token_secret: SecretStr | None = None
    # OAuth 2.0 user context; the rotating pair lives in `token_file` once first used
    client_id: str = ""
    client_secret: SecretStr | None = None
    oauth2_access_token: SecretStr | None = None
    oauth2_refresh_token: SecretStr | None = None
    token_file: Path = Path("var/x-oauth2-tokens.json")


class FacebookSettings(_Section):
    enabled: bool = True
    base_url: WebUrl = "https://graph.facebook.com"
    api_version: str = "v25.0"
    page_id: str = ""
    page_access_token: SecretStr | None = None


class InstagramSettings(_Section):
    enabled: bool = True
    base_url: WebUrl = "https://graph.facebook.com"
    api_version: str = "v25.0"
    user_id: str = ""
    access_token: SecretStr | None = None
    card_dir: Path = Path("var/public-cards")
    card_base_url: WebUrl = ""
    poll_interval: float = Field(default=2.0, gt=0)
    poll_timeout: float = Field(default=300.0, gt=0)


class LinkedInSettings(_Section):
    enabled: bool = True
    base_url: WebUrl = "https://api.linkedin.com"
    version: str = "202605"
    organization_id: str = ""
    access_token: SecretStr | None = None

    @field_validator("version")
    @classmethod
    def _yyyymm(cls, value: str) -> str:
        # Monthly versions, and their revisions (202605.01).
        if not re.fullmatch(r"\d{6}(\.\d{2})?", value):
            raise ValueError(
                "must be a LinkedIn-Version in the form YYYYMM or YYYYMM.RR, "
                "e.g. 202605"
            )
        return value


class YouTubeSettings(_Section):
    enabled: bool = True
    channel_id: str = ""
    handoff_dir: Path = Path("var/handoff")


class UtmSettings(_Section):
    enabled: bool = True
    medium: str = "social"
    campaign: str = "{summary_id}"


class BrandingSettings(_Section):
    organisation: str = "Example MS Research"
    background: str = "#16324f"
    foreground: str = "#ffffff"
    accent: str = "#f2a541"
    font: Path | None = None
    logo: Path | None = None


class TeaserSettings(_Section):
    hashtags: list[str] = Field(default_factory=lambda: ["MSResearch"])
    instagram_link_wording: str = "Read the full summary: link in bio."


class NotifySettings(BaseModel):
    """Apprise URLs that tell the team (hand-offs, failed, unknown and missed posts,
    expiring credentials); `${NAME}` in a URL is filled from the environment or .env.
    """

    # Not shown (repr, errors): a list given whole from the environment holds tokens.
    urls: list[str] = Field(default_factory=list, repr=False)
    timeout: float = Field(default=10.0, gt=0)
    _values: Mapping[str, str] | None = PrivateAttr(default=None)

    def bind(self, values: Mapping[str, str]) -> None:
        """Fill placeholders from `values` (read once by load_settings), not from
        the environment at the time of use."""
        self._values = dict(values)

    def resolved_urls(self) -> list[SecretStr]:
        """Each URL with its placeholders filled; an unset variable is a ConfigError."""
        values = os.environ if self._values is None else self._values
        return [
            SecretStr(fill(url, values, where=f"notify.urls #{number}")[0])
            for number, url in enumerate(self.urls, 1)
        ]

    def secrets(self) -> list[str]:
        """The secret parts of every URL that resolves, for redaction."""
        values = os.environ if self._values is None else self._values
        found: list[str] = []
        for url in self.urls:
            try:
                found += secret_parts(*fill(url, values, where=""))
            except ConfigError:
                continue
        return found


class Settings(BaseSettings):
    """Everything crosspost reads from outside.

    Built once at the CLI edge and passed down.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        # Other variables in .env (the values of notify.urls' ${NAME}) are not ours.
        dotenv_filtering="match_prefix",
        extra="forbid",
        toml_file=DEFAULT_CONFIG,
    )

    templates_dir: Path = Path("templates")
    state_dir: Path = Path("var")
    ledger_url: DatabaseUrl = ""
    dry_run_ledger_url: DatabaseUrl = ""
    # Seconds a ledger call waits for a locked database before it fails.
    ledger_timeout: float = Field(default=10.0, gt=0)
    timezone: ZoneName = "Europe/London"
    http_timeout: float = Field(default=20.0, gt=0)
    teasers: TeaserSettings = Field(default_factory=TeaserSettings)
    utm: UtmSettings = Field(default_factory=UtmSettings)
    branding: BrandingSettings = Field(default_factory=BrandingSettings)
    x: XSettings = Field(default_factory=XSettings)
    facebook: FacebookSettings = Field(default_factory=FacebookSettings)
    instagram: InstagramSettings = Field(default_factory=InstagramSettings)
    linkedin: LinkedInSettings = Field(default_factory=LinkedInSettings)
    youtube: YouTubeSettings = Field(default_factory=YouTubeSettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)

    def secrets(self) -> list[str]:
        """Every secret value held (tokens, notification URLs and their parts), so
        messages, logs and the ledger can be scrubbed of them."""
        return [*_secret_values(self), *self.notify.secrets()]

    def ledger(self, *, dry_run: bool) -> str:
        """The ledger's SQLAlchemy URL; dry runs keep a ledger of their own."""
        if dry_run:
            return (
                self.dry_run_ledger_url
                or f"sqlite:///{self.state_dir}/dry-run-ledger.db"
            )
        return self.ledger_url or f"sqlite:///{self.state_dir}/ledger.db"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = _SecretFreeToml(settings_cls)
        sources: list[PydanticBaseSettingsSource] = [
            init_settings,
            env_settings,
            _KnownDotEnv(settings_cls),
            toml,
        ]
        config = Path(str(toml.toml_file_path))
        if config.is_file():
            sources.append(_ProjectDefaults(settings_cls, project_folder(config)))
        return tuple(sources)


class _KnownDotEnv(DotEnvSettingsSource):
    """`.env`, sharing the file with other tools: lines not naming a setting are left
    alone here (a misspelt CROSSPOST_* one was refused before loading)."""

    def __call__(self) -> dict[str, Any]:
        fields = self.settings_cls.model_fields
        return {k: v for k, v in super().__call__().items() if k in fields}


class _ProjectDefaults(PydanticBaseSettingsSource):
    """The lowest step: default paths read from the project folder, not the current
    one (see settings_paths)."""

    def __init__(self, settings_cls: type[BaseSettings], folder: Path) -> None:
        super().__init__(settings_cls)
        self.folder = folder

    def get_field_value(
        self, field: FieldInfo, field_name: str
    ) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        return anchored_defaults(self.settings_cls, self.folder)


class _SecretFreeToml(TomlConfigSettingsSource):
    """The TOML source, refusing secrets (they belong in the environment or `.env`)."""

    def __call__(self) -> dict[str, Any]:
        data = super().__call__()
        for key in _secret_keys(Settings, data):
            raise ConfigError(
                f"{self.toml_file_path}: '{key}' is a secret and is not read "
                "from the config file",
                hint="remove it there and set "
                f"{ENV_PREFIX}{key.upper().replace('.', '__')} "
                "in the environment or .env",
            )
        for key in ("ledger_url", "dry_run_ledger_url"):
            if urlsplit(str(data.get(key, ""))).password:
                raise ConfigError(
                    f"{self.toml_file_path}: '{key}' holds a database password, "
                    "which is not read from the config file",
                    hint=f"set the whole URL as {ENV_PREFIX}{key.upper()} "
                    "in the environment or .env",
                )
        notify = data.get("notify")
        urls = notify.get("urls") if isinstance(notify, dict) else None
        for number, url in enumerate(urls if isinstance(urls, list) else [], 1):
            found = literal_credential(str(url))
            if found:
                raise ConfigError(
                    f"{self.toml_file_path}: notify.urls #{number} holds {found}, "
                    "which is not read from the config file",
                    hint="write ${NAME} in its place (slack://${SLACK_TOKENS}) and set "
                    "NAME in the environment or .env, or give the whole list as "
                    f"{ENV_PREFIX}NOTIFY__URLS='[\"...\"]'",
                )
        folder = Path(str(self.toml_file_path)).resolve().parent
        return anchor_file_values(data, Settings, folder)


def _secret_keys(
    model: type[BaseModel], data: dict[str, Any], prefix: str = ""
) -> list[str]:
    found: list[str] = []
    for name, value in data.items():
        field = model.model_fields.get(name)
        if field is None:
            continue
        annotation = field.annotation
        if (
            isinstance(value, dict)
            and isinstance(annotation, type)
            and issubclass(annotation, BaseModel)
        ):
            found += _secret_keys(annotation, value, f"{prefix}{name}.")
        elif "SecretStr" in str(annotation):
            found.append(prefix + name)
    return found


def _secret_values(model: BaseModel) -> Iterator[str]:
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, SecretStr):
            yield value.get_secret_value()
        elif isinstance(value, BaseModel):
            yield from _secret_values(value)


def load_settings(
    config: Path | None = None,
    *,
    env_file: Path | None = Path(".env"),
    **overrides: Any,
) -> Settings:
    """Build Settings from `config` (default `config/crosspost.toml`), `.env`, the
    environment and `overrides`; a bad value or an unknown key becomes a ConfigError
    naming the key, where it was written and what is allowed."""
    path = config or DEFAULT_CONFIG
    if config is not None and not path.is_file():
        raise ConfigError(
            f"config file {path} does not exist", hint="check the --config path"
        )
    text = ""
    try:
        if path.is_file():
            text = path.read_bytes().decode("utf-8")
            data = tomllib.loads(text)
            _refuse_unknown(unknown_in_file(data, Settings, text, str(path)))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror}") from None
    _refuse_unknown(unknown_in_variables(os.environ, Settings, "the environment"))
    if env_file is not None and env_file.is_file():
        _refuse_unknown(
            unknown_in_variables(dotenv_values(env_file), Settings, str(env_file))
        )

    class _Bound(Settings):
        model_config = SettingsConfigDict(toml_file=path, env_file=env_file)

    try:
        settings = _Bound(**overrides)
    except ValidationError as exc:
        raise _config_error(exc, path, text) from None
    except SettingsError as exc:
        # A complex setting (a list or section) given as a variable that is not JSON.
        raise ConfigError(
            f"invalid settings: {exc}",
            hint="a list or section given as a variable must be JSON, e.g. "
            f"{ENV_PREFIX}TEASERS__HASHTAGS='[\"MSResearch\"]'",
        ) from None
    wanted = {name for url in settings.notify.urls for name in placeholders(url)}
    found = wanted and env_file is not None and env_file.is_file()
    dotenv = dotenv_values(env_file) if found else {}
    settings.notify.bind(
        {name: os.environ.get(name) or dotenv.get(name) or "" for name in wanted}
    )
    return settings


def _refuse_unknown(lines: list[str]) -> None:
    if lines:
        raise ConfigError(
            "invalid settings:\n  " + "\n  ".join(lines),
            hint="fix the spelling; config/crosspost.toml lists every setting",
        )


def _config_error(exc: ValidationError, path: Path, text: str) -> ConfigError:
    known = known_keys(Settings)
    lines = []
    for error in exc.errors():
        # A list entry is named by its list: schedule.slots.x, not schedule.slots.x.0.
        loc = tuple(str(part) for part in error["loc"] if not isinstance(part, int))
        key = ".".join(loc)
        where = str(path)
        number = line_of(text, key)
        if number is not None:
            where += f" line {number}"
        if error["type"] == "extra_forbidden":
            match = nearest(key, known)
            suggestion = f" — did you mean {match!r}?" if match else ""
            lines.append(f"unknown setting {key!r}{suggestion}")
        else:
            message = error["msg"].removeprefix("Value error, ")
            lines.append(f"setting {key!r}: {message} ({_shown(loc, error)})")
        lines[-1] += f" [from {where}, {variable(_setting_of(loc))} or .env]"
    return ConfigError(
        "invalid settings:\n  " + "\n  ".join(lines),
        hint="see config/crosspost.toml for every setting and its allowed values",
    )


def _setting_of(loc: tuple[str, ...]) -> str:
    """The dotted key of the setting `loc` lies in (its variable is that setting's)."""
    model: type[BaseModel] = Settings
    for index, part in enumerate(loc):
        field = model.model_fields.get(part)
        inner = section(field.annotation) if field is not None else None
        if inner is None:
            return ".".join(loc[: index + 1])
        model = inner
    return ".".join(loc)


def _shown(loc: tuple[str, ...], error: Any) -> str:
    """How an invalid value is shown: never a secret, a ledger URL without its
    password."""
    value = error.get("input")
    if _hides_input(loc):
        return "its value is not shown"
    if loc[:1] in (("ledger_url",), ("dry_run_ledger_url",)) and isinstance(value, str):
        # Everything between :// and the last @ may be a password.
        scheme, separator, rest = value.partition("://")
        if "@" in rest:
            value = f"{scheme}{separator}***@{rest.rpartition('@')[2]}"
    return f"got {value!r}"


def _hides_input(loc: tuple[str, ...]) -> bool:
    """Whether an invalid value at `loc` may hold a secret: a secret itself, or a whole
    section (which holds its secrets)."""
    model: type[BaseModel] = Settings
    for part in loc:
        field = model.model_fields.get(part)
        if field is None:
            return False
        inner = section(field.annotation)
        if inner is not None:
            model = inner
            continue
        # A field not shown in repr (notify.urls) holds secrets too.
        return "SecretStr" in str(field.annotation) or not field.repr
    return True

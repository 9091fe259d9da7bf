"""The [schedule] section: defaults, each setting's checks, and the environment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crosspost.errors import ConfigError
from crosspost.settings import load_settings
from crosspost.settings_schedule import DEFAULT_SLOTS, ScheduleSettings
from crosspost.teasers.model import PLATFORMS


def _toml(folder: Path, text: str) -> Path:
    path = folder / "crosspost.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _refusal(path: Path | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    return str(caught.value)


def test_defaults_cover_every_platform(isolated: Path) -> None:
    """Without a [schedule] section every platform has slots, variants and a cap."""
    schedule = load_settings().schedule
    assert set(schedule.slots) == set(PLATFORMS)
    assert all(schedule.slots[p] for p in PLATFORMS)
    assert schedule.variants == {p: ["announce", "finding", "recap"] for p in PLATFORMS}
    assert (schedule.gap_days, schedule.recap, schedule.approval) == (2, True, False)
    assert schedule.cap("x") == 2
    assert schedule.grace == dt.timedelta(hours=1)
    assert (schedule.poll, schedule.tick, schedule.horizon_days) == (
        "*/15 * * * *",
        60.0,
        120,
    )


def test_slots_from_the_file_replace_one_platform_only(isolated: Path) -> None:
    """Slots set for x leave the other platforms on their defaults."""
    path = _toml(isolated, '[schedule.slots]\nx = ["Tue 10:00", "thursday 13:00"]\n')
    slots = load_settings(path).schedule.slots
    assert slots["x"] == ["Tue 10:00", "Thu 13:00"]
    assert slots["linkedin"] == DEFAULT_SLOTS["linkedin"]


def test_slots_from_the_environment_as_json(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CROSSPOST_SCHEDULE__SLOTS takes JSON and wins over the file, per platform."""
    path = _toml(isolated, '[schedule.slots]\nx = ["Mon 09:00"]\n')
    monkeypatch.setenv("CROSSPOST_SCHEDULE__SLOTS", '{"x": ["Tue 10:00"]}')
    assert load_settings(path).schedule.slots["x"] == ["Tue 10:00"]


def test_slots_variable_that_is_not_json_is_a_config_error(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slots variable that is not JSON is a clear error, not a traceback."""
    monkeypatch.setenv("CROSSPOST_SCHEDULE__SLOTS", "x=Tue 10:00")
    assert "must be JSON" in _refusal()


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("Tue 25:00", "'25:00' is not a time"),
        ("Tue 10", "'10' is not a time"),
        ("Tues 10:00", "unknown day 'Tues'"),
        ("10:00", "is not a slot"),
        ("every Tue 10:00", "is not a slot"),
        ("Tue 10:5", "'10:5' is not a time"),
    ],
)
def test_bad_slot_names_the_key_the_entry_and_the_form(
    isolated: Path, entry: str, reason: str
) -> None:
    """A bad slot names schedule.slots.x, the entry and the allowed form."""
    path = _toml(isolated, f'[schedule.slots]\nx = ["Mon 09:00", "{entry}"]\n')
    message = _refusal(path)
    assert "setting 'schedule.slots.x'" in message
    assert repr(entry) in message
    assert reason in message
    assert "'Day HH:MM'" in message
    assert "CROSSPOST_SCHEDULE__SLOTS" in message


def test_slots_for_an_unknown_platform_are_refused(isolated: Path) -> None:
    """A table key that is no platform is refused with the platform names."""
    path = _toml(isolated, '[schedule.slots]\ntwitter = ["Mon 09:00"]\n')
    message = _refusal(path)
    assert "unknown platform 'twitter'" in message
    assert "x, facebook, instagram, linkedin, youtube" in message


def test_platform_with_no_slots_is_allowed_at_load(isolated: Path) -> None:
    """An empty list is a choice (the planner says what to do if it is needed)."""
    path = _toml(isolated, "[schedule.slots]\nyoutube = []\n")
    assert load_settings(path).schedule.slots["youtube"] == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"90m"', dt.timedelta(minutes=90)),
        ('"2h"', dt.timedelta(hours=2)),
        ('"45s"', dt.timedelta(seconds=45)),
        ('"1h30m"', dt.timedelta(minutes=90)),
        ('"1d"', dt.timedelta(days=1)),
        ("30", dt.timedelta(minutes=30)),
        ("7.5", dt.timedelta(minutes=7.5)),
        ('"20"', dt.timedelta(minutes=20)),
    ],
)
def test_grace_durations(isolated: Path, value: str, expected: dt.timedelta) -> None:
    """`grace` reads short durations or a number of minutes, as a timedelta."""
    path = _toml(isolated, f"[schedule]\ngrace = {value}\n")
    assert load_settings(path).schedule.grace == expected


@pytest.mark.parametrize("value", ['"soon"', '"1x"', "0", '"-5"', '""', "1e300"])
def test_bad_grace_is_refused(isolated: Path, value: str) -> None:
    """A grace that is no positive duration names the key and the form."""
    path = _toml(isolated, f"[schedule]\ngrace = {value}\n")
    message = _refusal(path)
    assert "setting 'schedule.grace'" in message
    assert "CROSSPOST_SCHEDULE__GRACE" in message


def test_grace_from_the_environment(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CROSSPOST_SCHEDULE__GRACE=90m is read like the file's."""
    monkeypatch.setenv("CROSSPOST_SCHEDULE__GRACE", "90m")
    assert load_settings().schedule.grace == dt.timedelta(minutes=90)


def test_blackout_dates_and_ranges(isolated: Path) -> None:
    """Quoted dates, TOML dates and inclusive ranges are read."""
    path = _toml(
        isolated, '[schedule]\nblackout = ["2027-12-24..2028-01-02", 2027-04-02]\n'
    )
    schedule = load_settings(path).schedule
    assert schedule.blackout == ["2027-12-24..2028-01-02", "2027-04-02"]
    assert schedule.blackout_ranges() == (
        (dt.date(2027, 12, 24), dt.date(2028, 1, 2)),
        (dt.date(2027, 4, 2), dt.date(2027, 4, 2)),
    )


@pytest.mark.parametrize(
    "entry", ["2027-13-01", "24/12/2027", "2027-12-24..", "2028-01-02..2027-12-24"]
)
def test_bad_blackout_is_refused(isolated: Path, entry: str) -> None:
    """A blackout that is no date or range names the key and the entry."""
    path = _toml(isolated, f'[schedule]\nblackout = ["{entry}"]\n')
    message = _refusal(path)
    assert "setting 'schedule.blackout'" in message
    assert repr(entry) in message


def test_daily_cap_one_number_or_per_platform(isolated: Path) -> None:
    """One number caps every platform; a table caps some, the others keep 2; 0 is no
    cap."""
    assert ScheduleSettings(daily_cap=3).daily_cap == dict.fromkeys(PLATFORMS, 3)  # type: ignore[arg-type]
    path = _toml(isolated, "[schedule]\ndaily_cap = { x = 5, linkedin = 0 }\n")
    schedule = load_settings(path).schedule
    assert (schedule.cap("x"), schedule.cap("linkedin"), schedule.cap("facebook")) == (
        5,
        None,
        2,
    )


def test_daily_cap_from_the_environment(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CROSSPOST_SCHEDULE__DAILY_CAP takes a number or a JSON table."""
    monkeypatch.setenv("CROSSPOST_SCHEDULE__DAILY_CAP", '{"x": 4}')
    assert load_settings().schedule.cap("x") == 4


@pytest.mark.parametrize("value", ["-1", "{ x = -1 }", "{ twitter = 1 }", '"lots"'])
def test_bad_daily_cap_is_refused(isolated: Path, value: str) -> None:
    """A negative cap or an unknown platform is refused, naming the key."""
    path = _toml(isolated, f"[schedule]\ndaily_cap = {value}\n")
    assert "schedule.daily_cap" in _refusal(path)


def test_variants_narrow_one_platform(isolated: Path) -> None:
    """Variants set for one platform leave the others on all three."""
    path = _toml(isolated, '[schedule.variants]\nx = ["thread", "announce"]\n')
    variants = load_settings(path).schedule.variants
    assert variants["x"] == ["thread", "announce"]
    assert variants["facebook"] == ["announce", "finding", "recap"]


def test_thread_is_only_for_x(isolated: Path) -> None:
    """A thread asked of LinkedIn is refused, saying threads are X's."""
    path = _toml(isolated, '[schedule.variants]\nlinkedin = ["thread"]\n')
    message = _refusal(path)
    assert "setting 'schedule.variants'" in message
    assert "linkedin: unknown variant 'thread'" in message
    assert "threads are X's" in message


def test_unknown_variant_is_refused(isolated: Path) -> None:
    """A misspelt variant lists the ones allowed."""
    path = _toml(isolated, '[schedule.variants]\nx = ["finding", "recapp"]\n')
    assert "choose from announce, finding, recap, thread" in _refusal(path)


@pytest.mark.parametrize(
    ("setting", "value"),
    [("gap_days", "-1"), ("tick", "0.5"), ("horizon_days", "0"), ("poll", '"hourly"')],
)
def test_out_of_range_values_are_refused(
    isolated: Path, setting: str, value: str
) -> None:
    """gap_days >= 0, tick >= 1 s, horizon_days >= 1, poll a five-field crontab."""
    path = _toml(isolated, f"[schedule]\n{setting} = {value}\n")
    assert f"setting 'schedule.{setting}'" in _refusal(path)


def test_shipped_config_has_the_same_schedule_as_the_defaults(isolated: Path) -> None:
    """The comments in config/crosspost.toml describe the defaults they show."""
    root = Path(__file__).resolve().parent.parent
    settings = load_settings(root / "config" / "crosspost.toml", env_file=None)
    assert settings.schedule == ScheduleSettings()


@pytest.mark.parametrize(
    "entry",
    ["https://example.org:abc/feed", "ftp://example.org/feed", "https:///feed"],
)
def test_bad_feed_url_in_sources_is_refused(isolated: Path, entry: str) -> None:
    """A feed URL with a bad port, another scheme or no host is refused at load."""
    path = _toml(isolated, f'[schedule]\nsources = ["summaries", "{entry}"]\n')
    message = _refusal(path)
    assert "setting 'schedule.sources'" in message
    assert "is not a source" in message


def test_runner_timing_defaults_and_durations(isolated: Path) -> None:
    """lease and listing_lag read durations; stale_after defaults to three ticks."""
    schedule = load_settings().schedule
    assert schedule.lease == dt.timedelta(minutes=10)
    assert schedule.listing_lag == dt.timedelta(minutes=2)
    assert schedule.stale_after is None
    assert schedule.silent_after() == dt.timedelta(minutes=3)
    path = _toml(
        isolated,
        '[schedule]\ntick = 30\nlease = "45s"\nlisting_lag = "5m"\n'
        'stale_after = "20m"\n',
    )
    schedule = load_settings(path).schedule
    assert (schedule.lease, schedule.listing_lag) == (
        dt.timedelta(seconds=45),
        dt.timedelta(minutes=5),
    )
    assert schedule.silent_after() == dt.timedelta(minutes=20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('lease = "5s"', "5s is too short a lease"),
        ('stale_after = "1m"', "1m is not longer than a tick (1m): give a few ticks"),
        ('tick = 120\nstale_after = "90s"', "e.g. 6m"),
        ("listing_lag = 0", "must be longer than zero"),
    ],
)
def test_bad_runner_timing_is_refused(isolated: Path, text: str, expected: str) -> None:
    """A lease under 10 s, a stale_after not longer than a tick, or no positive
    duration: refused, naming the setting and what to give."""
    message = _refusal(_toml(isolated, f"[schedule]\n{text}\n"))
    assert "setting 'schedule." in message
    assert expected in message

"""Campaign planning: cadence, gap days, blackouts, daily caps, a shared calendar, the
clock changes, determinism and the errors that say what to change."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import EXAMPLES, ROOT

from crosspost.schedule.campaign import (
    Calendar,
    CampaignPost,
    PlanError,
    PlannedSlot,
    ScheduleRules,
    campaign_posts,
    plan_campaign,
    rules_from,
)
from crosspost.schedule.slots import Slot
from crosspost.settings import Settings, load_settings
from crosspost.summaries.parse import parse_summary
from crosspost.teasers.render import render_all

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")


def _rules(
    slots: dict[str, Sequence[str]] | None = None,
    zone: str = "Europe/London",
    **changes: object,
) -> ScheduleRules:
    parsed = {
        platform: tuple(Slot.parse(text) for text in texts)
        for platform, texts in (slots or {"x": ["Tue 10:00", "Thu 10:00"]}).items()
    }
    rules = ScheduleRules(zone=ZoneInfo(zone), slots=parsed, daily_cap={})
    return dataclasses.replace(rules, **changes)  # type: ignore[arg-type]


def _posts(platform: str = "x", findings: int = 3) -> list[CampaignPost]:
    return campaign_posts(
        list(range(1, findings + 1)), ["announce", "finding", "recap"], platform, True
    )


def _local(plan: list[PlannedSlot]) -> list[str]:
    return [p.local_time.strftime("%a %Y-%m-%d %H:%M") for p in plan]


NOW = dt.datetime(2027, 6, 1, 8, 0, tzinfo=UTC)  # Tuesday 09:00 BST


def test_cadence_announce_then_findings_then_recap() -> None:
    """The announce takes the first slot after now, each next post the first slot two
    local days after the previous one."""
    plan = plan_campaign(_posts(), now=NOW, rules=_rules(), calendar=Calendar())
    assert [p.key for p in plan] == [
        "announce",
        "finding-1",
        "finding-2",
        "finding-3",
        "recap",
    ]
    assert _local(plan) == [
        "Tue 2027-06-01 10:00",
        "Thu 2027-06-03 10:00",
        "Tue 2027-06-08 10:00",
        "Thu 2027-06-10 10:00",
        "Tue 2027-06-15 10:00",
    ]


def test_planned_slot_fields() -> None:
    """due_at is UTC, local_time carries the zone's offset, zone is the IANA name."""
    [first] = plan_campaign(_posts()[:1], now=NOW, rules=_rules(), calendar=Calendar())
    assert first == PlannedSlot(
        platform="x",
        variant="announce",
        key="announce",
        due_at=dt.datetime(2027, 6, 1, 9, 0, tzinfo=UTC),
        local_time=dt.datetime(2027, 6, 1, 10, 0, tzinfo=LONDON),
        zone="Europe/London",
    )
    assert first.due_at.utcoffset() == dt.timedelta(0)
    assert first.local_time.isoformat() == "2027-06-01T10:00:00+01:00"


def test_a_slot_exactly_at_now_is_not_taken() -> None:
    """Strictly after now: a slot due this very instant is already past."""
    now = dt.datetime(2027, 6, 1, 9, 0, tzinfo=UTC)  # Tuesday 10:00 BST
    [first] = plan_campaign(_posts()[:1], now=now, rules=_rules(), calendar=Calendar())
    assert _local([first]) == ["Thu 2027-06-03 10:00"]


def test_gap_days_are_local_calendar_days() -> None:
    """With three gap days, a Tuesday post is followed no earlier than Friday."""
    rules = _rules({"x": ["daily 23:30"]}, gap_days=3)
    plan = plan_campaign(_posts(findings=1), now=NOW, rules=rules, calendar=Calendar())
    assert _local(plan) == [
        "Tue 2027-06-01 23:30",
        "Fri 2027-06-04 23:30",
        "Mon 2027-06-07 23:30",
    ]


def test_gap_counts_local_dates_not_24_hour_steps() -> None:
    """A 23:30 post then a 00:30 slot: one local day apart though an hour later."""
    rules = _rules({"x": ["daily 23:30", "daily 00:30"]}, gap_days=1)
    plan = plan_campaign(_posts(findings=1), now=NOW, rules=rules, calendar=Calendar())
    assert _local(plan) == [
        "Tue 2027-06-01 23:30",
        "Wed 2027-06-02 00:30",
        "Thu 2027-06-03 00:30",
    ]


def test_zero_gap_days_allows_the_same_day_but_never_the_same_slot() -> None:
    """gap_days = 0: the next slot of the same day, strictly after the previous."""
    rules = _rules({"x": ["daily 10:00", "daily 15:00"]}, gap_days=0)
    plan = plan_campaign(_posts(findings=1), now=NOW, rules=rules, calendar=Calendar())
    assert _local(plan) == [
        "Tue 2027-06-01 10:00",
        "Tue 2027-06-01 15:00",
        "Wed 2027-06-02 10:00",
    ]


def test_blackout_dates_and_ranges_are_skipped() -> None:
    """No post on a blackout date or inside an inclusive range (local dates)."""
    rules = _rules(
        blackout=(
            (dt.date(2027, 6, 1), dt.date(2027, 6, 1)),
            (dt.date(2027, 6, 8), dt.date(2027, 6, 10)),
        )
    )
    plan = plan_campaign(_posts(findings=1), now=NOW, rules=rules, calendar=Calendar())
    assert _local(plan) == [
        "Thu 2027-06-03 10:00",
        "Tue 2027-06-15 10:00",
        "Thu 2027-06-17 10:00",
    ]


def test_daily_cap_counts_booked_posts_of_that_local_day() -> None:
    """Two posts already on Tuesday with a cap of 2: the announce waits for Thursday."""
    rules = _rules({"x": ["daily 10:00", "daily 16:00"]}, daily_cap={"x": 2})
    booked = [
        dt.datetime(2027, 6, 1, 7, 0, tzinfo=UTC),  # 08:00 BST, off-slot (a one-off)
        dt.datetime(2027, 6, 1, 23, 30, tzinfo=UTC),  # 00:30 BST on Wednesday
        dt.datetime(2027, 6, 1, 10, 0, tzinfo=UTC),  # 11:00 BST on Tuesday
    ]
    plan = plan_campaign(
        _posts()[:1], now=NOW, rules=rules, calendar=Calendar({"x": booked})
    )
    assert _local(plan) == ["Wed 2027-06-02 10:00"]


def test_daily_cap_counts_this_campaigns_own_posts() -> None:
    """A cap of 1 with gap 0: one post a day even within one campaign."""
    rules = _rules(
        {"x": ["daily 10:00", "daily 16:00"]}, daily_cap={"x": 1}, gap_days=0
    )
    plan = plan_campaign(_posts(findings=1), now=NOW, rules=rules, calendar=Calendar())
    assert [p.local_time.date().day for p in plan] == [1, 2, 3]


def test_no_cap_means_every_slot_may_be_used() -> None:
    """A cap of None never refuses a day."""
    rules = _rules(
        {"x": ["daily 10:00", "daily 16:00"]}, daily_cap={"x": None}, gap_days=0
    )
    booked = [dt.datetime(2027, 6, 1, h, 0, tzinfo=UTC) for h in (5, 6, 7)]
    plan = plan_campaign(
        _posts()[:2], now=NOW, rules=rules, calendar=Calendar({"x": booked})
    )
    assert _local(plan) == ["Tue 2027-06-01 10:00", "Tue 2027-06-01 16:00"]


def test_a_booked_slot_is_skipped() -> None:
    """A slot another campaign holds is not free."""
    booked = {"x": [dt.datetime(2027, 6, 1, 9, 0, tzinfo=UTC)]}
    plan = plan_campaign(
        _posts()[:1], now=NOW, rules=_rules(), calendar=Calendar(booked)
    )
    assert _local(plan) == ["Thu 2027-06-03 10:00"]


def test_booked_times_in_any_zone_are_compared_as_instants() -> None:
    """A booked time given in another zone still blocks the same instant."""
    new_york = ZoneInfo("America/New_York")
    booked = {"x": [dt.datetime(2027, 6, 1, 5, 0, tzinfo=new_york)]}  # 10:00 BST
    plan = plan_campaign(
        _posts()[:1], now=NOW, rules=_rules(), calendar=Calendar(booked)
    )
    assert _local(plan) == ["Thu 2027-06-03 10:00"]


def test_campaigns_sharing_a_calendar_never_share_a_slot() -> None:
    """Ten campaigns planned in turn: never two posts in one slot on one platform, and
    platforms are independent of each other."""
    rules = _rules(
        {"x": ["Mon 09:00", "Wed 09:00", "Fri 09:00"], "linkedin": ["Mon 09:00"]},
        daily_cap={"x": 2, "linkedin": 2},
        horizon_days=730,
    )
    booked: dict[str, list[dt.datetime]] = {"x": [], "linkedin": []}
    for _ in range(10):
        posts = _posts("x") + _posts("linkedin")
        for slot in plan_campaign(
            posts, now=NOW, rules=rules, calendar=Calendar(booked)
        ):
            booked[slot.platform].append(slot.due_at)
    for platform in ("x", "linkedin"):
        assert len(booked[platform]) == 50
        assert len(set(booked[platform])) == 50
    assert set(booked["x"]) & set(booked["linkedin"])


def test_platforms_are_planned_independently() -> None:
    """One platform's booked calendar does not move another's posts."""
    rules = _rules({"x": ["Tue 10:00"], "facebook": ["Tue 10:00"]})
    busy = Calendar({"facebook": [dt.datetime(2027, 6, 1, 9, 0, tzinfo=UTC)]})
    posts = [CampaignPost("x", "announce", "announce"), *_posts("facebook")[:1]]
    x, facebook = plan_campaign(posts, now=NOW, rules=rules, calendar=busy)
    assert _local([x]) == ["Tue 2027-06-01 10:00"]
    assert _local([facebook]) == ["Tue 2027-06-08 10:00"]


def test_result_follows_the_order_of_the_posts_given() -> None:
    """Interleaved platforms come back in the order they were given."""
    rules = _rules({"x": ["daily 10:00"], "youtube": ["daily 14:00"]})
    posts = [
        CampaignPost("youtube", "announce", "announce"),
        CampaignPost("x", "announce", "announce"),
        CampaignPost("youtube", "recap", "recap"),
    ]
    plan = plan_campaign(posts, now=NOW, rules=rules, calendar=Calendar())
    assert [(p.platform, p.key) for p in plan] == [
        ("youtube", "announce"),
        ("x", "announce"),
        ("youtube", "recap"),
    ]


def test_planning_is_deterministic_and_leaves_the_calendar_alone() -> None:
    """Same inputs, same plan; the calendar given is not changed."""
    booked = {"x": [dt.datetime(2027, 6, 1, 9, 0, tzinfo=UTC)]}
    calendar = Calendar(booked)
    first = plan_campaign(_posts(), now=NOW, rules=_rules(), calendar=calendar)
    second = plan_campaign(_posts(), now=NOW, rules=_rules(), calendar=calendar)
    assert first == second
    assert booked == {"x": [dt.datetime(2027, 6, 1, 9, 0, tzinfo=UTC)]}


def test_platform_without_slots_is_a_plan_error_naming_the_fix() -> None:
    """No slots for a platform the campaign posts to: PlanError saying what to set."""
    rules = _rules({"x": ["Tue 10:00"], "youtube": []})
    with pytest.raises(PlanError) as caught:
        plan_campaign(_posts("youtube"), now=NOW, rules=rules, calendar=Calendar())
    message = str(caught.value)
    assert "youtube has no posting slots" in message
    assert "[schedule.slots]" in message
    assert "CROSSPOST_SCHEDULE__SLOTS" in message
    assert caught.value.exit_code == 1


def test_platform_missing_from_the_rules_is_a_plan_error() -> None:
    """A platform the rules do not mention at all has no slots either."""
    with pytest.raises(PlanError, match="linkedin has no posting slots"):
        plan_campaign(_posts("linkedin"), now=NOW, rules=_rules(), calendar=Calendar())


def test_no_free_slot_within_the_horizon_is_a_plan_error() -> None:
    """A blackout longer than the horizon: PlanError naming the post and the fixes."""
    rules = _rules(
        blackout=((dt.date(2027, 6, 1), dt.date(2027, 12, 31)),), horizon_days=30
    )
    with pytest.raises(PlanError) as caught:
        plan_campaign(_posts(), now=NOW, rules=rules, calendar=Calendar())
    message = str(caught.value)
    assert "no free x slot for announce" in message
    assert "horizon_days (30 days" in message
    assert "schedule.daily_cap" in message


def test_the_horizon_is_counted_from_now() -> None:
    """A slot just inside the horizon is used; later posts past it fail."""
    rules = _rules({"x": ["Tue 10:00"]}, horizon_days=8)
    plan = plan_campaign(_posts()[:2], now=NOW, rules=rules, calendar=Calendar())
    assert _local(plan) == ["Tue 2027-06-01 10:00", "Tue 2027-06-08 10:00"]
    with pytest.raises(PlanError, match="finding-2"):
        plan_campaign(_posts()[:3], now=NOW, rules=rules, calendar=Calendar())


def test_naive_now_is_refused() -> None:
    """`now` must be aware: a naive time has no place on the calendar."""
    with pytest.raises(ValueError, match="aware"):
        plan_campaign(
            _posts(), now=dt.datetime(2027, 6, 1), rules=_rules(), calendar=Calendar()
        )


# --- clock changes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "now", "first_utc", "last_utc"),
    [
        ("Europe/London", (2027, 3, 20), (10, 0), (9, 0)),
        ("Europe/London", (2027, 10, 23), (9, 0), (10, 0)),
        ("America/New_York", (2027, 3, 6), (15, 0), (14, 0)),
        ("America/New_York", (2027, 10, 30), (14, 0), (15, 0)),
        ("Australia/Lord_Howe", (2027, 3, 27), (23, 0), (23, 30)),
        ("Australia/Lord_Howe", (2027, 9, 25), (23, 30), (23, 0)),
    ],
)
def test_every_post_lands_on_a_local_slot_across_the_change(
    zone: str,
    now: tuple[int, int, int],
    first_utc: tuple[int, int],
    last_utc: tuple[int, int],
) -> None:
    """Planned across a clock change, every post is at 10:00 local on a slot's day;
    only the UTC time moves."""
    rules = _rules({"x": ["Mon 10:00", "Wed 10:00", "Fri 10:00"]}, zone=zone)
    start = dt.datetime(*now, tzinfo=UTC)
    plan = plan_campaign(
        _posts(findings=4), now=start, rules=rules, calendar=Calendar()
    )
    assert all(p.local_time.time() == dt.time(10, 0) for p in plan)
    assert all(p.local_time.weekday() in (0, 2, 4) for p in plan)
    assert all(p.local_time == p.due_at for p in plan)
    assert all(p.zone == zone for p in plan)
    assert (plan[0].due_at.hour, plan[0].due_at.minute) == first_utc
    assert (plan[-1].due_at.hour, plan[-1].due_at.minute) == last_utc


@pytest.mark.parametrize(
    ("zone", "slot", "now", "expected_utc"),
    [
        ("Europe/London", "Sun 01:30", (2027, 3, 27), (2027, 3, 28, 1, 0)),
        ("America/New_York", "Sun 02:30", (2027, 3, 13), (2027, 3, 14, 7, 0)),
        ("Australia/Lord_Howe", "Sun 02:15", (2027, 10, 1), (2027, 10, 2, 15, 30)),
    ],
)
def test_a_slot_in_the_spring_gap_is_planned_at_the_next_valid_instant(
    zone: str, slot: str, now: tuple[int, int, int], expected_utc: tuple[int, ...]
) -> None:
    """A slot whose wall time does not exist that day is planned at the gap's end."""
    rules = _rules({"x": [slot]}, zone=zone)
    [first] = plan_campaign(
        _posts()[:1],
        now=dt.datetime(*now, tzinfo=UTC),
        rules=rules,
        calendar=Calendar(),
    )
    assert first.due_at == dt.datetime(*expected_utc, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "slot", "now", "expected_utc"),
    [
        ("Europe/London", "Sun 01:30", (2027, 10, 30), (2027, 10, 31, 0, 30)),
        ("America/New_York", "Sun 01:30", (2027, 11, 6), (2027, 11, 7, 5, 30)),
        ("Australia/Lord_Howe", "Sun 01:45", (2027, 4, 2), (2027, 4, 3, 14, 45)),
    ],
)
def test_a_doubled_slot_is_planned_once_at_its_first_occurrence(
    zone: str, slot: str, now: tuple[int, int, int], expected_utc: tuple[int, ...]
) -> None:
    """A slot in the autumn overlap is planned at its first occurrence, and the second
    occurrence is never a second slot."""
    rules = _rules({"x": [slot]}, zone=zone, gap_days=0)
    first, second = plan_campaign(
        _posts()[:2],
        now=dt.datetime(*now, tzinfo=UTC),
        rules=rules,
        calendar=Calendar(),
    )
    assert first.due_at == dt.datetime(*expected_utc, tzinfo=UTC)
    assert second.local_time.date() - first.local_time.date() == dt.timedelta(days=7)


# --- the cadence list --------------------------------------------------------------


def test_campaign_posts_default_cadence() -> None:
    """Announce, each finding by number, recap; keys as the teasers are keyed."""
    posts = campaign_posts(
        [2, 1, 3], ["announce", "finding", "recap"], "facebook", True
    )
    assert [(p.variant, p.key) for p in posts] == [
        ("announce", "announce"),
        ("finding", "finding-1"),
        ("finding", "finding-2"),
        ("finding", "finding-3"),
        ("recap", "recap"),
    ]
    assert {p.platform for p in posts} == {"facebook"}


def test_campaign_posts_in_a_chosen_order() -> None:
    """Findings named in `order` come first in that order, the others after."""
    posts = campaign_posts([1, 2, 3, 4], ["finding"], "x", recap=True, order=[3, 1])
    assert [p.key for p in posts] == [
        "finding-3",
        "finding-1",
        "finding-2",
        "finding-4",
    ]


def test_campaign_posts_refuses_an_order_naming_a_missing_finding() -> None:
    """An order naming a finding the summary lacks is refused, not silently dropped."""
    with pytest.raises(PlanError, match="names 7"):
        campaign_posts([1, 2], ["finding"], "x", recap=True, order=[2, 7])


def test_campaign_posts_recap_off_and_thread_on_x_only() -> None:
    """recap=False drops the recap; a thread is one post, on X only."""
    variants = ["announce", "thread", "recap"]
    assert [p.key for p in campaign_posts([1, 2], variants, "x", False)] == [
        "announce",
        "thread",
    ]
    assert [p.key for p in campaign_posts([1, 2], variants, "linkedin", True)] == [
        "announce",
        "recap",
    ]


def test_campaign_posts_without_findings_is_only_the_announce() -> None:
    """As the renderer does: no findings, no thread and no recap."""
    variants = ["announce", "finding", "recap", "thread"]
    assert [p.key for p in campaign_posts([], variants, "x", True)] == ["announce"]


@pytest.mark.parametrize(
    "platform", ["x", "facebook", "instagram", "linkedin", "youtube"]
)
def test_campaign_keys_match_the_rendered_teasers(platform: str) -> None:
    """Every planned key is a teaser the renderer makes for that platform, and back."""
    path = EXAMPLES / "stem-cells.txt"
    summary = parse_summary(path.read_bytes(), str(path))
    settings = Settings(templates_dir=ROOT / "templates")
    variants = ["announce", "finding", "recap", "thread"]
    rendered = render_all(summary, settings, platforms=[platform])  # every variant
    teaser_keys = {(t.variant, t.key) for t in rendered.teasers}
    teaser_keys |= {(f.variant, f.key) for f in rendered.failures}
    numbers = [finding.number for finding in summary.findings]
    posts = campaign_posts(numbers, variants, platform, recap=True)
    assert {(p.variant, p.key) for p in posts} == teaser_keys


def test_rules_from_settings(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rules come from the settings, slots and zone from the environment included."""
    monkeypatch.setenv("CROSSPOST_TIMEZONE", "America/New_York")
    monkeypatch.setenv("CROSSPOST_SCHEDULE__SLOTS", '{"x": ["Tue 10:00"]}')
    monkeypatch.setenv("CROSSPOST_SCHEDULE__DAILY_CAP", '{"x": 0, "linkedin": 1}')
    monkeypatch.setenv("CROSSPOST_SCHEDULE__BLACKOUT", '["2027-12-24..2027-12-26"]')
    rules = rules_from(load_settings())
    assert rules.zone == ZoneInfo("America/New_York")
    assert rules.slots["x"] == (Slot(1, dt.time(10, 0)),)
    assert len(rules.slots["facebook"]) == 5
    assert (rules.daily_cap["x"], rules.daily_cap["linkedin"]) == (None, 1)
    assert rules.daily_cap["facebook"] == 2
    assert rules.blackout == ((dt.date(2027, 12, 24), dt.date(2027, 12, 26)),)
    assert (rules.gap_days, rules.horizon_days) == (2, 120)


# --- properties --------------------------------------------------------------------

ZONES = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]
_slot = st.builds(
    Slot,
    st.one_of(st.none(), st.integers(0, 6)),
    st.builds(dt.time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45])),
)
_moment = st.datetimes(dt.datetime(2026, 12, 1), dt.datetime(2028, 2, 1)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC)
)


@settings(max_examples=200, deadline=None)
@given(
    zone_name=st.sampled_from(ZONES),
    slots=st.dictionaries(
        st.sampled_from(["x", "linkedin"]),
        st.lists(_slot, min_size=1, max_size=5),
        min_size=2,
    ),
    gap_days=st.integers(0, 3),
    cap=st.sampled_from([None, 1, 2]),
    now=_moment,
    blackout_start=st.integers(0, 60),
    blackout_length=st.integers(0, 10),
    findings=st.integers(0, 5),
    booked=st.lists(
        st.tuples(st.sampled_from(["x", "linkedin"]), _moment), max_size=15
    ),
)
def test_every_plan_keeps_every_rule(
    *,
    zone_name: str,
    slots: dict[str, list[Slot]],
    gap_days: int,
    cap: int | None,
    now: dt.datetime,
    blackout_start: int,
    blackout_length: int,
    findings: int,
    booked: list[tuple[str, dt.datetime]],
) -> None:
    """Random rules, clocks and calendars: each post is on a configured local slot,
    after now, in order with its gap, off blackouts, off booked instants and within
    the cap; or planning fails with a PlanError."""
    zone = ZoneInfo(zone_name)
    first_blackout = now.astimezone(zone).date() + dt.timedelta(days=blackout_start)
    rules = ScheduleRules(
        zone=zone,
        slots={p: tuple(s) for p, s in slots.items()},
        gap_days=gap_days,
        blackout=((first_blackout, first_blackout + dt.timedelta(blackout_length)),),
        daily_cap={"x": cap, "linkedin": cap},
        horizon_days=120,
    )
    calendar: dict[str, list[dt.datetime]] = {"x": [], "linkedin": []}
    for platform, moment in booked:
        calendar[platform].append(moment)
    posts = _posts("x", findings) + _posts("linkedin", findings)
    try:
        plan = plan_campaign(posts, now=now, rules=rules, calendar=Calendar(calendar))
    except PlanError:
        return
    assert plan == plan_campaign(
        posts, now=now, rules=rules, calendar=Calendar(calendar)
    )
    for platform in ("x", "linkedin"):
        mine = [p for p in plan if p.platform == platform]
        assert [p.key for p in mine] == [p.key for p in posts if p.platform == platform]
        assert mine[0].due_at > now
        for earlier, later in itertools.pairwise(mine):
            assert later.due_at > earlier.due_at
            gap = later.local_time.date() - earlier.local_time.date()
            assert gap >= dt.timedelta(days=gap_days)
        taken = calendar[platform]
        per_day = Counter(moment.astimezone(zone).date() for moment in taken)
        for planned in mine:
            local = planned.local_time
            # Through UTC: == between zones is False for a doubled local time
            # (PEP 495), even when both name the same instant.
            assert planned.due_at == local.astimezone(UTC)
            assert planned.due_at.tzinfo is UTC
            assert not rules.is_blackout(local.date())
            assert planned.due_at not in taken
            assert _is_a_configured_slot(local, rules.slots[platform], zone)
            per_day[local.date()] += 1
        if cap is not None:
            assert all(
                per_day[p.local_time.date()] <= max(cap, _booked_on(taken, p, zone))
                for p in mine
            )


def _booked_on(taken: list[dt.datetime], planned: PlannedSlot, zone: ZoneInfo) -> int:
    """Posts booked before planning on `planned`'s local day (a day can start over
    the cap; the planner then adds nothing to it)."""
    day = planned.local_time.date()
    return sum(1 for moment in taken if moment.astimezone(zone).date() == day)


def _is_a_configured_slot(
    local: dt.datetime, slots: Sequence[Slot], zone: ZoneInfo
) -> bool:
    matching = [s for s in slots if s.falls_on(local.date())]
    if any(s.time == local.time() for s in matching):
        return True
    before = (local.astimezone(UTC) - dt.timedelta(seconds=1)).astimezone(zone)
    return any(before.time() < s.time < local.time() for s in matching)


def test_a_booked_time_in_the_second_pass_of_an_autumn_hour_blocks_its_instant() -> (
    None
):
    """A booked time given as the second 01:30 (fold=1) blocks that very instant."""
    rules = _rules({"x": ["daily 01:30"]}, zone="UTC")
    second = dt.datetime(2027, 10, 31, 1, 30, tzinfo=UTC).astimezone(LONDON)
    assert second.fold == 1
    now = dt.datetime(2027, 10, 31, 0, 0, tzinfo=UTC)
    [first] = plan_campaign(
        _posts()[:1], now=now, rules=rules, calendar=Calendar({"x": [second]})
    )
    assert first.due_at == dt.datetime(2027, 11, 1, 1, 30, tzinfo=UTC)

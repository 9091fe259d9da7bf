"""Fitting: a teaser too long for its platform gives up whole items or sentences,
in the order its template declares, until the platform's own count accepts it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Protocol

from crosspost.errors import CrosspostError
from crosspost.teasers.content import (
    Content,
    Item,
    Unit,
    apply_unit,
    apply_units,
    item_name,
    next_unit,
)
from crosspost.teasers.sentences import split_sentences


class FitError(CrosspostError):
    """A teaser cannot fit its platform without cutting into a claim.

    `over` is by how much (in the platform's unit); `platform`, `variant` and `key`
    say which teaser, once the renderer has `located` it."""

    def __init__(
        self, message: str, *, hint: str | None = None, over: int | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.over = over
        self.platform: str | None = None
        self.variant: str | None = None
        self.key: str | None = None

    def located(self, platform: str, variant: str, key: str) -> FitError:
        self.platform, self.variant, self.key = platform, variant, key
        return self


class CountingRule(Protocol):
    """What fitting needs of a platform rule (crosspost.teasers.rules.PlatformRule)."""

    @property
    def platform(self) -> str: ...
    @property
    def limit(self) -> int: ...
    def wire(self, text: str) -> str: ...
    def count(self, text: str) -> int: ...
    def problems(self, text: str) -> list[str]: ...


@dataclass(frozen=True)
class Fitted:
    """A fitted post: text as sent, the platform's count of it, what was given up."""

    wire: str
    count: int
    shed: tuple[str, ...]


# Take-back offers at most this many shed units back, the most valuable first: enough
# for every real post, and a bound on the work a pathological one can cause.
TAKE_BACK_TRIALS = 48


def fit(
    content: Content,
    render: Callable[[Content], str],
    rule: CountingRule,
    *,
    shed: Sequence[str],
    uses: frozenset[str],
    what: str,
    template_path: str,
) -> Fitted:
    """Render `content`, shedding per `shed` until `rule` accepts the wire text,
    or raise FitError. `what` names the teaser in messages ("x finding-2").

    The units `shed` gives up form one plan, in order; the fewest that make the post
    fit are found by galloping and halving (a few renders, however long the text),
    then any unit that fits again is given back, the most valuable (last shed) first.
    """
    text = render(content)
    wire, count, problems = measure(text, rule)
    if count <= rule.limit and not problems:
        return Fitted(wire, count, ())
    # `content` itself is left as it is until the best trial is known.
    plan, weights = _plan(content, shed, uses, rule)

    def attempt(units: Sequence[Unit]) -> tuple[Content, tuple[str, int] | None]:
        trial = content.clone()
        apply_units(trial, units, uses)
        trial_wire, trial_count, trial_problems = measure(render(trial), rule)
        fits = trial_count <= rule.limit and not trial_problems
        return trial, (trial_wire, trial_count) if fits else None

    tried: dict[int, tuple[Content, tuple[str, int] | None]] = {}

    def fits_after(units: int) -> bool:
        tried[units] = attempt(plan[:units])
        return tried[units][1] is not None

    # Each unit takes out at least its own count: the first units that add up to the
    # overage are where the search starts (far over the limit, that is near the end
    # of the plan, where the trial posts are short).
    over, guess = count - rule.limit, len(plan)
    for index, total in enumerate(accumulate(weights), start=1):
        if total >= over:
            guess = index
            break
    units = _fewest(len(plan), fits_after, guess=guess)
    if units is None:
        everything = content.clone()
        apply_units(everything, plan, uses)
        wire, count, problems = measure(render(everything), rule)
        raise _fit_error(
            everything,
            rule,
            count=count,
            problems=problems,
            uses=uses,
            what=what,
            template_path=template_path,
            shed=shed,
        )
    kept = list(range(units))  # indices into plan of the units given up
    best, result = tried[units]
    assert result is not None
    trials = 0
    for index in reversed(range(units)):
        if trials >= TAKE_BACK_TRIALS:
            break
        if weights[index] > rule.limit - result[1]:
            continue  # a unit longer than the room left cannot come back
        trials += 1
        without = [i for i in kept if i != index]
        trial, fitted = attempt([plan[i] for i in without])
        if fitted is not None:
            kept, best, result = without, trial, fitted
    content.__dict__.update(best.__dict__)
    return Fitted(result[0], result[1], tuple(best.shed))


def _plan(
    content: Content, shed: Sequence[str], uses: frozenset[str], rule: CountingRule
) -> tuple[list[Unit], list[int]]:
    """Every unit the steps of `shed` would give up, in order, and the least each adds
    when given back: the count of its own text (what joins it to the rest adds more)."""
    trial = content.clone()
    plan: list[Unit] = []
    weights: list[int] = []
    for step in shed:
        while (unit := next_unit(trial, step, uses)) is not None:
            weight = rule.count(_given_up(trial, unit, uses))
            apply_unit(trial, unit, uses)
            plan.append(unit)
            weights.append(weight)
    return plan, weights


def _given_up(content: Content, unit: Unit, uses: frozenset[str]) -> str:
    """The text `unit` takes out of `content` (before it is applied)."""
    step, target = unit
    if step == "later_sentences":
        for item in content.passages(uses):
            if item_name(item) == target:
                return item.all_groups[item.kept - 1]
    elif step in ("findings", "backgrounds", "thoughts"):
        items: list[Item] = getattr(content, step)
        return next((i.text for i in items if i.summary_number == target), "")
    elif step == "hashtags":
        return str(target)
    elif step == "title":
        return content.full_title
    elif step == "subtitle":
        return content.subtitle or ""
    else:
        value = getattr(content, step, None)
        return value.text if isinstance(value, Item) else ""
    return ""


def _fewest(most: int, fits_after: Callable[[int], bool], *, guess: int) -> int | None:
    """The fewest units (1..most) after which the post fits, from `guess` up:
    galloping, then halving (shedding more makes a post shorter, so one that fits
    after n units fits after more); `guess` itself when it fits."""
    if most == 0:
        return None
    guess = min(max(guess, 1), most)
    step = 1
    if fits_after(guess):
        # Whether fewer would do is for the take-back, which offers each unit back.
        return guess
    bad, good = guess, guess + step
    while good < most and not fits_after(good):
        bad, step = good, step * 2
        good = bad + step
    good = min(good, most)
    if good == most and good != bad and not fits_after(most):
        return None
    if good == bad:
        return None
    while good - bad > 1:
        middle = (bad + good) // 2
        if fits_after(middle):
            good = middle
        else:
            bad = middle
    return good


def measure(text: str, rule: CountingRule) -> tuple[str, int, list[str]]:
    """The wire text, its count and its problems by `rule`."""
    wire = rule.wire(text)
    return wire, rule.count(wire), rule.problems(wire)


def _fit_error(
    content: Content,
    rule: CountingRule,
    *,
    count: int,
    problems: list[str],
    uses: frozenset[str],
    what: str,
    template_path: str,
    shed: Sequence[str],
) -> FitError:
    tried = (
        f" even after giving up {', '.join(shed)}"
        if shed
        else " (the template sheds nothing)"
    )
    if count <= rule.limit:
        return FitError(
            f"{what}: {'; '.join(problems)}{tried}",
            hint=f"take out what {rule.platform} refuses, from the summary or from "
            f"the wording of {template_path}",
        )
    over = count - rule.limit
    message = f"{what}: {over} over the {rule.platform} limit ({count}/{rule.limit})"
    by = f" by at least {over}"
    longest = max(content.passages(uses), key=lambda item: len(item.text), default=None)
    if longest is None or len(longest.text) <= len(content.full_title):
        target = f"the title ({len(content.full_title)} characters){by}"
    elif longest.shortened and longest.kept == 1:
        # Only its first unit is left: that unit alone is what does not fit.
        first = longest.groups[0]
        if len(split_sentences(first)) > 1:
            unit = "sentences up to its last caveat"
            message += f"; {item_name(longest)} is down to its {unit}"
            target = f"{item_name(longest)} up to its last caveat ({quote(first)}){by}"
        else:
            message += f"; {item_name(longest)} is down to its first sentence"
            target = f"{item_name(longest)}'s first sentence ({quote(first)}){by}"
    elif longest.kept == 1:
        target = f"{item_name(longest)} ({quote(longest.text)}){by}"
    else:
        target = (
            f"{item_name(longest)} ({len(longest.text)} characters, "
            f"first sentence {len(longest.groups[0])}){by}"
        )
    return FitError(
        message + tried,
        hint=f"shorten {target} in the summary, or the wording of {template_path}",
        over=over,
    )


def quote(sentence: str, words: int = 8) -> str:
    """“The first words …”, N characters: a sentence named in a message."""
    head = sentence.split()
    shown = " ".join(head[:words]) + (" …" if len(head) > words else "")
    return f"“{shown}”, {len(sentence)} characters"

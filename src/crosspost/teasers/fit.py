"""Fitting: a teaser too long for its platform gives up whole items or sentences,
in the order its template declares, until the platform's own count accepts it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from crosspost.errors import CrosspostError
from crosspost.teasers.content import Content, item_name, shed_once


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
    or raise FitError. `what` names the teaser in messages ("x finding-2")."""
    text = render(content)
    wire, count, problems = measure(text, rule)
    if count <= rule.limit and not problems:
        return Fitted(wire, count, ())
    original = content.clone()
    applied: list[str] = []
    for step in shed:
        if count <= rule.limit and not problems:
            break
        while (count > rule.limit or problems) and shed_once(content, step, uses):
            applied.append(step)
            new_text = render(content)
            if new_text != text:
                text = new_text
                wire, count, problems = measure(text, rule)
    if count > rule.limit or problems:
        raise _fit_error(
            content,
            rule,
            count=count,
            problems=problems,
            uses=uses,
            what=what,
            template_path=template_path,
            shed=shed,
        )
    wire, count = _take_back(
        content,
        original,
        applied,
        render=render,
        rule=rule,
        uses=uses,
        best=(wire, count),
    )
    return Fitted(wire, count, tuple(content.shed))


def _take_back(
    content: Content,
    original: Content,
    applied: list[str],
    *,
    render: Callable[[Content], str],
    rule: CountingRule,
    uses: frozenset[str],
    best: tuple[str, int],
) -> tuple[str, int]:
    """Give back what greedy shedding took but no longer needs: a unit shed early may
    fit again once a later step made room. Units are tried earliest first; `content`
    ends as the best fit found."""
    wire, count = best
    index = 0
    while index < len(applied):
        steps = applied[:index] + applied[index + 1 :]
        trial = original.clone()
        for step in steps:
            shed_once(trial, step, uses)
        trial_wire, trial_count, trial_problems = measure(render(trial), rule)
        if trial_count <= rule.limit and not trial_problems:
            applied = steps
            content.__dict__.update(trial.__dict__)
            wire, count = trial_wire, trial_count
        else:
            index += 1
    return wire, count


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
        # Only its first sentence is left: that sentence alone is what does not fit.
        message += f"; {item_name(longest)} is down to its first sentence"
        target = (
            f"{item_name(longest)}'s first sentence ({quote(longest.groups[0])}){by}"
        )
    elif longest.kept == 1:
        target = f"{item_name(longest)} ({quote(longest.text)}){by}"
    else:
        first = len(longest.groups[0])
        target = (
            f"{item_name(longest)} ({len(longest.text)} characters, "
            f"first sentence {first}){by}"
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

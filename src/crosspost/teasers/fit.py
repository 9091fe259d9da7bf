"""Fitting: a teaser too long for its platform gives up whole items or sentences,
in the order its template declares, until the platform's own count accepts it."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from crosspost.errors import CrosspostError
from crosspost.teasers.sentences import normalise, sentence_groups

_LISTS = ("thoughts", "backgrounds", "findings")
_SCALARS = ("intro", "what", "who", "where", "when", "headline")
_LABELS = {
    "thoughts": "THOUGHT", "backgrounds": "BACKGROUND", "findings": "FINDING",
    "intro": "the intro", "what": "What?", "who": "Who?", "where": "Where?",
    "when": "When?", "headline": "the headline finding",
}  # fmt: skip


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


@dataclass
class Item:
    """A passage a template shows (a finding, What?), in whole sentence groups."""

    label: str
    number: int
    all_groups: tuple[str, ...]
    kept: int

    @classmethod
    def of(cls, label: str, number: int, text: str | None) -> Item | None:
        groups = sentence_groups(text or "")
        return cls(label, number, groups, len(groups)) if groups else None

    @staticmethod
    def copy(item: Item | None) -> Item | None:
        """A copy to shed from (fitting lowers `kept`), or None."""
        if item is None:
            return None
        return Item(item.label, item.number, item.all_groups, item.kept)

    @staticmethod
    def copies(items: list[Item]) -> list[Item]:
        return [Item(i.label, i.number, i.all_groups, i.kept) for i in items]

    @property
    def groups(self) -> tuple[str, ...]:
        return self.all_groups[: self.kept]

    @property
    def text(self) -> str:
        return " ".join(self.groups)

    @property
    def shortened(self) -> bool:
        return self.kept < len(self.all_groups)

    def __str__(self) -> str:
        return self.text


@dataclass
class Content:
    """What a template may show, as it stands after the shedding so far."""

    title: str
    subtitle: str | None = None
    intro: Item | None = None
    what: Item | None = None
    who: Item | None = None
    where: Item | None = None
    when: Item | None = None
    backgrounds: list[Item] = field(default_factory=list)
    findings: list[Item] = field(default_factory=list)
    thoughts: list[Item] = field(default_factory=list)
    finding: Item | None = None
    headline: Item | None = None
    hashtags: list[str] = field(default_factory=list)
    shed: list[str] = field(default_factory=list)

    @classmethod
    def split_title(cls, title: str) -> tuple[str, str | None]:
        """'Main: subtitle' → ('Main', 'subtitle'); the subtitle can be shed."""
        main, colon, rest = normalise(title).partition(": ")
        return (main, rest) if colon and rest else (main, None)

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    def names(self) -> dict[str, Any]:
        """The names a template sees for this content (see templates/README.md)."""
        return {
            "title": self.full_title,
            "intro": self.intro,
            "what": self.what,
            "who": self.who,
            "where": self.where,
            "when": self.when,
            "backgrounds": self.backgrounds,
            "findings": self.findings,
            "thoughts": self.thoughts,
            "finding": self.finding,
            "headline": self.headline,
            "hashtags": self.hashtags,
        }

    def passages(self, uses: Iterable[str]) -> list[Item]:
        """The items a template showing `uses` actually displays."""
        found: list[Item] = []
        for name in uses:
            if name in _SCALARS or name in ("finding", "headline"):
                value: Item | None = getattr(self, name)
                found.extend([value] if value is not None else [])
            elif name in _LISTS:
                found.extend(getattr(self, name))
        return found


@dataclass(frozen=True)
class Fitted:
    """A fitted post: text as sent, the platform's count of it, what was given up."""

    wire: str
    count: int
    shed: tuple[str, ...]


def shed_once(content: Content, step: str, uses: frozenset[str]) -> bool:
    """Give up the next unit of `step`; False when the step has nothing more to give."""
    if step in _LISTS:
        items: list[Item] = getattr(content, step)
        if len(items) <= (1 if step == "findings" else 0):
            return False
        dropped = items.pop()
        content.shed.append(f"{_LABELS[step]} #{dropped.number}")
        return True
    if step in _SCALARS:
        if getattr(content, step) is None:
            return False
        setattr(content, step, None)
        content.shed.append(_LABELS[step])
        return True
    if step == "hashtags":
        if not content.hashtags:
            return False
        content.shed.append(content.hashtags.pop())
        return True
    if step == "title":
        if not content.title:
            return False
        content.title, content.subtitle = "", None
        content.shed.append("the title")
        return True
    if step == "subtitle":
        if content.subtitle is None:
            return False
        content.subtitle = None
        content.shed.append("the title's subtitle")
        return True
    if step == "later_sentences":
        return _drop_last_sentence(content, uses)
    return False


def _drop_last_sentence(content: Content, uses: frozenset[str]) -> bool:
    candidates = [item for item in content.passages(uses) if item.kept > 1]
    if not candidates:
        return False
    longest = max(candidates, key=lambda item: len(item.text))
    longest.kept -= 1
    content.shed.append(f"a sentence of {_name(longest)}")
    return True


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
    original = copy.deepcopy(content)
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
        trial = copy.deepcopy(original)
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


def _name(item: Item) -> str:
    return f"{item.label} #{item.number}" if item.number else item.label


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
    over = count - rule.limit if count > rule.limit else None
    if over is not None:
        message = (
            f"{what}: {over} over the {rule.platform} limit ({count}/{rule.limit})"
        )
    else:
        message = f"{what}: {'; '.join(problems)}"
    if over is None:
        return FitError(
            message + tried,
            hint=f"take out what {rule.platform} refuses, from the summary or from "
            f"the wording of {template_path}",
        )
    by = f" by at least {over}"
    longest = max(content.passages(uses), key=lambda item: len(item.text), default=None)
    if longest is None or len(longest.text) <= len(content.full_title):
        target = f"the title ({len(content.full_title)} characters){by}"
    elif longest.shortened and longest.kept == 1:
        # Only its first sentence is left: that sentence alone is what does not fit.
        message += f"; {_name(longest)} is down to its first sentence"
        target = f"{_name(longest)}'s first sentence ({quote(longest.groups[0])}){by}"
    elif longest.kept == 1:
        target = f"{_name(longest)} ({quote(longest.text)}){by}"
    else:
        first = len(longest.groups[0])
        target = (
            f"{_name(longest)} ({len(longest.text)} characters, "
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

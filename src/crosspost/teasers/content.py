"""What a template may show (Content and its Items, in whole sentence groups), and
how that content gives up one unit at a time when its teaser must shrink."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from crosspost.teasers.sentences import normalise, sentence_groups

_LISTS = ("thoughts", "backgrounds", "findings")
_SCALARS = ("intro", "what", "who", "where", "when", "headline")
_LABELS = {
    "thoughts": "THOUGHT", "backgrounds": "BACKGROUND", "findings": "FINDING",
    "intro": "the intro", "what": "What?", "who": "Who?", "where": "Where?",
    "when": "When?", "headline": "the headline finding",
}  # fmt: skip


@dataclass
class Item:
    """A passage a template shows (a finding, What?), in whole sentence groups.

    `number` is its position (1-based) among the summary's paragraphs of its kind, as
    "Finding 2 of 3" needs; `summary_number` is the number the summary gave it
    (FINDING #3), which messages use. 0 for an unnumbered block (What?)."""

    label: str
    number: int
    all_groups: tuple[str, ...]
    kept: int
    summary_number: int = 0

    def __post_init__(self) -> None:
        if not self.summary_number:
            self.summary_number = self.number

    @classmethod
    def of(
        cls, label: str, number: int, text: str | None, summary_number: int = 0
    ) -> Item | None:
        groups = sentence_groups(text or "")
        if not groups:
            return None
        return cls(label, number, groups, len(groups), summary_number)

    @staticmethod
    def copy(item: Item | None) -> Item | None:
        """A copy to shed from (fitting lowers `kept`), or None."""
        if item is None:
            return None
        return Item(
            item.label, item.number, item.all_groups, item.kept, item.summary_number
        )

    @staticmethod
    def copies(items: list[Item]) -> list[Item]:
        return [
            Item(i.label, i.number, i.all_groups, i.kept, i.summary_number)
            for i in items
        ]

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

    def clone(self) -> Content:
        """A copy to shed from: fitting changes lists and `kept`, never a string, so
        this is all a deep copy would do, at a fraction of its cost."""
        copy = Item.copy
        return Content(
            title=self.title,
            subtitle=self.subtitle,
            intro=copy(self.intro),
            what=copy(self.what),
            who=copy(self.who),
            where=copy(self.where),
            when=copy(self.when),
            backgrounds=Item.copies(self.backgrounds),
            findings=Item.copies(self.findings),
            thoughts=Item.copies(self.thoughts),
            finding=copy(self.finding),
            headline=copy(self.headline),
            hashtags=list(self.hashtags),
            shed=list(self.shed),
        )

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


def shed_once(content: Content, step: str, uses: frozenset[str]) -> bool:
    """Give up the next unit of `step`; False when the step has nothing more to give."""
    if step in _LISTS:
        items: list[Item] = getattr(content, step)
        if len(items) <= (1 if step == "findings" else 0):
            return False
        dropped = items.pop()
        content.shed.append(f"{_LABELS[step]} #{dropped.summary_number}")
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
    content.shed.append(f"a sentence of {item_name(longest)}")
    return True


def item_name(item: Item) -> str:
    """How a message names an item, as the summary does: "FINDING #3", "What?"."""
    return f"{item.label} #{item.summary_number}" if item.summary_number else item.label

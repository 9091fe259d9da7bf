"""What a template may show (Content and its Items, in whole sentence groups), and
how that content gives up one unit at a time when its teaser must shrink."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from crosspost.teasers.sentences import normalise, sentence_groups

_LISTS = ("thoughts", "backgrounds", "findings")
_NUMBERED = frozenset({"THOUGHT", "BACKGROUND", "FINDING"})
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
    (FINDING #3, even #0), which messages use. 0 for an unnumbered block (What?)."""

    label: str
    number: int
    all_groups: tuple[str, ...]
    kept: int
    summary_number: int | None = None
    # The whole text and the groups' end offsets, shared by every copy: shedding asks
    # for lengths again and again, and most posts show passages whole.
    _shared: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.summary_number is None:
            self.summary_number = self.number

    @classmethod
    def of(
        cls,
        label: str,
        number: int,
        text: str | None,
        summary_number: int | None = None,
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
            item.label,
            item.number,
            item.all_groups,
            item.kept,
            item.summary_number,
            item._shared,
        )

    @staticmethod
    def copies(items: list[Item]) -> list[Item]:
        return [
            Item(i.label, i.number, i.all_groups, i.kept, i.summary_number, i._shared)
            for i in items
        ]

    @property
    def groups(self) -> tuple[str, ...]:
        return self.all_groups[: self.kept]

    @property
    def text(self) -> str:
        if self.kept < len(self.all_groups):
            return " ".join(self.all_groups[: self.kept])
        whole: str | None = self._shared.get("text")
        if whole is None:
            whole = self._shared["text"] = " ".join(self.all_groups)
        return whole

    @property
    def length(self) -> int:
        """len(self.text), without joining it."""
        if not self.kept:
            return 0
        ends: list[int] | None = self._shared.get("ends")
        if ends is None:
            ends, total = [], -1
            for group in self.all_groups:
                total += len(group) + 1
                ends.append(total)
            self._shared["ends"] = ends
        return ends[self.kept - 1]

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

    def shallow(self) -> Content:
        """A copy whose fields may be set anew (`finding`, `hashtags`) while its items
        and lists stay shared: fitting sheds only from a `clone` of it."""
        copy = object.__new__(Content)
        copy.__dict__.update(self.__dict__)
        return copy

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


# One unit given up: the step and what it took ("findings", 3), ("hashtags", "#MS"),
# ("later_sentences", "FINDING #2"), ("what", None). Applying units by what they name,
# not by step, lets fitting give back any one of them.
Unit = tuple[str, object]


def shed_once(content: Content, step: str, uses: frozenset[str]) -> bool:
    """Give up the next unit of `step`; False when the step has nothing more to give."""
    unit = next_unit(content, step, uses)
    if unit is None:
        return False
    apply_unit(content, unit, uses)
    return True


def next_unit(content: Content, step: str, uses: frozenset[str]) -> Unit | None:
    """What `step` would give up next, or None when it has nothing more to give."""
    if step in _LISTS:
        items: list[Item] = getattr(content, step)
        if not items:
            return None
        # The headline finding is the one a recap gives up last.
        keep = content.headline.summary_number if content.headline else None
        later = [i for i in items if step != "findings" or i.summary_number != keep]
        return (step, (later or items)[-1].summary_number)
    if step in _SCALARS:
        return (step, None) if getattr(content, step) is not None else None
    if step == "hashtags":
        return (step, content.hashtags[-1]) if content.hashtags else None
    if step == "title":
        return (step, None) if content.title else None
    if step == "subtitle":
        return (step, None) if content.subtitle is not None else None
    if step == "later_sentences":
        candidates = [item for item in content.passages(uses) if item.kept > 1]
        if not candidates:
            return None
        return (step, item_name(max(candidates, key=lambda item: item.length)))
    return None


def apply_units(content: Content, units: Iterable[Unit], uses: frozenset[str]) -> None:
    """Give up each of `units`, a passage's later sentences all at once: the same as
    one by one, in a single pass however many there are."""
    sentences: dict[object, int] = {}
    for unit in units:
        if unit[0] == "later_sentences":
            sentences[unit[1]] = sentences.get(unit[1], 0) + 1
        else:
            apply_unit(content, unit, uses)
    if not sentences:
        return
    for item in content.passages(uses):
        name = item_name(item)
        times = min(sentences.pop(name, 0), item.kept - 1)
        if times > 0:
            item.kept -= times
            content.shed.extend([f"a sentence of {name}"] * times)


def apply_unit(content: Content, unit: Unit, uses: frozenset[str]) -> None:
    """Give up `unit` (as `next_unit` named it), noting it in `content.shed`."""
    step, target = unit
    if step in _LISTS:
        items: list[Item] = getattr(content, step)
        for index, item in enumerate(items):
            if item.summary_number == target:
                del items[index]
                content.shed.append(f"{_LABELS[step]} #{target}")
                return
    elif step in _SCALARS and getattr(content, step) is not None:
        setattr(content, step, None)
        content.shed.append(_LABELS[step])
    elif step == "hashtags" and target in content.hashtags:
        content.hashtags.remove(str(target))
        content.shed.append(str(target))
    elif step == "title" and content.title:
        content.title, content.subtitle = "", None
        content.shed.append("the title")
    elif step == "subtitle" and content.subtitle is not None:
        content.subtitle = None
        content.shed.append("the title's subtitle")
    elif step == "later_sentences":
        for item in content.passages(uses):
            if item_name(item) == target and item.kept > 1:
                item.kept -= 1
                content.shed.append(f"a sentence of {target}")
                return


def item_name(item: Item) -> str:
    """How a message names an item, as the summary does: "FINDING #3", "What?"."""
    if item.label in _NUMBERED:
        return f"{item.label} #{item.summary_number}"
    return item.label

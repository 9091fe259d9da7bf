"""Fitting: shedding in declared order, whole sentences only, honest errors."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosspost.teasers.content import Content, Item, shed_once
from crosspost.teasers.fit import FitError, fit
from crosspost.teasers.sentences import sentence_groups


@dataclass(frozen=True)
class LengthRule:
    """A stand-in rule counting code points, with LinkedIn-like escaping of '('."""

    platform: str = "testnet"
    limit: int = 200
    escape: bool = False
    max_tags: int | None = None

    def wire(self, text: str) -> str:
        return text.replace("(", "\\(") if self.escape else text

    def count(self, text: str) -> int:
        return len(text)

    def problems(self, text: str) -> list[str]:
        tags = text.count("#")
        if self.max_tags is not None and tags > self.max_tags:
            return [f"{tags} hashtags (at most {self.max_tags})"]
        return []


def _content(finding: str, *, thoughts: int = 0, backgrounds: int = 0) -> Content:
    item = Item.of("FINDING", 1, finding)
    assert item is not None
    return Content(
        title="Vitamin D and relapses in MS",
        finding=item,
        thoughts=[
            Item("THOUGHT", n, (f"Thought {n} is here.",), 1) for n in range(thoughts)
        ],
        backgrounds=[
            Item("BACKGROUND", n, (f"Background {n} is here.",), 1)
            for n in range(backgrounds)
        ],
        hashtags=["#MSResearch", "#Myelin"],
    )


def _render(content: Content) -> str:
    lines = [content.full_title, content.finding.text if content.finding else ""]
    lines += [item.text for item in content.backgrounds + content.thoughts]
    lines.append(" ".join(content.hashtags))
    return "\n".join(line for line in lines if line)


USES = frozenset({"title", "finding", "thoughts", "backgrounds", "hashtags"})
SHED = ("thoughts", "backgrounds", "hashtags", "later_sentences")


def _fit(content: Content, rule: LengthRule, shed: tuple[str, ...] = SHED) -> str:
    fitted = fit(
        content,
        _render,
        rule,
        shed=shed,
        uses=USES,
        what="testnet finding-1",
        template_path="templates/testnet/finding.j2",
    )
    assert fitted.count == rule.count(fitted.wire) <= rule.limit
    return fitted.wire


def test_short_teaser_is_untouched() -> None:
    """A teaser already within the limit sheds nothing."""
    content = _content("Relapses fell by a third.", thoughts=2)
    fitted = fit(
        content,
        _render,
        LengthRule(),
        shed=SHED,
        uses=USES,
        what="t",
        template_path="t",
    )
    assert fitted.shed == ()
    assert "Thought 1 is here." in fitted.wire


def test_sheds_in_declared_order_and_only_as_needed() -> None:
    """Thoughts go (last first) before backgrounds, and shedding stops once it fits."""
    content = _content("Relapses fell by a third.", thoughts=2, backgrounds=2)
    full = len(_render(content))
    text = _fit(content, LengthRule(limit=full - 10))
    assert "Thought 1" not in text
    assert "Thought 0" in text
    assert "Background 1" in text
    assert content.shed == ["THOUGHT #1"]


def test_declared_order_is_respected() -> None:
    """With backgrounds declared first, backgrounds go before thoughts."""
    content = _content("Relapses fell.", thoughts=1, backgrounds=1)
    text = _fit(
        content,
        LengthRule(limit=len(_render(content)) - 5),
        ("backgrounds", "thoughts"),
    )
    assert "Background" not in text
    assert "Thought 0" in text


def test_later_sentences_keep_the_first_and_the_qualifier() -> None:
    """Shortening drops whole later sentences; a 'However' stays with its claim."""
    finding = (
        "Relapses fell by a third in two years. However, disability did not change. "
        "The effect was largest in younger people. Dropouts were rare in both groups."
    )
    text = _fit(_content(finding), LengthRule(limit=130), ("later_sentences",))
    assert (
        "Relapses fell by a third in two years. However, disability did not change."
        in text
    )
    assert "Dropouts" not in text


def test_cannot_fit_honestly_raises_with_details() -> None:
    """With every step spent, the error says platform, teaser, overage, what to cut."""
    finding = (
        "Relapses fell by a third in two years among 120 people with relapsing MS."
    )
    with pytest.raises(FitError) as info:
        _fit(_content(finding), LengthRule(limit=60), ("hashtags",))
    message = str(info.value)
    assert "testnet finding-1" in message
    assert "over the testnet limit" in message
    over = len(_render(_content(finding))) - len("#MSResearch #Myelin") - 1 - 60
    assert f"{over} over" in message
    assert "FINDING #1" in message
    assert "templates/testnet/finding.j2" in message


def test_count_is_of_the_wire_text() -> None:
    """The limit applies to the text as sent, escapes included."""
    finding = "Twelve people (all with MS) took part."
    plain = len(_render(_content(finding)))
    with pytest.raises(FitError, match="1 over"):
        _fit(_content(finding), LengthRule(limit=plain, escape=True), ())


def test_problems_are_shed_or_reported() -> None:
    """A rule problem (too many hashtags) is shed, or an error if it stays."""
    text = _fit(_content("Relapses fell."), LengthRule(max_tags=1), ("hashtags",))
    assert text.count("#") == 1
    with pytest.raises(FitError, match="2 hashtags"):
        _fit(_content("Relapses fell."), LengthRule(max_tags=1), ())


def test_subtitle_is_shed_whole() -> None:
    """The 'subtitle' step drops everything after the title's colon, nothing less."""
    main, subtitle = Content.split_title(
        "Vitamin D in MS: a randomised, controlled trial"
    )
    content = Content(title=main, subtitle=subtitle)
    assert shed_once(content, "subtitle", frozenset())
    assert content.full_title == "Vitamin D in MS"
    assert not shed_once(content, "subtitle", frozenset())


def test_findings_step_gives_up_the_headline_finding_last() -> None:
    """A recap loses its findings from the last, the headline finding last of all."""
    findings = [Item("FINDING", n, ("x.",), 1) for n in (1, 2, 3)]
    content = Content(title="t", findings=findings, headline=Item.copy(findings[1]))
    while shed_once(content, "findings", frozenset({"findings"})):
        pass
    assert content.findings == []
    assert content.shed == ["FINDING #3", "FINDING #1", "FINDING #2"]


def test_take_back_gives_back_a_finding_shed_before_the_one_in_the_way() -> None:
    """Shedding a long headline finding makes room: a shorter one shed before it is
    given back (the recap then quotes what fits rather than nothing)."""
    long = Item("FINDING", 1, ("Relapses fell by a third. " * 12,), 1)
    short = Item("FINDING", 2, ("Side effects were mild.",), 1)
    content = Content(title="t", findings=[long, short], headline=Item.copy(long))

    def render(content: Content) -> str:
        return "\n".join(item.text for item in content.findings)

    fitted = fit(
        content,
        render,
        LengthRule(limit=100),
        shed=("findings",),
        uses=frozenset({"findings"}),
        what="testnet recap",
        template_path="templates/testnet/recap.j2",
    )
    assert fitted.wire == "Side effects were mild."
    assert fitted.shed == ("FINDING #1",)


def test_shedding_a_clone_leaves_the_original_whole() -> None:
    """Fitting tries shedding on clones; the content it started from is untouched."""
    content = _content(
        "Relapses fell. Lesions were fewer. Side effects were mild.", thoughts=2
    )
    content.findings = [Item("FINDING", 1, ("a.", "b."), 2, 3)]
    clone = content.clone()
    for step in ("thoughts", "hashtags", "later_sentences", "title"):
        while shed_once(clone, step, USES | {"findings"}):
            pass
    assert clone.shed
    assert content.shed == []
    assert content.title == "Vitamin D and relapses in MS"
    assert len(content.thoughts) == 2
    assert content.hashtags == ["#MSResearch", "#Myelin"]
    assert content.finding is not None
    assert content.finding.kept == 3
    assert (content.findings[0].kept, content.findings[0].summary_number) == (2, 3)


def test_shed_findings_are_named_as_the_summary_numbers_them() -> None:
    """FINDING #3 at position 2 is given up as 'FINDING #3'."""
    content = Content(
        title="t",
        findings=[Item("FINDING", 1, ("x.",), 1), Item("FINDING", 2, ("y.",), 1, 3)],
    )
    assert shed_once(content, "findings", frozenset({"findings"}))
    assert content.shed == ["FINDING #3"]


SENTENCE = st.sampled_from(
    [
        "Relapses fell by 2.5 percent.",
        "However, disability did not change.",
        "Lesions (on MRI) were fewer.",
        "These results may not apply to progressive MS.",
        "See https://example.org/a.b for details.",
        "Only 12 people took part.",
        "Side effects, e.g. Headache, were mild.",
        "The trial ran for two years in Norway.",
    ]
)


@given(
    st.lists(SENTENCE, min_size=1, max_size=8), st.integers(min_value=40, max_value=400)
)
def test_fitted_text_is_always_whole_sentence_groups(
    sentences: list[str], limit: int
) -> None:
    """Whatever the limit, a fitted finding is whole sentence groups, or FitError."""
    finding = " ".join(sentences)
    content = _content(finding)
    try:
        _fit(content, LengthRule(limit=limit))
    except FitError:
        return
    assert content.finding is not None
    kept = content.finding.text
    groups = sentence_groups(finding)
    assert kept in {" ".join(groups[:n]) for n in range(1, len(groups) + 1)}


def test_units_shed_early_are_taken_back_when_later_steps_made_room() -> None:
    """Hashtags shed before the title come back once dropping the title made room."""
    content = _content("Relapses fell by a third.")
    content.title = "A very long title " * 8
    fitted = fit(
        content,
        _render,
        LengthRule(limit=60),
        shed=["hashtags", "title"],
        uses=frozenset({"finding"}),
        what="testnet announce",
        template_path="t.j2",
    )
    assert "#MSResearch #Myelin" in fitted.wire
    assert fitted.shed == ("the title",)
    assert content.hashtags == ["#MSResearch", "#Myelin"]


def test_error_carries_the_overage_and_quotes_the_sentence() -> None:
    """`over` is the excess; a one-sentence finding is quoted with 'by at least N'."""
    finding = "Relapses fell by a third in two years among 120 people with MS."
    with pytest.raises(FitError) as info:
        _fit(_content(finding), LengthRule(limit=60), SHED)
    error = info.value
    assert error.over == len(f"Vitamin D and relapses in MS\n{finding}") - 60
    assert error.message.startswith(f"testnet finding-1: {error.over} over the")
    assert "(“Relapses fell by a third in two years …”, 63 characters)" in str(
        error.hint
    )
    assert f"by at least {error.over}" in str(error.hint)
    assert (error.platform, error.key) == (None, None)
    assert error.located("testnet", "finding", "finding-1").key == "finding-1"


def test_error_names_the_first_sentence_when_only_it_is_left() -> None:
    """Shed down to its first sentence, the finding's first sentence is what to cut."""
    finding = (
        "Relapses fell by a third in two years among 120 people with MS. "
        "Lesions were fewer. Side effects were mild."
    )
    with pytest.raises(FitError) as info:
        _fit(_content(finding), LengthRule(limit=60), SHED)
    assert "FINDING #1 is down to its first sentence" in info.value.message
    assert "shorten FINDING #1's first sentence (“Relapses fell" in str(info.value.hint)


def test_problems_without_overage_have_no_over() -> None:
    """A problem other than length leaves `over` empty and names the problem."""
    with pytest.raises(FitError) as info:
        _fit(_content("Lesions fell."), LengthRule(max_tags=1), ())
    assert info.value.over is None
    assert "2 hashtags" in info.value.message


def test_problem_hint_says_to_take_out_what_is_refused() -> None:
    """A refused element is not fixed by shortening, and the hint says so."""
    with pytest.raises(FitError) as info:
        _fit(_content("Lesions fell."), LengthRule(max_tags=1), ())
    assert str(info.value.hint).startswith("take out what testnet refuses")

"""Tests for the plain-text reader: the house format and the drift seen in real ones."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosspost.errors import CrosspostError
from crosspost.summaries.errors import ParseError
from crosspost.summaries.model import Paragraph, Summary
from crosspost.summaries.text import parse_text

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "summaries"
EXAMPLES = ROOT / "examples" / "summaries"


def read(name: str) -> Summary:
    path = DATA / name
    return parse_text(path.read_bytes().decode("utf-8"), name)


def with_label(line: str) -> Summary:
    """A summary whose only paragraph is `line`."""
    return parse_text(f"Research Summary: A label test\n\n{line}\n", "t.txt")


def texts(paragraphs: tuple[Paragraph, ...]) -> list[tuple[int, str]]:
    return [(p.number, p.text) for p in paragraphs]


def test_demo_summary_reads_every_section() -> None:
    """The canonical demo gives title, the four blocks and numbered paragraphs."""
    summary = parse_text((EXAMPLES / "stem-cells.txt").read_text("utf-8"), "demo")
    assert summary.title.startswith("Intrathecal mesenchymal stem cells")
    assert summary.intro.startswith("Progressive forms of MS")
    assert summary.what is not None
    assert summary.what.startswith("The paper reports MESO-SP")
    assert None not in (summary.who, summary.where, summary.when)
    assert [p.number for p in summary.backgrounds] == [1, 2]
    assert [p.number for p in summary.findings] == [1, 2, 3, 4]
    assert [p.number for p in summary.thoughts] == [1, 2]
    assert summary.warnings == ()


def test_demo_drops_sign_off_and_reader_comments() -> None:
    """Nothing after the sign-off is read: no comment, no reader's 'FINDING #2:'."""
    summary = parse_text((EXAMPLES / "stem-cells.txt").read_text("utf-8"), "demo")
    everything = " ".join(p.text for p in summary.findings + summary.thoughts)
    assert "headache rate normal" not in everything
    assert "As always" not in everything
    assert summary.findings[1].text.startswith("The treatment was safe.")


def test_whitespace_inside_paragraphs_is_normalised() -> None:
    """Double spaces after full stops and labels collapse to one; words stay exact."""
    summary = parse_text((EXAMPLES / "stem-cells.txt").read_text("utf-8"), "demo")
    assert summary.backgrounds[0].text == (
        "Mesenchymal stem cells are found in bone marrow and fat tissue. In the "
        "laboratory "
        "they release factors that calm inflammation and support nerve cells, rather "
        "than "
        "becoming nerve cells themselves."
    )


def test_labels_in_every_case_spacing_and_separator() -> None:
    """`Background #1 :`, `Finding #2 -`, `FINDING 3:`, dashes, `THOUGHT#1 :` read."""
    summary = read("labels-mixed.txt")
    assert summary.title == (
        "Label drift in a study of cognitive screening in multiple sclerosis"
    )
    assert texts(summary.backgrounds) == [
        (1, "Slowed processing speed is often the first cognitive change in MS."),
        (2, "Paper-based tests need a trained examiner and take longer."),
    ]
    assert texts(summary.findings) == [
        (1, "The tablet test took a median of 4.5 minutes to complete."),
        (2, "Scores agreed closely with the standard paper test (r = 0.82)."),
        (3, "About one in four participants scored below the expected range."),
        (4, "Older participants were no slower to learn the tablet itself."),
        (5, "Nurses could run the test without special training."),
    ]
    assert [p.number for p in summary.thoughts] == [1, 2, 3]
    assert (
        summary.thoughts[1].text
        == "A five-minute test does not replace a full assessment."
    )


@pytest.mark.parametrize(
    ("line", "number", "text"),
    [
        ("FINDING #2: Relapses fell.", 2, "Relapses fell."),
        ("Finding #2 - Relapses fell.", 2, "Relapses fell."),
        ("FINDING 2: Relapses fell.", 2, "Relapses fell."),
        ("finding #2 : Relapses fell.", 2, "Relapses fell."),
        ("FINDING#2 :Relapses fell.", 2, "Relapses fell."),
        ("Finding # 2 – Relapses fell.", 2, "Relapses fell."),
        ("FINDING #2—Relapses fell.", 2, "Relapses fell."),
        ("Findings #2: Relapses fell.", 2, "Relapses fell."),
        ("FINDING #2:   Relapses   fell.  ", 2, "Relapses fell."),
        ("FINDING #12: - a list follows", 12, "- a list follows"),
    ],
)
def test_one_label_form(line: str, number: int, text: str) -> None:
    """Each spelling of a FINDING label gives its number and the text after it."""
    summary = with_label(line)
    assert texts(summary.findings) == [(number, text)]


@pytest.mark.parametrize(
    "line",
    [
        "**FINDING #2:** Relapses fell.",
        "**FINDING #2**: Relapses fell.",
        "**Finding #2 -** Relapses fell.",
        "__Finding #2 –__ Relapses fell.",
        "*FINDING #2:* Relapses fell.",
        "\u200bFINDING #2: Relapses\u00ad fell.",
    ],
)
def test_label_copied_from_the_web(line: str) -> None:
    """Bold markers around a label and invisible characters before it are not text."""
    summary = with_label(line)
    assert texts(summary.findings) == [(2, "Relapses fell.")]


def test_asterisks_after_a_plain_label_stay() -> None:
    """Only a label that opens with bold loses a closing bold marker."""
    doc = "Research Summary: T\n\nFINDING #1: **Most** improved.\n"
    assert texts(parse_text(doc, "t.txt").findings) == [(1, "**Most** improved.")]


@pytest.mark.parametrize(
    ("head", "title", "intro"),
    [
        ("**Research Summary: Heat and MS**", "Heat and MS", ""),
        ("**Research Summary:** Heat and MS", "Heat and MS", ""),
        ("Research Summary: Heat and\nMS in summer", "Heat and MS in summer", ""),
        ("Research Summary:\nHeat and MS", "Heat and MS", ""),
        ("Research Summary: Heat and MS\nA hot topic.", "Heat and MS", "A hot topic."),
    ],
)
def test_title_bold_or_wrapped(head: str, title: str, intro: str) -> None:
    """A bold title loses its markers; a wrapped one joins unless a sentence ends it."""
    summary = parse_text(f"{head}\n\nFINDING #1: Real.\n", "t.txt")
    assert (summary.title, summary.intro) == (title, intro)


def test_hyphen_without_space_is_not_a_separator() -> None:
    """`Finding 2-fold` is prose, not a label: a hyphen must be followed by a space."""
    doc = "Research Summary: T\n\nFINDING #1: ok.\nFinding 2-fold rises were rare.\n"
    summary = parse_text(doc, "t.txt")
    assert texts(summary.findings) == [(1, "ok. Finding 2-fold rises were rare.")]


def test_label_alone_takes_the_next_paragraph() -> None:
    """A label alone on its line (a heading) takes the paragraph below as its text."""
    doc = "Research Summary: T\n\nFINDING 1\n\nThe text below the heading.\n"
    assert texts(parse_text(doc, "t.txt").findings) == [
        (1, "The text below the heading.")
    ]


def test_crlf_line_endings_and_unicode_text() -> None:
    """CRLF files read like LF; curly quotes, dashes, accents, Greek and emoji stay."""
    raw = (DATA / "crlf-unicode.txt").read_bytes()
    assert b"\r\n" in raw
    summary = read("crlf-unicode.txt")
    assert summary.title.endswith(
        "“brain fog” in multiple sclerosis: a cohort from Zürich and Łódź"
    )
    assert summary.who == (
        "The study was led by Dr Zoë Müller-Åberg and Prof. Jiří Dvořák, with "
        "colleagues "
        "in São Paulo."
    )
    assert summary.findings[0].text == (
        "Higher homocysteine levels – above 15 µmol/L – were linked with slower "
        "processing "
        "speed (β = −0.21; 95% CI −0.34 to −0.08)."
    )
    assert summary.findings[1].text.endswith("— a modest but consistent gap 😊.")
    assert summary.intro.endswith("reported by people with MS 🧠.")
    lf = parse_text(raw.decode("utf-8").replace("\r\n", "\n"), "crlf-unicode.txt")
    assert lf.content_hash == summary.content_hash


def test_no_thoughts() -> None:
    """A summary without THOUGHTs has an empty tuple of them and no warning."""
    summary = read("no-thoughts.txt")
    assert summary.thoughts == ()
    assert len(summary.findings) == 2
    assert summary.warnings == ()


def test_single_finding() -> None:
    """One FINDING is enough."""
    summary = read("single-finding.txt")
    assert [p.number for p in summary.findings] == [1]
    assert [p.number for p in summary.backgrounds] == [1]


def test_five_findings() -> None:
    """Five FINDINGs are read in order."""
    summary = read("five-findings.txt")
    assert [p.number for p in summary.findings] == [1, 2, 3, 4, 5]
    assert (
        summary.findings[4].text
        == "Most babies were born at term with a normal birth weight."
    )


def test_brackets_symbols_tags_names_and_urls_kept_exactly() -> None:
    """Brackets, `*`, `_`, #tags, @names and URLs (with parens, before a stop) stay."""
    summary = read("rich-punctuation.txt")
    assert summary.findings[0].text == (
        "The app [version 2.1] was used by 64 people (aged 25–60) for *twelve* weeks; "
        "the "
        "primary_outcome was the 6-minute walk (6MW). Details are on the project page "
        "at "
        "https://example.org/apps/rehab_(v2)/results and in the protocol "
        "(https://example.org/protocol?id=42&arm=b). Follow @RehabLab_MS and #MSRehab "
        "for "
        "updates, or read the preprint at https://example.org/preprint/2024.03.01."
    )
    assert "@MSResearchTeam" in summary.intro
    assert "#MSAwareness" in summary.intro


def test_colon_inside_a_paragraph_is_not_a_label() -> None:
    """`a ratio of 2:1` and `Note: …` stay in their paragraph."""
    summary = read("colons.txt")
    assert (
        summary.title
        == "Ratios and notes: colons inside paragraphs of an MS diet study"
    )
    assert summary.intro == "Note: this intro has a colon but is not a label."
    assert summary.findings[0].text.endswith(
        "in a ratio of 2:1 to the diet or usual eating."
    )
    assert summary.findings[1].text == (
        "Note: adherence was self-reported at 08:30 each morning. Result: weight fell "
        "by 3%."
    )


def test_boilerplate_and_comments_mentioning_findings_are_dropped() -> None:
    """The comment quoting `Finding #2:` and `FINDING #3:` never becomes a finding."""
    summary = read("comments-after.txt")
    assert [p.number for p in summary.findings] == [1, 2]
    assert summary.findings[1].text == "The benefit grew with each year since stopping."
    assert (
        summary.thoughts[0].text == "Stop-smoking support belongs in every MS clinic."
    )


@pytest.mark.parametrize(
    "boilerplate",
    [
        "As always, if you have any questions for Sam, please comment below.",
        "As always if you have questions, ask below.",
        "You can find us on FacebookTwitterYouTubeInstagram and LinkedIn.",
        "One Response",
        "12 Responses",
        "2 Comments",
        "3 Responses to “Research Summary: T”",
        "One thought on “Research Summary: T”",
        "Leave a Reply",
        "Leave a Comment",
        "Your email address will not be published. Required fields are marked *",
        "This site uses Akismet to reduce spam.",
        "Share this:",
        "As ever, if you've got any questions, ask below.",
        "If you have questions about this study, please comment below.",
        "As always, we welcome your questions – join the conversation on social media.",
        "Follow us on Instagram.",
        "Find us on Facebook.",
    ],
)
def test_each_boilerplate_line_ends_the_content(boilerplate: str) -> None:
    """Each kind of web boilerplate stops reading; the FINDING after it is ignored."""
    doc = f"Research Summary: T\n\nFINDING #1: Real.\n\n{boilerplate}\n\n"
    doc += "FINDING #2: Comment.\n"
    assert texts(parse_text(doc, "t.txt").findings) == [(1, "Real.")]


@pytest.mark.parametrize(
    "prose",
    [
        "Two comments are worth making first.",
        "If you have any questions about relapses, your MS nurse can help.",
        "Related studies found the same.",
        "Two comments on these results are worth making first.",
        "No comments on safety were made by the participants.",
    ],
)
def test_prose_resembling_boilerplate_is_kept(prose: str) -> None:
    """Prose that starts like boilerplate is a real paragraph and reading goes on."""
    doc = f"Research Summary: T\n\n{prose}\n\nFINDING #1: Real.\n"
    assert parse_text(doc, "t.txt").intro == prose


def test_weak_sign_off_inside_a_paragraph_is_text() -> None:
    """`If you have any questions…` only ends the content when it starts a paragraph."""
    doc = "Research Summary: T\n\nFINDING #1: Real.\nIf you have questions, comment.\n"
    assert texts(parse_text(doc, "t.txt").findings) == [
        (1, "Real. If you have questions, comment.")
    ]


def test_transition_before_thoughts_is_not_a_finding() -> None:
    """The lead-in before the THOUGHTs and a closing line are transitions, dropped."""
    summary = read("transition.txt")
    assert (
        summary.findings[1].text
        == "Cooling vests reduced the time to return to baseline by half."
    )
    assert [p.text for p in summary.thoughts] == [
        "The study ran in summer only.",
        "Vests were provided free of charge, which may not reflect real life.",
    ]
    assert summary.warnings == ()


def test_continuation_rule() -> None:
    """After `:`, inside a FINDING run, or in lower case, a paragraph continues."""
    summary = read("continuation.txt")
    assert texts(summary.findings) == [
        (
            1,
            "Three outcomes were measured: - contrast sensitivity, - colour vision, "
            "and - "
            "reading speed.",
        ),
        (
            2,
            "Contrast sensitivity improved in the treated eye. A second paragraph of "
            "finding "
            "two, which sits between FINDING #2 and FINDING #3.",
        ),
        (
            3,
            "Reading speed did not change, although participants felt more confident. "
            "which "
            "the authors put down to the practice effect.",
        ),
    ]
    assert summary.warnings == (
        "line 5: paragraph read as part of FINDING #1",
        "line 11: paragraph read as part of FINDING #2",
        "line 16: paragraph read as part of FINDING #3",
    )


def test_what_who_where_when_in_any_order_case_and_spacing() -> None:
    """`WHEN?   `, `who ?`, `Where:` and an inline `What? …` are all read."""
    summary = read("fields-shuffled.txt")
    assert summary.what == (
        "A study of shingles vaccine response in people taking anti-CD20 therapy."
    )
    assert summary.who == "A team at an invented vaccine centre."
    assert summary.where == "The journal of examples."
    assert summary.when == "Published in April 2024."
    assert summary.intro == "Intro paragraph."


def test_missing_what_blocks_are_silent() -> None:
    """Without What?/Who?/Where?/When? the fields are None and nothing is warned."""
    summary = read("fields-missing.txt")
    assert (summary.what, summary.who, summary.where, summary.when) == (None,) * 4
    assert summary.warnings == ()


def test_second_what_block_is_read_as_text_with_a_warning() -> None:
    """A repeated `What?` does not overwrite the first; it is reported."""
    doc = "Research Summary: T\n\nWhat? First.\n\nWhat? Second.\n\nFINDING #1: F.\n"
    summary = parse_text(doc, "t.txt")
    assert summary.what == "First.\n\nSecond."
    assert summary.warnings == ("line 5: a second 'What?', read as text",)


def test_numbering_gap_parses_with_a_warning() -> None:
    """FINDING #1 then #3 is usable: both are kept and the gap is warned about."""
    summary = read("numbering-gap.txt")
    assert [p.number for p in summary.findings] == [1, 3]
    assert summary.warnings == ("line 3: no FINDING #2 (a numbering gap)",)


def test_out_of_order_numbers_warn() -> None:
    """Numbers out of order are kept as written and reported."""
    doc = "Research Summary: T\n\nFINDING #2: B.\n\nFINDING #1: A.\n"
    summary = parse_text(doc, "t.txt")
    assert [p.number for p in summary.findings] == [2, 1]
    assert summary.warnings == ("line 3: FINDINGs are numbered out of order (2, 1)",)


@pytest.mark.parametrize(
    "line",
    [
        "Research Summary: Cooling and MS",
        "RESEARCH SUMMARY - Cooling and MS",
        "research summary – Cooling and MS",
        "Research  Summary —Cooling and MS",
        "Research-Summary:Cooling and MS",
        "  Research Summary :  Cooling   and MS  ",
    ],
)
def test_title_prefix_in_any_form_is_removed(line: str) -> None:
    """The `Research Summary:` prefix goes in any case, spacing or dash form."""
    summary = parse_text(f"{line}\n\nFINDING #1: F.\n", "t.txt")
    assert summary.title == "Cooling and MS"
    assert summary.warnings == ()


def test_title_without_prefix_warns() -> None:
    """A first line without the prefix is still the title, with a warning."""
    summary = parse_text("Cooling and MS\n\nFINDING #1: F.\n", "t.txt")
    assert summary.title == "Cooling and MS"
    assert summary.warnings == ("line 1: title does not start 'Research Summary:'",)


def test_no_title_is_an_error() -> None:
    """A file starting with a label has no title: ParseError at that line, a hint."""
    with pytest.raises(ParseError) as caught:
        read("no-title.txt")
    assert caught.value.line == 2
    assert "expected a title" in str(caught.value)
    assert caught.value.hint is not None
    assert "Research Summary:" in caught.value.hint
    assert isinstance(caught.value, CrosspostError)


@pytest.mark.parametrize(
    "doc", ["", "   \n\n  \n", "Research Summary:  \n\nFINDING #1: F."]
)
def test_empty_or_untitled_text_is_an_error(doc: str) -> None:
    """Blank input, or a prefix with no paper title after it, is a ParseError."""
    with pytest.raises(ParseError, match="title"):
        parse_text(doc, "t.txt")


def test_no_findings_is_an_error() -> None:
    """Unlabelled findings are not guessed: ParseError naming what was expected."""
    with pytest.raises(ParseError) as caught:
        read("no-findings.txt")
    assert "no FINDING paragraph found" in str(caught.value)
    assert caught.value.hint is not None
    assert "FINDING #1:" in caught.value.hint


def test_findings_only_in_comments_is_an_error_naming_the_boilerplate() -> None:
    """Findings after the sign-off do not count; the error says where reading ends."""
    doc = "Research Summary: T\n\nIntro.\n\nLeave a Reply\n\nFINDING #1: A comment.\n"
    with pytest.raises(
        ParseError, match="before the web boilerplate at line 5"
    ) as caught:
        parse_text(doc, "t.txt")
    assert caught.value.line == 5


def test_empty_finding_is_an_error() -> None:
    """`FINDING #2:` with no text names line 5."""
    with pytest.raises(ParseError, match="FINDING #2 has no text") as caught:
        read("empty-finding.txt")
    assert caught.value.line == 5
    assert str(caught.value).startswith("empty-finding.txt:5: ")


def test_empty_label_at_end_is_an_error() -> None:
    """A trailing label with nothing after it is empty too."""
    with pytest.raises(ParseError, match="THOUGHT #1 has no text"):
        parse_text("Research Summary: T\n\nFINDING #1: F.\n\nTHOUGHT #1:\n", "t.txt")


def test_duplicated_number_is_an_error() -> None:
    """Two FINDING #2 paragraphs: ParseError at the second, pointing at the first."""
    with pytest.raises(
        ParseError, match=r"FINDING #2 appears twice \(see line 5\)"
    ) as caught:
        read("duplicate-finding.txt")
    assert caught.value.line == 7


INVISIBLE = "\u200b\u2060\ufeff\u00ad"


def _normalised(text: str) -> str:
    """Whitespace collapsed; invisible characters (soft hyphen, zero-width) dropped."""
    return " ".join(text.translate(dict.fromkeys(map(ord, INVISIBLE))).split())


_LINE_SAFE = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
_PHRASE = st.text(_LINE_SAFE, min_size=1, max_size=60).filter(
    lambda s: _normalised(s) != ""
)


@given(
    title=_PHRASE,
    backgrounds=st.lists(_PHRASE, max_size=3),
    findings=st.lists(_PHRASE, min_size=1, max_size=5),
    thoughts=st.lists(_PHRASE, max_size=3),
    spacing=st.sampled_from(["\n\n", "\n\n\n", "\r\n\r\n", "\n"]),
)
def test_generated_summaries_round_trip(
    title: str,
    backgrounds: list[str],
    findings: list[str],
    thoughts: list[str],
    spacing: str,
) -> None:
    """A well-formed generated summary parses back to the same numbered paragraphs."""
    parts = [f"Research Summary: {title}"]
    for kind, paragraphs in (
        ("BACKGROUND", backgrounds),
        ("FINDING", findings),
        ("THOUGHT", thoughts),
    ):
        parts += [f"{kind} #{n}: {text}" for n, text in enumerate(paragraphs, 1)]
    summary = parse_text(spacing.join(parts), "generated.txt")
    assert summary.title == _normalised(title)
    assert texts(summary.findings) == [
        (n, _normalised(t)) for n, t in enumerate(findings, 1)
    ]
    assert texts(summary.backgrounds) == [
        (n, _normalised(t)) for n, t in enumerate(backgrounds, 1)
    ]
    assert texts(summary.thoughts) == [
        (n, _normalised(t)) for n, t in enumerate(thoughts, 1)
    ]


def test_labels_without_the_usual_punctuation() -> None:
    """`#2 Two`, `No. 3:`, `#4.`, `(5):`, `6)`, `THOUGHT #1 no…`, `THOUGHT:` read."""
    summary = read("labels-loose.txt")
    assert texts(summary.backgrounds) == [
        (1, "Fatigue affects most people with MS at some point.")
    ]
    assert texts(summary.findings) == [
        (1, "Fatigue scores fell by a third with the programme."),
        (2, "Two has no colon."),
        (3, "Sleep quality improved as well."),
        (4, "Benefits lasted six months."),
        (5, "Few people dropped out."),
        (
            6,
            "Costs were low. Finding 7 was confirmed in a second cohort, the "
            "authors add.",
        ),
    ]
    assert texts(summary.thoughts) == [
        (1, "no colon after this label."),
        (2, "The programme needs testing outside trials."),
    ]
    assert summary.warnings == (
        "line 3: BACKGROUND without a number, read as BACKGROUND #1",
        "line 17: 'Finding 7 was confirmed …' starts like a label but is not one"
        " (a label reads 'FINDING #1: …'); read as part of FINDING #6",
        "line 23: THOUGHT without a number, read as THOUGHT #2",
    )


@pytest.mark.parametrize(
    "line",
    [
        "FINDING #2 Relapses fell.",
        "Finding # 2\tRelapses fell.",
        "Finding 2. Relapses fell.",
        "Finding 2) Relapses fell.",
        "Finding No. 2: Relapses fell.",
        "finding no 2 – Relapses fell.",
        "Finding Nr. 2 - Relapses fell.",
        "Finding (2): Relapses fell.",
        "Finding ( 2 ) Relapses fell.",
        "**FINDING #2** Relapses fell.",
        "**Finding No. 2:** Relapses fell.",
        "**Finding (2)** Relapses fell.",
    ],
)
def test_one_loose_label_form(line: str) -> None:
    """Each loose spelling of a FINDING label gives its number and the text after it."""
    summary = with_label(line)
    assert texts(summary.findings) == [(2, "Relapses fell.")]
    assert summary.warnings == ("line 3: no FINDING #1 (a numbering gap)",)


@pytest.mark.parametrize("label", ["FINDING #1.", "Finding (1)", "Finding:"])
def test_loose_label_alone_takes_the_next_paragraph(label: str) -> None:
    """A loose label alone on its line is a heading: the text is the next paragraph."""
    doc = f"Research Summary: T\n\n{label}\n\nThe text below the heading.\n"
    assert texts(parse_text(doc, "t.txt").findings) == [
        (1, "The text below the heading.")
    ]


def test_loose_label_on_a_line_after_a_sentence_starts_a_paragraph() -> None:
    """Without blank lines, `FINDING #2 Two` after a full stop is the next label."""
    doc = "Research Summary: T\n\nFINDING #1: One.\nFINDING #2 Two.\nFinding: Three.\n"
    assert texts(parse_text(doc, "t.txt").findings) == [
        (1, "One."),
        (2, "Two."),
        (3, "Three."),
    ]


@pytest.mark.parametrize(
    "wrapped",
    [
        "seen in the\nFINDING #2 above, which is odd.",
        "as the authors' main\nFinding: fitness gains did not explain it.",
        "as shown in\nFinding (2) earlier.",
    ],
)
def test_loose_label_inside_a_sentence_is_prose(wrapped: str) -> None:
    """A wrapped line opening with `FINDING #2 above` mid-sentence stays in its text."""
    doc = f"Research Summary: T\n\nFINDING #1: Gains were {wrapped}\n"
    summary = parse_text(doc, "t.txt")
    assert texts(summary.findings) == [(1, f"Gains were {' '.join(wrapped.split())}")]
    assert summary.warnings == ()


@pytest.mark.parametrize(
    "prose",
    [
        "Finding 2 was confirmed in a larger cohort.",
        "Finding 4.5 minutes was the median.",
        "Finding No. 2 matters most.",
        "FINDING #2.5 fold rises were rare.",
        "Findings: three, in all.",
        "THOUGHT 1 came later.",
    ],
)
def test_paragraph_starting_like_a_label_is_kept_with_a_warning(prose: str) -> None:
    """Prose opening like a label is no label, and is neither dropped nor silent."""
    doc = f"Research Summary: T\n\nFINDING #1: One.\n\n{prose}\n\nTHOUGHT #1: T.\n"
    summary = parse_text(doc, "t.txt")
    assert texts(summary.findings) == [(1, f"One. {prose}")]
    assert len(summary.warnings) == 1
    assert summary.warnings[0].startswith("line 5: '")
    assert summary.warnings[0].endswith("; read as part of FINDING #1")


def test_prose_like_a_label_at_the_start_stays_intro() -> None:
    """`Finding 2 was confirmed…` opening the intro is intro text, with a warning."""
    doc = "Research Summary: T\n\nFinding 2 was confirmed in mice.\n\nFINDING #1: F.\n"
    summary = parse_text(doc, "t.txt")
    assert summary.intro == "Finding 2 was confirmed in mice."
    assert summary.warnings[0].endswith("; read as text")


def test_label_word_mid_sentence_is_never_a_label() -> None:
    """`the finding #2: …` inside a line is text, whatever follows it."""
    doc = "Research Summary: T\n\nFINDING #1: As in the finding #2: relapses fell.\n"
    assert texts(parse_text(doc, "t.txt").findings) == [
        (1, "As in the finding #2: relapses fell.")
    ]


def test_prose_like_a_label_after_a_transition_is_not_dropped() -> None:
    """A transition is dropped, but `Thought 1 was…` after it joins the last label."""
    doc = (
        "Research Summary: T\n\nFINDING #1: One.\n\nNow some thoughts.\n\n"
        "Thought 1 was that the dose was low.\n\nTHOUGHT #2: Two.\n"
    )
    summary = parse_text(doc, "t.txt")
    assert texts(summary.findings) == [(1, "One. Thought 1 was that the dose was low.")]
    assert summary.warnings[0].startswith("line 7: 'Thought 1 was that …'")


def test_only_prose_like_labels_is_an_error_naming_the_line() -> None:
    """`Finding 1 The drug works.` is no label: the error points at that line."""
    doc = "Research Summary: T\n\nIntro.\n\nFinding 1 The drug works.\n"
    with pytest.raises(ParseError, match="line 5 starts like a label but is not one"):
        parse_text(doc, "t.txt")


def test_unnumbered_labels_take_the_next_number_of_their_kind() -> None:
    """`BACKGROUND:`, `FINDING:` and `THOUGHT:` follow their kind's last number."""
    doc = (
        "Research Summary: T\n\nBackground: B.\n\nFINDING #3: Three.\n\n"
        "FINDING: Four.\n\n**Thought:** T.\n"
    )
    summary = parse_text(doc, "t.txt")
    assert texts(summary.backgrounds) == [(1, "B.")]
    assert texts(summary.findings) == [(3, "Three."), (4, "Four.")]
    assert texts(summary.thoughts) == [(1, "T.")]
    assert summary.warnings[:3] == (
        "line 3: BACKGROUND without a number, read as BACKGROUND #1",
        "line 7: FINDING without a number, read as FINDING #4",
        "line 9: THOUGHT without a number, read as THOUGHT #1",
    )


def test_unnumbered_label_then_the_same_number_is_an_error() -> None:
    """`FINDING:` (read as #1) then `FINDING #1:` is a duplicate, named unnumbered."""
    doc = "Research Summary: T\n\nFINDING: A.\n\nFINDING #1: B.\n"
    with pytest.raises(ParseError, match=r"see line 3, unnumbered") as caught:
        parse_text(doc, "t.txt")
    assert caught.value.line == 5


def test_empty_unnumbered_label_is_an_error() -> None:
    """`FINDING:` with nothing after it names the unnumbered label."""
    with pytest.raises(ParseError, match=r"the unnumbered FINDING \(read as #1\)"):
        parse_text("Research Summary: T\n\nFINDING:\n", "t.txt")


def test_huge_finding_number_is_a_summary_with_a_typo_warning() -> None:
    """`FINDING #20000000:` parses quickly in little memory, with a warning."""
    doc = "Research Summary: T\n\nFINDING #1: A.\n\nFINDING #20000000: B.\n"
    tracemalloc.start()
    try:
        summary = parse_text(doc, "t.txt")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000
    assert [p.number for p in summary.findings] == [1, 20000000]
    assert summary.warnings == (
        "line 5: FINDING #20000000 is an unlikely number (a typo?);"
        " FINDINGs are numbered #1, #2, #3, …",
    )


def test_gaps_are_described_as_ranges() -> None:
    """#1, #4, #10, #2023: ranges below 1,000, and 2023 is warned as a typo."""
    doc = "Research Summary: T\n\n" + "\n\n".join(
        f"FINDING #{n}: F." for n in (1, 4, 10, 2023)
    )
    assert parse_text(doc, "t.txt").warnings == (
        "line 3: no FINDING #2–#3, #5–#9 (numbering gaps)",
        "line 9: FINDING #2023 is an unlikely number (a typo?);"
        " FINDINGs are numbered #1, #2, #3, …",
    )


def test_many_gaps_are_cut_short() -> None:
    """Only the first five gaps are named; the rest are counted."""
    doc = "Research Summary: T\n\n" + "\n\n".join(
        f"FINDING #{n}: F." for n in range(1, 40, 2)
    )
    assert parse_text(doc, "t.txt").warnings == (
        "line 3: no FINDING #2, #4, #6, #8, #10 and 14 more (numbering gaps)",
    )


def test_number_of_thousands_of_digits_is_text() -> None:
    """A number too long to be a label number stays as text, with a short warning."""
    digits = "9" * 5000
    doc = f"Research Summary: T\n\nFINDING #1: A.\n\nFINDING #{digits}: B.\n"
    summary = parse_text(doc, "t.txt")
    assert texts(summary.findings) == [(1, f"A. FINDING #{digits}: B.")]
    assert len(summary.warnings) == 1
    assert len(summary.warnings[0]) < 200


_NUMBER_TEXT = st.one_of(
    st.integers(min_value=0, max_value=10**12).map(str),
    st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n),
)


@settings(max_examples=200, deadline=None)
@given(
    numbers=st.lists(_NUMBER_TEXT, min_size=1, max_size=8),
    form=st.sampled_from(
        ["FINDING #{}:", "Finding {}.", "Finding ({})", "THOUGHT #{}"]
    ),
)
def test_large_numbers_give_a_summary_or_a_parse_error(
    numbers: list[str], form: str
) -> None:
    """Any label numbers give a Summary with short warnings, or a ParseError."""
    doc = "Research Summary: T\n\n" + "\n\n".join(
        f"{form.format(n)} Text {i}." for i, n in enumerate(numbers)
    )
    try:
        summary = parse_text(doc, "t.txt")
    except ParseError:
        return
    assert summary.findings
    assert all(len(warning) < 400 for warning in summary.warnings)


@pytest.mark.parametrize("head", ["Finding 1", "Finding", "What", "**FINDING #2"])
def test_long_space_run_after_a_label_word_is_quick(head: str) -> None:
    """100,000 spaces after a label word parse in well under a second, not minutes."""
    doc = f"Research Summary: T\n\nFINDING #1: A.\n\n{head}{' ' * 100_000}x\n"
    started = time.perf_counter()
    parse_text(doc, "t.txt")
    assert time.perf_counter() - started < 2

"""render_all/render_teasers: every platform and variant, from templates, fitted,
counted; and a fidelity check of every teaser of the adversarial summaries."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from crosspost.errors import UsageError
from crosspost.settings import Settings
from crosspost.summaries.model import Paragraph, Summary
from crosspost.summaries.parse import parse_summary
from crosspost.teasers import rules
from crosspost.teasers.fit import FitError
from crosspost.teasers.model import Card, Teaser, TeaserPart
from crosspost.teasers.render import render_all, render_teasers
from crosspost.teasers.sentences import split_sentences
from crosspost.teasers.twitter_urls import url_spans

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
ADVERSARIAL = ROOT / "tests" / "data" / "teasers"
URL = "https://example.org/summaries/vitamin-d-relapses"

# The teasers that cannot fit honestly, each failing with a FitError saying why.
UNFITTABLE: dict[str, set[str]] = {}
_URL = re.compile(r"(?:https?://|www\.)\S+")
_HASHTAG = re.compile(r"(?<![\w&#\\])#\w+")
_DECIMAL = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)+")
# Written apart from sentences.py: a sentence that limits everything before it in its
# finding (a contrast or limitation opener, or a take-back such as placebo doing as
# well or an effect fading), so the finding is quoted up to it or not at all.
_LIMITS_BEFORE = re.compile(
    r"^(?:however|but|although|though|yet|still|nevertheless|nonetheless|that said|"
    r"even so|in contrast|by contrast|despite|unlike|whereas|only|not)\b"
    r"|\b(?:however|vanished|disappeared|faded|waned|wore off|reversed|attenuated|"
    r"just as well|did as well|not significant|not statistically significant)\b",
    re.IGNORECASE,
)
# A chain's piece cut at a clause: " …" ends it, "… " opens the next post's text.
_CONTINUED = re.compile(r" …\n[\s\S]*?… ")


def _summary(**changes: object) -> Summary:
    fields: dict[str, object] = {
        "title": "Research Summary: High-dose vitamin D and relapses in MS: a trial",
        "what": "A two-year trial of vitamin D against placebo in 180 adults with MS.",
        "who": "Neurologists at four hospitals in Norway.",
        "findings": (
            Paragraph(
                number=1, text="Relapses fell by a third with vitamin D (p = 0.03)."
            ),
            Paragraph(
                number=2,
                text="New lesions were fewer. However, disability did not change.",
            ),
            Paragraph(number=3, text="Side effects were mild and rare."),
        ),
        "thoughts": (
            Paragraph(number=1, text="The trial was small. It may not generalise."),
        ),
        "url": URL,
        "tags": ("multiple sclerosis", "vitamin D"),
    }
    fields.update(changes)
    return Summary.model_validate(fields)


def _by_key(teasers: list[Teaser], platform: str) -> dict[str, Teaser]:
    return {t.key: t for t in teasers if t.platform == platform}


def test_default_variants_per_platform(settings: Settings) -> None:
    """X gets announce, a teaser per finding, recap and thread; others no thread."""
    teasers = render_teasers(_summary(), settings)
    assert list(_by_key(teasers, "x")) == [
        "announce", "finding-1", "finding-2", "finding-3", "recap", "thread",
    ]  # fmt: skip
    for platform in ("facebook", "instagram", "linkedin", "youtube"):
        assert "thread" not in _by_key(teasers, platform)
        assert "finding-3" in _by_key(teasers, platform)


def test_every_part_is_counted_by_its_rule_and_fits(settings: Settings) -> None:
    """Each part's count is its rule's count of the wire text, within the limit."""
    for teaser in render_teasers(_summary(), settings):
        rule = rules.rule_for(teaser.platform)
        assert teaser.limit == rule.limit
        for part in teaser.parts:
            assert part.count == rule.count(part.text) <= rule.limit
            assert rule.problems(part.text) == []


def test_finding_teaser_says_which_finding(settings: Settings) -> None:
    """The finding variant says 'Finding 2 of 3' and carries that finding whole."""
    teaser = _by_key(
        render_teasers(_summary(), settings, platforms=["facebook"]), "facebook"
    )["finding-2"]
    assert teaser.variant == "finding"
    assert "Finding 2 of 3" in teaser.text
    assert "New lesions were fewer. However, disability did not change." in teaser.text


def test_thread_is_announce_plus_one_reply_per_finding(settings: Settings) -> None:
    """An X thread is one teaser: the announce post, then a reply per finding."""
    thread = render_teasers(_summary(), settings, platforms=["x"], variants=["thread"])[
        0
    ]
    assert thread.key == "thread"
    assert len(thread.parts) == 4
    assert "New research summary" in thread.parts[0].text
    assert "Finding 3 of 3" in thread.parts[3].text
    assert all(part.count <= thread.limit for part in thread.parts)


def test_links_carry_utm_tags_per_platform_and_key(settings: Settings) -> None:
    """The link is the summary URL tagged with platform and teaser key."""
    teasers = _by_key(
        render_teasers(_summary(), settings, platforms=["linkedin"]), "linkedin"
    )
    link = teasers["finding-2"].link
    assert link is not None
    assert link.startswith(URL + "?")
    assert "utm_source=linkedin" in link
    assert "utm_content=finding-2" in link
    assert f"utm_campaign={_summary().id}" in link


def test_instagram_caption_has_no_url_but_says_where(settings: Settings) -> None:
    """Instagram captions use the configured wording, not an unclickable link."""
    settings.teasers.instagram_link_wording = (
        "The full summary is on our website (see bio)."
    )
    for teaser in render_teasers(_summary(), settings, platforms=["instagram"]):
        assert not re.search(r"https?://|example\.org", teaser.text)
        assert "The full summary is on our website" in teaser.text
        assert teaser.link is not None


def test_linkedin_parts_hold_the_escaped_wire_text(settings: Settings) -> None:
    """LinkedIn text is written plainly; parts hold the escaped text as sent."""
    teaser = _by_key(
        render_teasers(_summary(), settings, platforms=["linkedin"]), "linkedin"
    )["finding-1"]
    assert "\\(p = 0.03\\)" in teaser.text
    assert teaser.count == rules.rule_for("linkedin").count(teaser.text)


def test_summary_without_url_gives_teasers_without_link(settings: Settings) -> None:
    """No URL is not an error: no link, and a warning saying so."""
    teasers = render_teasers(_summary(url=None), settings, platforms=["x", "facebook"])
    assert teasers
    for teaser in teasers:
        assert teaser.link is None
        assert "http" not in teaser.text
        assert any("no url" in warning for warning in teaser.warnings)


def test_hashtags_are_camel_case_and_capped(settings: Settings) -> None:
    """Tags come from settings, then the summary, in CamelCase, capped."""
    settings.teasers.hashtags = ["MSResearch", "ms research"]
    teasers = render_teasers(
        _summary(), settings, platforms=["facebook"], variants=["announce"]
    )
    assert teasers[0].hashtags == ("#MSResearch", "#MultipleSclerosis", "#VitaminD")
    assert teasers[0].text.endswith("#MSResearch #MultipleSclerosis #VitaminD")


def test_explicit_thread_for_a_platform_without_threads_is_an_error(
    settings: Settings,
) -> None:
    """A thread for Facebook alone is a usage error; with X it is skipped."""
    with pytest.raises(UsageError, match="thread"):
        render_teasers(
            _summary(), settings, platforms=["facebook"], variants=["thread"]
        )
    teasers = render_teasers(
        _summary(), settings, platforms=["x", "facebook"], variants=["thread"]
    )
    assert [(t.platform, t.key) for t in teasers] == [("x", "thread")]


@pytest.mark.parametrize(
    ("platforms", "variants"), [(["mastodon"], None), (["x"], ["teaser"])]
)
def test_unknown_names_are_usage_errors(
    settings: Settings, platforms: list[str], variants: list[str] | None
) -> None:
    """An unknown platform or variant is refused with the valid choices."""
    with pytest.raises(UsageError, match="choose from"):
        render_teasers(_summary(), settings, platforms=platforms, variants=variants)


def test_disabled_platforms_are_skipped_by_default(settings: Settings) -> None:
    """Without a platform list, only enabled platforms are rendered."""
    settings.youtube.enabled = False
    platforms = {t.platform for t in render_teasers(_summary(), settings)}
    assert platforms == {"x", "facebook", "instagram", "linkedin"}


def test_summary_without_findings_gets_an_announce_only(settings: Settings) -> None:
    """With no findings there is nothing to recap, thread or tease one by one."""
    teasers = render_teasers(_summary(findings=()), settings, platforms=["x"])
    assert [t.key for t in teasers] == ["announce"]


def test_long_finding_is_shortened_at_sentence_boundaries(settings: Settings) -> None:
    """A long finding in X's recap loses whole later sentences, never a qualifier."""
    long_text = (
        "People taking vitamin D had a third fewer relapses over two years than "
        "those on placebo. However, this was not true for people over fifty. "
        + " ".join(
            f"Secondary measure {n} also favoured vitamin D overall." for n in range(6)
        )
    )
    summary = _summary(findings=(Paragraph(number=1, text=long_text),))
    teaser = render_teasers(summary, settings, platforms=["x"], variants=["recap"])[0]
    assert "However, this was not true for people over fifty." in teaser.text
    assert "Secondary measure 5" not in teaser.text
    assert any("shortened to fit" in warning for warning in teaser.warnings)


DRUG_R = (
    "Drug R halved the relapse rate in the first year. "
    "The effect had disappeared by the end of the second year."
)


@pytest.mark.parametrize("platform", list(rules.RULES))
def test_recap_shows_whole_findings_when_there_is_room(
    settings: Settings, platform: str
) -> None:
    """With room to spare, a recap drops no sentence of any finding (the reviewer's
    Facebook recap lost 'The effect had disappeared …')."""
    findings = (
        Paragraph(number=1, text=DRUG_R),
        Paragraph(number=2, text="Lesions fell. Side effects were mild."),
    )
    summary = _summary(title="Research Summary: Drug R in MS", findings=findings)
    [recap] = render_teasers(
        summary, settings, platforms=[platform], variants=["recap"]
    )
    text = _plain(platform, recap.text)
    assert DRUG_R in text
    assert "Lesions fell. Side effects were mild." in text
    if platform != "x":  # X's recap has no room for THOUGHTs
        assert "The trial was small. It may not generalise." in text
    assert not any(w.startswith("shortened") for w in recap.warnings)
    assert check_fidelity(summary, recap) == []


def test_recap_sheds_later_sentences_only_over_the_limit_and_says_so(
    settings: Settings,
) -> None:
    """Over X's limit, a recap gives up plain later sentences (never a caveat bound to
    its claim), and its warning says which."""
    details = " ".join(
        f"Secondary measure {n} was recorded at each visit." for n in range(3)
    )
    findings = (
        Paragraph(number=1, text=f"{DRUG_R} {details}"),
        Paragraph(number=2, text="Lesions fell."),
    )
    summary = _summary(findings=findings)
    [recap] = render_teasers(summary, settings, platforms=["x"], variants=["recap"])
    assert DRUG_R in recap.text
    assert "Secondary measure 2" not in recap.text
    [shortened] = [w for w in recap.warnings if w.startswith("shortened to fit")]
    assert "of FINDING #1" in shortened
    assert check_fidelity(summary, recap) == []


def test_no_shipped_template_shortens_a_passage_by_itself() -> None:
    """Only the fitter shortens, under length pressure and with a warning: no template
    uses first_sentences, truncate or an index to show part of a passage."""
    lossy = re.compile(
        r"first_sentences|truncate|wordcount|\[\s*-?\d+\s*\]|\|\s*first\b"
    )
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
        for path in sorted(TEMPLATES.glob("*/*.j2"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if lossy.search(line) and not line.lstrip().startswith("{#")
    ]
    assert offenders == []


def _long_title_summary() -> Summary:
    title = (
        "Research Summary: A very long title about a two-year randomised trial of "
        "high-dose vitamin D given with interferon beta to adults with relapsing MS "
        "in four Norwegian hospitals"
    )
    findings = (
        Paragraph(
            number=1,
            text="Relapses fell by a third with vitamin D over the two years of the "
            "trial, in 180 adults with relapsing MS (p = 0.03).",
        ),
    )
    return _summary(title=title, findings=findings)


def test_x_announce_keeps_the_title_and_gives_up_hashtags_first(
    settings: Settings,
) -> None:
    """A long title stays: hashtags go first, then what does not fit beside it (here
    the headline finding; the plain-language What? fits again and leads)."""
    [announce] = render_teasers(
        _long_title_summary(), settings, platforms=["x"], variants=["announce"]
    )
    title = _long_title_summary().title.removeprefix("Research Summary: ")
    assert announce.text.startswith("A two-year trial of vitamin D against placebo")
    assert f"\n\nNew research summary: {title}\n\n" in announce.text
    assert "#" not in announce.text
    [warning] = [w for w in announce.warnings if w.startswith("shortened")]
    assert "#MSResearch" in warning
    assert "the title" not in warning
    [kept] = render_teasers(
        _summary(), settings, platforms=["x"], variants=["announce"]
    )
    assert (
        "New research summary: High-dose vitamin D and relapses in MS: a trial\n\n"
        in (kept.text)
    )


def test_every_shipped_template_sheds_hashtags_before_the_title() -> None:
    """In every shed order, hashtags go first and the title (if at all) last."""
    from crosspost.teasers.environment import teaser_environment

    env = teaser_environment(TEMPLATES)
    for path in sorted(TEMPLATES.glob("*/*.j2")):
        template = env.template(path.parent.name, path.stem)
        if template.shed and "hashtags" in template.uses:
            assert template.shed[0] == "hashtags", path
        if "title" in template.shed:
            later = template.shed[template.shed.index("title") + 1 :]
            assert later in ((), ("later_sentences", "findings")), path


def test_x_recap_heading_stands_apart_from_the_list(settings: Settings) -> None:
    """The recap's heading is followed by a blank line, with the title or without."""
    for summary in (_summary(), _long_title_summary()):
        [recap] = render_teasers(summary, settings, platforms=["x"], variants=["recap"])
        heading, blank, first = recap.text.split("\n")[:3]
        assert heading.endswith("found:")
        assert (blank, first[:3]) == ("", "1. ")


def test_a_single_finding_is_not_called_findings(settings: Settings) -> None:
    """With one finding no post says '1 findings' (thread head, 'Read all …')."""
    summary = _summary(findings=(Paragraph(number=1, text="Lesions fell."),))
    teasers = render_teasers(summary, settings, platforms=list(rules.RULES))
    assert teasers
    assert not [t.key for t in teasers for p in t.parts if "1 findings" in p.text]


def test_finding_that_cannot_fit_is_a_fit_error(settings: Settings) -> None:
    """A sentence longer than X allows with no clause boundary cannot be split."""
    sentence = "Relapses " + "were reduced and " * 30 + "remained low."
    summary = _summary(findings=(Paragraph(number=1, text=sentence),))
    with pytest.raises(
        FitError, match=r"x finding-1: a sentence of FINDING #1"
    ) as info:
        render_teasers(summary, settings, platforms=["x"], variants=["finding"])
    assert "no clause boundary" in str(info.value)
    assert "x/finding.j2" in str(info.value)


def test_all_fit_errors_are_reported_together(settings: Settings) -> None:
    """Several teasers that cannot fit are listed in one error."""
    sentence = "Relapses " + "were reduced and " * 30 + "remained low."
    summary = _summary(findings=(Paragraph(number=1, text=sentence),))
    with pytest.raises(FitError, match="teasers do not fit") as info:
        render_teasers(summary, settings, platforms=["x"])
    assert "x thread" in str(info.value)
    assert "x finding-1" in str(info.value)


def test_render_all_keeps_every_teaser_that_fits(settings: Settings) -> None:
    """One unfittable finding costs only its own teasers; each error is located."""
    sentence = "Relapses " + "were reduced and " * 30 + "remained low."
    findings = (Paragraph(number=1, text=sentence), *_summary().findings[1:])
    rendered = render_all(_summary(findings=findings), settings, platforms=["x"])
    keys = [teaser.key for teaser in rendered.teasers]
    assert keys == ["announce", "finding-2", "finding-3", "recap"]
    located = [(e.platform, e.variant, e.key) for e in rendered.failures]
    assert located == [("x", "finding", "finding-1"), ("x", "thread", "thread")]


def test_one_key_renders_only_that_teaser_and_the_same(settings: Settings) -> None:
    """With `key`, only that post is rendered, exactly as rendering them all makes it
    (the runner renders each post so as it falls due)."""
    every = render_all(_summary(), settings, platforms=["x", "linkedin"])
    for platform in ("x", "linkedin"):
        for key in ("finding-2", "recap"):
            variant = key.split("-", 1)[0]
            one = render_all(
                _summary(), settings, platforms=[platform], variants=[variant], key=key
            )
            expected = [
                t for t in every.teasers if (t.platform, t.key) == (platform, key)
            ]
            assert one.teasers == expected
    none = render_all(_summary(), settings, platforms=["x"], key="finding-9")
    assert none.teasers == []
    assert none.failures == []


def test_wording_comes_from_the_templates(settings: Settings, tmp_path: Path) -> None:
    """Changing a template changes the post: no wording is fixed in code."""
    templates = tmp_path / "my-templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "facebook" / "announce.j2").write_text(
        "Fresh from the lab: {{ title }} ({{ total }} findings)\n", encoding="utf-8"
    )
    custom = Settings(templates_dir=templates)
    teaser = render_teasers(
        _summary(), custom, platforms=["facebook"], variants=["announce"]
    )[0]
    assert teaser.text == (
        "Fresh from the lab: High-dose vitamin D and relapses in MS: a trial "
        "(3 findings)"
    )


def test_cards_are_made_only_when_asked(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With cards=True each teaser gets the card make_card returns, for its finding."""
    calls: list[tuple[str, int | None]] = []

    def fake_card(
        summary: Summary, platform: str, *, finding: Paragraph | None, branding: object
    ) -> Card:
        calls.append((platform, finding.number if finding else None))
        return Card(width=1, height=1, format="JPEG", data=b"x", alt_text="A card.")

    monkeypatch.setattr("crosspost.teasers.cards.make_card", fake_card)
    without = render_teasers(
        _summary(), settings, platforms=["x"], variants=["finding"]
    )
    assert all(t.card is None for t in without)
    assert calls == []
    with_cards = render_teasers(
        _summary(), settings, platforms=["x"], variants=["finding"], cards=True
    )
    assert all(t.card is not None and t.card.alt_text == "A card." for t in with_cards)
    assert calls == [("x", 1), ("x", 2), ("x", 3)]


def _paragraphs(summary: Summary) -> list[tuple[str, list[str]]]:
    found = [
        (name, split_sentences(getattr(summary, name)))
        for name in ("intro", "what", "who", "where", "when")
        if getattr(summary, name)
    ]
    for name in ("backgrounds", "findings", "thoughts"):
        found += [
            (f"{name[:-1].upper()} #{p.number}", split_sentences(p.text))
            for p in getattr(summary, name)
        ]
    return found


def _plain(platform: str, wire: str) -> str:
    return rules.unescape_little_text(wire) if platform == "linkedin" else wire


def _count_problems(platform: str, part: TeaserPart) -> list[str]:
    rule, wire = rules.rule_for(platform), part.text
    bad = list(rule.problems(wire))
    if part.count != rule.count(wire):
        bad.append(f"counted {part.count}, rule says {rule.count(wire)}")
    if rule.count(wire) > rule.limit:
        bad.append(f"{rule.count(wire)} over {rule.limit}")
    if rule.wire(_plain(platform, wire)) != wire:
        bad.append("the wire text is not the rule's wire of its plain text")
    return bad


def _sentence_problems(summary: Summary, text: str) -> list[str]:
    """Sentences whole or absent, never a prefix; a finding quoted up to its last
    limiting sentence (or not at all)."""
    bad: list[str] = []
    title = re.sub(r"^Research Summary\s*[:—–-]\s*", "", summary.title)
    main = title.partition(": ")[0]
    if " ".join(main.split()[:4]) in text and main not in text:
        bad.append(f"title cut: {main!r}")
    paragraphs = _paragraphs(summary)
    kept = [s for _, sentences in paragraphs for s in sentences if s in text]
    for label, sentences in paragraphs:
        shown = [sentence in text for sentence in sentences]
        limits = [i for i, s in enumerate(sentences) if _LIMITS_BEFORE.search(s)]
        if any(shown) and limits and not all(shown[: limits[-1] + 1]):
            lost = sentences[limits[-1]]
            if lost not in text:
                bad.append(f"{label} lost its qualifier {lost!r}")
        for index, sentence in enumerate(sentences):
            if shown[index]:
                continue
            words = sentence.split()
            for size in range(len(words) - 1, 3, -1):
                prefix = " ".join(words[:size])
                if prefix in text and prefix not in summary.title:
                    if not any(prefix in whole for whole in kept):
                        bad.append(f"{label} cut after {prefix!r}")
                    break
    return bad


def _token_problems(summary: Summary, teaser: Teaser, wire: str) -> list[str]:
    """URLs, hashtags and decimal numbers appear only as the summary has them."""
    text = _plain(teaser.platform, wire)
    source = " ".join([summary.title, *(" ".join(s) for _, s in _paragraphs(summary))])
    known = {*_URL.findall(source), *([teaser.link] if teaser.link else [])}
    bad = [f"URL cut {url!r}" for url in _URL.findall(text) if url not in known]
    on_x = teaser.platform == "x" and teaser.link and teaser.link in text
    if on_x and teaser.link not in {wire[a:b] for a, b in url_spans(wire)}:
        bad.append("X does not read the link whole")
    for tag in _HASHTAG.findall(text):
        whole = re.search(re.escape(tag) + r"(?!\w)", source)
        if tag not in teaser.hashtags and not whole:
            bad.append(f"hashtag cut {tag!r}")
    numbers = _DECIMAL.findall(source + " " + " ".join(known))
    bad += [f"number cut {n!r}" for n in _DECIMAL.findall(text) if n not in numbers]
    return bad


def _check_part(summary: Summary, teaser: Teaser, part: TeaserPart) -> list[str]:
    where = f"{teaser.platform} {teaser.key}"
    found = _count_problems(teaser.platform, part)
    found += _token_problems(summary, teaser, part.text)
    return [f"{where}: {problem}" for problem in found]


def carried(teaser: Teaser) -> str:
    """The text of every part, a sentence cut at a clause joined back together."""
    text = "\n".join(_plain(teaser.platform, part.text) for part in teaser.parts)
    return _CONTINUED.sub(" ", text)


def _silent_shortening(summary: Summary, teaser: Teaser) -> list[str]:
    """A passage shown in part, with no 'shortened to fit' warning saying so."""
    if any(w.startswith("shortened to fit") for w in teaser.warnings):
        return []
    text = carried(teaser)
    bad = []
    for label, sentences in _paragraphs(summary):
        shown = [sentence in text for sentence in sentences]
        if any(shown) and not all(shown):
            bad.append(f"{teaser.platform} {teaser.key}: {label} shown in part, unsaid")
    return bad


def _chain_problems(summary: Summary, teaser: Teaser) -> list[str]:
    """A chain (X finding over several posts, a thread) carries every sentence of its
    findings, in order, each post numbered."""
    bad: list[str] = []
    total = len(teaser.parts)
    findings = list(summary.findings)
    if teaser.variant == "thread":
        for number, part in enumerate(teaser.parts[1:], start=2):
            if not part.text.startswith(f"{number}/{total} Finding "):
                bad.append(f"thread part {number} is numbered {part.text[:8]!r}")
    elif teaser.variant == "finding" and total > 1:
        findings = [f for f in findings if f"finding-{f.number}" == teaser.key]
        for number, part in enumerate(teaser.parts, start=1):
            if not re.match(rf"{number}/{total}(\s|$)", part.text):
                bad.append(f"chain part {number} is numbered {part.text[:8]!r}")
    else:
        return bad
    text = carried(teaser)
    for finding in findings:
        position = 0
        for sentence in split_sentences(finding.text):
            found = text.find(sentence, position)
            if found < 0:
                where = "lacks" if sentence not in text else "has out of order"
                bad.append(
                    f"{teaser.key} {where} FINDING #{finding.number}: {sentence!r}"
                )
            else:
                position = found + len(sentence)
    return bad


def check_fidelity(summary: Summary, teaser: Teaser) -> list[str]:
    """Every way `teaser` could misrepresent `summary`; empty when it is faithful."""
    bad = [m for part in teaser.parts for m in _check_part(summary, teaser, part)]
    where = f"{teaser.platform} {teaser.key}"
    bad += [f"{where}: {m}" for m in _sentence_problems(summary, carried(teaser))]
    bad += _silent_shortening(summary, teaser)
    bad += _chain_problems(summary, teaser)
    if teaser.limit != rules.rule_for(teaser.platform).limit:
        bad.append(f"{teaser.platform} {teaser.key}: limit {teaser.limit}")
    return bad


@pytest.mark.parametrize("path", sorted(ADVERSARIAL.iterdir()), ids=lambda p: p.name)
def test_adversarial_summaries_render_faithfully(
    settings: Settings, path: Path
) -> None:
    """Every teaser re-counts to its count and keeps sentences, links, tags whole."""
    summary = parse_summary(path.read_bytes(), str(path))
    rendered = render_all(summary, settings, platforms=list(rules.RULES))
    problems = [
        p for teaser in rendered.teasers for p in check_fidelity(summary, teaser)
    ]
    assert problems == []
    failed = {f"{error.platform} {error.key}" for error in rendered.failures}
    assert failed == UNFITTABLE.get(path.name, set())
    platforms = {teaser.platform for teaser in rendered.teasers}
    assert platforms == set(rules.RULES)


def test_the_fidelity_check_catches_each_kind_of_damage(settings: Settings) -> None:
    """A cut sentence, a lost qualifier, a cut link, tag or number, and a passage
    shortened without saying so are all caught."""
    summary = _summary(
        findings=(
            Paragraph(
                number=1, text="Relapses fell by 33.5% with #VitaminD (p = 0.03)."
            ),
            Paragraph(
                number=2, text="Lesions were fewer. However, this was not significant."
            ),
        ),
    )
    teaser = render_teasers(summary, settings, platforms=["x"], variants=["announce"])[
        0
    ]
    assert check_fidelity(summary, teaser) == []
    damaged = {
        "cut after": "Relapses fell by 33.5% with",
        "lost its qualifier": "Lesions were fewer.",
        "URL cut": teaser.link[:-3] if teaser.link else "",
        "hashtag cut": "#Vitami",
        "number cut": "33.4",
        "counted": "Side effects were mild.",
        "title cut": "High-dose vitamin D and",
    }
    for kind, text in damaged.items():
        count = 1 if kind == "counted" else rules.rule_for("x").count(text)
        part = TeaserPart(text=text, count=count)
        broken = teaser.model_copy(update={"parts": (part,)})
        assert any(kind in problem for problem in check_fidelity(summary, broken)), kind
    part = TeaserPart(text="Lesions were fewer.", count=19)
    broken = teaser.model_copy(update={"parts": (part,), "warnings": ()})
    assert any("unsaid" in problem for problem in check_fidelity(summary, broken))


_SENTENCES = [
    "Relapses fell by 31.5% with the drug (p < 0.05) [3].",
    "However, this was not significant after adjustment.",
    "Families 👨‍👩‍👧‍👦 in Oslo 🇳🇴 said the app was easy 👍🏽.",
    "The protocol is at https://example.org/t_(v2)?id=7&arm=b.",
    "Posts tagged #MSWarrior got replies from @MSNurses within an hour.",
    "多発性硬化症の再発率は低下した。",
    "Η αναπηρία παρέμεινε σταθερή σε 6 στους 10 ασθενείς.",
    "Smith et al. found a gain of 2.5 mg/L vs. 1.1 mg/L, e.g. in Fig. 2.",
    "The difference may not apply to progressive MS.",
    "Walking speed over 25 feet " + "improved steadily and " * 6 + "then held.",
    "Only 52 of 64 people finished *both* phases of the_trial.",
]


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.permutations(_SENTENCES),
    st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=4),
)
def test_generated_summaries_render_faithfully_or_fail_honestly(
    settings: Settings, sentences: list[str], sizes: list[int]
) -> None:
    """Any mix of hard sentences: faithful teasers, or a FitError saying by how much."""
    starts = [sum(sizes[:n]) for n in range(len(sizes))]
    texts = [
        " ".join(sentences[a : a + size]) for a, size in zip(starts, sizes, strict=True)
    ]
    summary = _summary(
        findings=tuple(
            Paragraph(number=n, text=text)
            for n, text in enumerate(filter(None, texts), start=1)
        )
    )
    rendered = render_all(summary, settings, platforms=list(rules.RULES))
    for teaser in rendered.teasers:
        assert check_fidelity(summary, teaser) == []
    for error in rendered.failures:
        assert error.platform == "x"
        assert error.over or "no clause boundary" in error.message


def test_finding_zero_is_rendered_not_a_traceback(settings: Settings) -> None:
    """FINDING #0 is a finding like any other, keyed finding-0."""
    findings = (
        Paragraph(number=0, text="Relapses fell by a third."),
        Paragraph(number=1, text="Side effects were mild."),
    )
    rendered = render_all(
        _summary(findings=findings), settings, platforms=list(rules.RULES)
    )
    assert rendered.failures == []
    keys = {(t.platform, t.key) for t in rendered.teasers}
    assert ("x", "finding-0") in keys
    assert ("facebook", "finding-0") in keys


def test_a_100_kb_finding_renders_in_linear_time(settings: Settings) -> None:
    """Fitting scales with the text: 100 KB on every platform within seconds, with
    every X chain post in its limit."""
    sentence = (
        "Relapses fell by 12% in the treated group, compared with 4% on placebo, "
        "and walking speed was steady. "
    )
    text = (sentence * (100 * 1024 // len(sentence) + 1)).strip()
    summary = _summary(findings=(Paragraph(number=1, text=text),))
    render_all(_summary(), settings, platforms=list(rules.RULES))  # compile first
    started = time.perf_counter()
    rendered = render_all(summary, settings, platforms=list(rules.RULES))
    assert time.perf_counter() - started < 5.0
    assert rendered.failures == []
    [chain] = [t for t in rendered.teasers if (t.platform, t.key) == ("x", "finding-1")]
    assert len(chain.parts) > 300
    assert all(part.count <= 280 for part in chain.parts)


def test_x_finding_chain_carries_a_761_character_finding_whole(
    settings: Settings,
) -> None:
    """Short sentences chained by 'suggested', 'compared with', 'rather than' go over
    numbered posts; joined, the posts hold every sentence in order."""
    path = ADVERSARIAL / "cue-chained-761.txt"
    summary = parse_summary(path.read_bytes(), str(path))
    assert len(summary.findings[0].text) == 761
    [chain] = render_teasers(summary, settings, platforms=["x"], variants=["finding"])[
        :1
    ]
    assert len(chain.parts) > 1
    assert chain.parts[0].text.startswith(f"1/{len(chain.parts)} Finding 1 of 2")
    assert check_fidelity(summary, chain) == []
    assert "shortened" not in " ".join(chain.warnings)

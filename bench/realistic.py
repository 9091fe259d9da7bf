"""Realistic research summaries for the benchmarks: varied titles, What?/Who? blocks and
findings built from many parts, so no two summaries (and few sentences) repeat."""

from __future__ import annotations

import random

from crosspost.summaries.model import Paragraph, Summary

TREATMENTS = [
    "high-dose vitamin D3", "supervised aerobic exercise", "an oral remyelinating drug",
    "intrathecal stem cells", "a tablet-guided balance course", "cooling garments",
    "cognitive rehabilitation by video call", "a Mediterranean-style diet",
    "ocrelizumab started early", "low-dose naltrexone", "aquatic therapy",
    "mindfulness training", "a smoking-cessation programme", "B-cell depletion",
]  # fmt: skip
OUTCOMES = [
    "relapse rate", "new MRI lesions", "walking speed over 25 feet", "fatigue scores",
    "brain volume loss", "retinal nerve fibre thickness", "serum neurofilament light",
    "processing speed (SDMT)", "hand function on the nine-hole peg test",
    "depression scores", "sleep quality", "bladder symptoms", "falls",
]  # fmt: skip
GROUPS = [
    "adults with relapsing-remitting MS", "people with secondary progressive MS",
    "people diagnosed within two years", "women with MS who planned a pregnancy",
    "people over fifty with progressive MS", "teenagers with paediatric-onset MS",
]  # fmt: skip
PLACES = ["Norway", "Italy", "Canada", "Scotland", "Japan", "Brazil", "Australia"]
CAVEATS = [
    "However, the difference was not statistically significant after adjustment.",
    "But the effect had faded by the second year.",
    "Although larger trials are needed, the signal was consistent.",
    "That said, only {n} people finished the study.",
    "These results may not apply to people with progressive MS.",
]  # fmt: skip
DETAILS = [
    "Scans were read by radiologists who did not know the treatment.",
    "Most side effects were mild and passed within a week.",
    "Dropouts were rare, at {n} in each group.",
    "A post hoc analysis suggested a larger gain in women.",
    "The full protocol is at https://example.org/protocols/{slug}.",
    "Adherence was high: participants joined {p}% of sessions on average.",
    "Results were similar in the {place} and {place2} centres 🇪🇺.",
]  # fmt: skip


def _sentence(rng: random.Random, treatment: str) -> str:
    outcome = rng.choice(OUTCOMES)
    a, b = rng.randint(5, 45), rng.randint(5, 45)
    forms = [
        f"With {treatment}, {outcome} improved by {a}% compared with {b}% on placebo.",
        f"After {rng.randint(6, 36)} months, {outcome} was {a}% lower in the treated "
        f"group than in the control group (p = 0.0{rng.randint(1, 4)}).",
        f"{outcome.capitalize()} did not change in either group over "
        f"{rng.randint(2, 5)} years.",
        f"{rng.randint(20, 400)} {rng.choice(GROUPS)} took part; half received "
        f"{treatment} and half a placebo.",
        f"People who kept to the programme saw {outcome} fall by about a third, "
        f"while those who stopped early saw no change.",
    ]
    return rng.choice(forms)


def _finding(rng: random.Random, number: int, treatment: str) -> Paragraph:
    sentences = [_sentence(rng, treatment)]
    for _ in range(rng.randint(0, 3)):
        detail = rng.choice(DETAILS).format(
            n=rng.randint(2, 30),
            p=rng.randint(60, 95),
            slug=f"trial-{rng.randint(100, 999)}",
            place=rng.choice(PLACES),
            place2=rng.choice(PLACES),
        )
        sentences.append(detail)
    if rng.random() < 0.4:
        sentences.insert(
            rng.randint(1, len(sentences)),
            rng.choice(CAVEATS).format(n=rng.randint(20, 90)),
        )
    return Paragraph(number=number, text=" ".join(sentences))


def summary(rng: random.Random, index: int) -> Summary:
    """One summary, different from every other the same `rng` makes."""
    treatment = rng.choice(TREATMENTS)
    outcome = rng.choice(OUTCOMES)
    group = rng.choice(GROUPS)
    title = f"Research Summary: {treatment.capitalize()} and {outcome} in {group}"
    if rng.random() < 0.6:
        title += f": a {rng.randint(12, 104)}-week randomised trial ({index})"
    else:
        title += f" ({index})"
    findings = tuple(
        _finding(rng, number, treatment) for number in range(1, rng.randint(2, 6))
    )
    place = rng.choice(PLACES)
    return Summary(
        title=title,
        intro=f"A look at a study of {treatment} in {group}.",
        what=f"A trial of {treatment} against placebo in {rng.randint(40, 600)} "
        f"{group}, measuring {outcome}.",
        who=f"A team of neurologists and physiotherapists at {rng.randint(2, 14)} "
        f"centres in {place}.",
        backgrounds=(
            Paragraph(
                number=1,
                text=f"Earlier studies of {treatment} were small and used different "
                "doses.",
            ),
        ),
        findings=findings,
        thoughts=(
            Paragraph(
                number=1,
                text="It is not yet known whether the benefit lasts. "
                f"Talk to your MS team before trying {treatment}.",
            ),
        ),
        url=f"https://research.example.org/summaries/{index}-{treatment.split()[-1]}/",
        tags=("multiple sclerosis", outcome.split(" (")[0]),
    )


def summaries(count: int, seed: int = 11) -> list[Summary]:
    """`count` different realistic summaries, the same ones for the same seed."""
    rng = random.Random(seed)
    return [summary(rng, index) for index in range(count)]


def as_markdown(summary: Summary) -> str:
    """`summary` in the house format, as a Markdown file with front matter."""
    tags = ", ".join(summary.tags)
    lines = ["---", f"url: {summary.url}", f"tags: [{tags}]", "---", ""]
    lines += [f"# {summary.title}", "", summary.intro, ""]
    for label, text in (
        ("What?", summary.what),
        ("Who?", summary.who),
        ("Where?", summary.where),
        ("When?", summary.when),
    ):
        if text:
            lines += [f"## {label}", "", text, ""]
    for kind, paragraphs in (
        ("BACKGROUND", summary.backgrounds),
        ("FINDING", summary.findings),
        ("THOUGHT", summary.thoughts),
    ):
        for paragraph in paragraphs:
            lines += [f"{kind} #{paragraph.number}:  {paragraph.text}", ""]
    return "\n".join(lines)

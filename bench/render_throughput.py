"""Render throughput: 1,000 different realistic summaries (bench/realistic.py), all
platforms and variants, fitted and counted by each platform's rule, no cards. Prints
teasers/s (target: 10,000/s) beside bare Jinja2 rendering of the same templates."""

from __future__ import annotations

import time
from pathlib import Path

from crosspost.settings import Settings
from crosspost.summaries.model import Summary
from crosspost.teasers.compose import Composer
from crosspost.teasers.environment import teaser_environment
from crosspost.teasers.model import PLATFORMS, VARIANTS
from crosspost.teasers.render import offers, render_all
from realistic import summaries

ROOT = Path(__file__).resolve().parent.parent
SUMMARIES = 1_000
TARGET = 10_000


def main() -> None:
    settings = Settings(templates_dir=ROOT / "templates")
    batch = summaries(SUMMARIES)
    render_all(batch[0], settings)  # compile templates and patterns before timing
    best = float("inf")
    for _ in range(3):  # the best of three runs: other work on the machine adds noise
        started = time.perf_counter()
        teasers = parts = failed = 0
        for summary in batch:
            rendered = render_all(summary, settings)
            teasers += len(rendered.teasers)
            failed += len(rendered.failures)
            parts += sum(len(teaser.parts) for teaser in rendered.teasers)
        best = min(best, time.perf_counter() - started)
    print(f"summaries: {SUMMARIES} different ones")
    print(f"teasers:   {teasers} ({parts} posts counting each chain part)")
    print(f"failed:    {failed}")
    print(f"seconds:   {best:.2f} (best of 3)")
    print(f"teasers/s: {teasers / best:,.0f} (target {TARGET:,})")
    print(f"posts/s:   {parts / best:,.0f}")
    bare = bare_rendering(batch, settings)
    print(f"bare Jinja2, one render of each post's template: {bare:,.0f} posts/s")


def bare_rendering(batch: list[Summary], settings: Settings) -> float:
    """Posts/s of rendering each teaser's template once, with no fitting, counting or
    building: the floor under the figures above."""
    environment = teaser_environment(settings.templates_dir)
    jobs = []
    for summary in batch:
        composer = Composer(summary, settings, environment, False)
        for platform in PLATFORMS:
            for variant in VARIANTS:
                if not offers(platform, variant):
                    continue
                findings = summary.findings if variant == "finding" else (None,)
                for finding in findings:
                    key = f"finding-{finding.number}" if finding else variant
                    link, tags = composer.link(platform, key)
                    draft = composer.draft(
                        platform,
                        "announce" if variant == "thread" else variant,
                        key=key,
                        link=link,
                        tags=tags,
                        finding=finding,
                    )
                    draft.names.update(
                        thread=variant == "thread", part=1, parts=1, piece=1, pieces=1
                    )
                    jobs.append(
                        (draft.template, {**draft.names, **draft.content.names()})
                    )
    started = time.perf_counter()
    for template, names in jobs:
        template.template.render(names)
    return len(jobs) / (time.perf_counter() - started)


if __name__ == "__main__":
    main()

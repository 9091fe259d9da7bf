"""The words of `crosspost --help`: descriptions and examples, kept apart from the
parser so each reads whole."""

from __future__ import annotations

PLATFORM_NAMES = "x,facebook,instagram,linkedin,youtube"

DESCRIPTION = """\
Turn research summaries into platform-fitted teasers and publish them, never twice.

A summary (text, Markdown or the website's HTML) is parsed into its findings,
rendered through the Jinja2 templates in templates/<platform>/, fitted to each
platform's own counting rule, and published through the ledger, which makes sure
nothing is posted twice."""

EPILOG = """\
examples:
  crosspost summaries show examples/summaries/stem-cells.txt
  crosspost render examples/summaries/stem-cells.txt --platform x --json
  crosspost preview examples/summaries/stem-cells.txt -o preview.html
  crosspost post examples/summaries/stem-cells.txt --platforms x,linkedin --dry-run
  crosspost status --json

settings come from config/crosspost.toml, then .env,
then CROSSPOST_* variables (highest).
exit status: 0 done, 1 did not do what was asked (bad input, a post failed),
2 usage error."""


RECONCILE_HELP = """\
Settle posts whose outcome is unknown by asking each platform, instead of guessing.

A post is unknown when its answer was lost (a timeout after sending, a 5xx on a write)
or its sender died mid-request (the ledger still says `sending`, but the process that
claimed it is gone, or its 10-minute lease is over). For each one, the account's recent
posts are listed (X, Facebook, Instagram, LinkedIn) and matched by text:

  found on the platform      -> published, with its id and URL
  absent, sent > --min-age   -> failed: the next `crosspost post` sends it again
  listing failed             -> left unknown, reported; nothing concluded
  X thread, or YouTube       -> left for `crosspost resolve ID --posted URL`

`crosspost post` does the same for its own summary's posts before it sends anything.
exit status: 0 when nothing is left unknown, 1 otherwise."""


EXAMPLE = "examples/summaries/stem-cells.txt"
EXAMPLES: dict[str, tuple[str, ...]] = {
    "summaries_cmd:show": (
        f"crosspost summaries show {EXAMPLE}",
        "crosspost summaries show https://example.org/research/a-summary/ --json",
    ),
    "summaries_cmd:list_": (
        "crosspost summaries list examples/summaries",
        "crosspost summaries list https://example.org/feed/ --json",
    ),
    "render_cmd:render": (
        f"crosspost render {EXAMPLE}",
        f"crosspost render {EXAMPLE} --platform x --variant thread --json",
        "crosspost render examples/summaries/ --platform linkedin --headline 2",
    ),
    "preview_cmd:preview": (
        f"crosspost preview {EXAMPLE} -o preview.html",
        "crosspost preview examples/summaries/ --platform x --variant finding",
    ),
    "publish_cmd:post": (
        f"crosspost post {EXAMPLE} --dry-run",
        f"crosspost post {EXAMPLE} --platforms x,linkedin --variant finding --json",
    ),
    "publish_cmd:check": (
        "crosspost check",
        "crosspost check --platforms x --json",
    ),
    "publish_cmd:status": ("crosspost status", "crosspost status --dry-run --json"),
    "publish_cmd:resolve": (
        "crosspost resolve 12 --posted https://x.com/our_account/status/1861000000001",
        "crosspost resolve 12 --not-posted",
    ),
    "reconcile_cmd:run": (
        "crosspost reconcile",
        "crosspost reconcile --min-age 0 --json",
    ),
    "sandbox_cmd:serve": ("crosspost sandbox serve --port 8765",),
}

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
exit status: 0 done, 1 did not do what was asked (a summary unreadable, a post
failed, the ledger lost or locked), 2 usage or configuration error."""


RECONCILE_HELP = """\
Settle posts whose outcome is unknown by asking each platform, instead of guessing.

A post is unknown when its answer was lost (a timeout after sending, a 5xx on a write)
or its sender died mid-request (the ledger still says `sending`, but the process that
claimed it is gone, or its lease, schedule.lease, is over). For each one, the account's
recent posts are listed (X, Facebook, Instagram, LinkedIn) and matched by text:

  found on the platform      -> published, with its id and URL
  absent, sent > --min-age   -> failed: the next `crosspost post` sends it again;
                                a runner's post -> planned again (within
                                schedule.grace; a runner sends it), else missed
  listing failed             -> left unknown, reported; nothing concluded
  X thread, or YouTube       -> left for `crosspost resolve ID --posted URL`

`crosspost post` does the same for its own summary's posts before it sends anything.
exit status: 0 when nothing is left unknown (or stale but too recent to conclude),
1 otherwise."""


PLAN_HELP = """\
Show the campaign each summary would get on the team's calendar, without storing it
(store it with --apply). Each platform gets the announce at its first free slot, then
each finding at the first free slot at least schedule.gap_days local days after the
previous post, then the recap; slots, blackout dates and the daily cap come from
[schedule] in config/crosspost.toml, in the zone of `timezone`.

Every post is listed with its slot in UTC and in local time, and its text as it
would be sent. Planning a summary again adds only the posts it lacks.
exit status: 0 planned, 1 some post cannot fit (listed), 2 usage or config error."""

RUN_HELP = """\
The runner: polls the sources (schedule.sources, or those given) on schedule.poll,
plans a campaign for each new summary, and publishes each post when it falls due,
through the ledger (never twice). A post more than schedule.grace late (the runner
was down) becomes `missed` and is reported, never sent silently late. At start, posts
a dead runner left in flight are reconciled (found on the platform, or left for a
person). SIGTERM or SIGINT finishes what is in flight, then exits 0.

  --once                 one pass (for cron or CI), exit 1 if a post failed
  --dry-run --now T --simulate-until U
                         the same runner on a virtual clock against the sandbox, with
                         a scratch ledger: what the next weeks would do, at once"""

INIT_HELP = """\
Write a starter project into DIR (default: the current folder):

  config/crosspost.toml   every setting with its comment, paths relative to it
  config/.env.example     the secrets to set (copy it to .env)
  templates/              the shipped templates and their README
  summaries/              one example summary; schedule.sources points here

Nothing is overwritten: if any of these exists, it is listed, nothing is written
and the exit status is 1. The project works from any folder with
`crosspost --config DIR/config/crosspost.toml ...`."""

LEDGER_COPY_HELP = """\
Copy every row of the ledger at FROM_URL (campaigns, planned posts, their history,
runners, the ledger's identity) into TO_URL, keeping ids, then check that every
table holds as many rows in both. TO_URL gets the tables first (created if missing)
and must hold no posts yet; it keeps FROM_URL's identity, so crosspost recognises it.

Stop every runner first: a post being sent (status `sending`) or a runner that
ticked in the last minutes stops the copy unless --force. Then point crosspost at
the new ledger (CROSSPOST_LEDGER_URL in .env) and keep the old one as a backup.
URLs: sqlite:///var/ledger.db, postgresql+psycopg://USER:PASSWORD@HOST/DB.
exit status: 0 copied and checked, 1 refused or failed (nothing kept), 2 usage."""

DRY_RUN_HELP = """\
Rehearse everything the summaries would post, as CI does for a pull request, with no
account and nothing kept: every enabled platform's every variant is rendered (announce,
finding, recap, and thread on X, even a variant schedule.variants does not post), each
template is read for names it is never given, the campaigns are planned from --now, and
the runner sends each post as it falls due within --days on a virtual clock to the
in-process sandbox (fake platform APIs), with a fresh scratch ledger: a second run
shows the same.

Reports, by extension (--report may be given several times):
  .json   every post: summary, platform, variant, key, due and local time, text as
          sent, count and limit, card and alt text, warnings, the sandbox's answer;
          and every failure with what to fix
  .md     a pull-request comment: a summary, the failures, a table per summary;
          within GitHub's 65,536 characters, with a note saying what was cut
  .html   the preview page with the schedule and each post's outcome

exit status: 0 every post would go out, 1 a failure (a template's mistake, a post that
cannot fit, a campaign with no room, a refusal; each listed on stderr), 2 usage or
config error."""

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
    "post_cmd:post": (
        f"crosspost post {EXAMPLE} --dry-run",
        f"crosspost post {EXAMPLE} --platforms x,linkedin --variant finding --json",
        f"crosspost post {EXAMPLE} --platforms linkedin --at 'Tue 10:00'",
    ),
    "check_cmd:check": (
        "crosspost check",
        "crosspost check --platforms x --json",
    ),
    "plan_cmd:plan": (
        f"crosspost plan {EXAMPLE}",
        "crosspost plan examples/summaries --now 2027-03-26T09:00Z --json",
        f"crosspost plan {EXAMPLE} --apply",
    ),
    "run_cmd:run": (
        "crosspost run",
        "crosspost run examples/summaries --once --dry-run",
        "crosspost run examples/summaries --dry-run --now 2027-03-01T08:00Z "
        "--simulate-until 2027-04-01T00:00Z --json",
    ),
    "dry_run_cmd:dry_run": (
        "crosspost dry-run examples/summaries --report out/dry-run.md "
        "--report out/dry-run.html",
        "crosspost dry-run examples/summaries --now 2027-03-01T08:00Z --days 14 --json",
    ),
    "ledger_cmd:status": (
        "crosspost status --upcoming",
        "crosspost status --dry-run --json",
        "crosspost status --health --json",
    ),
    "ledger_cmd:approve": (
        "crosspost approve rs-1a2b3c4d5e6f",
        "crosspost approve --all",
    ),
    "ledger_cmd:cancel": (
        "crosspost cancel 14 15",
        "crosspost cancel --summary rs-1a2b3c4d5e6f",
    ),
    "ledger_cmd:retry": ("crosspost retry 14", "crosspost retry 14 --now"),
    "ledger_cmd:resolve": (
        "crosspost resolve 12 --posted https://x.com/our_account/status/1861000000001",
        "crosspost resolve 12 --not-posted",
    ),
    "reconcile_cmd:run": (
        "crosspost reconcile",
        "crosspost reconcile --min-age 0 --json",
    ),
    "sandbox_cmd:serve": ("crosspost sandbox serve --port 8765",),
    "init_cmd:init": (
        "crosspost init my-project",
        "crosspost --config my-project/config/crosspost.toml plan my-project/summaries",
    ),
    "ledger_copy_cmd:copy": (
        "crosspost ledger copy sqlite:///var/ledger.db "
        "postgresql+psycopg://crosspost@db.example.org/crosspost",
        "crosspost ledger copy sqlite:///var/ledger.db sqlite:///var/copy.db --json",
    ),
    "calendar_cmd:calendar": (
        "crosspost calendar -o plan.ics",
        "crosspost calendar --summary rs-3f9a1c2b7d4e --dry-run > dry-run.ics",
    ),
    "notify_cmd:test": (
        "crosspost notify test",
        "CROSSPOST_NOTIFY__URLS='[\"json://127.0.0.1:8765/_sandbox/notify\"]' "
        "crosspost notify test --json",
    ),
}

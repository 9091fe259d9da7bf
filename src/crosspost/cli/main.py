"""The `crosspost` command: argument parsing and dispatch only.

Handlers live in the cli/*_cmd modules and are imported only when their command runs, so
`crosspost --help` stays fast (pydantic, httpx and Pillow are never imported for it).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from crosspost import __version__
from crosspost.cli.help_text import (
    DESCRIPTION,
    DRY_RUN_HELP,
    EPILOG,
    EXAMPLES,
    INIT_HELP,
    LEDGER_COPY_HELP,
    PLAN_HELP,
    PLATFORM_NAMES,
    RECONCILE_HELP,
    RUN_HELP,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crosspost",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"crosspost {__version__}"
    )
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="settings file (default: config/crosspost.toml; env CROSSPOST_CONFIG)",
    )
    _verbosity(parser, argparse.SUPPRESS)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _init_command(commands)

    summaries = _command(commands, "summaries", "read research summaries", None)
    summaries_sub = summaries.add_subparsers(
        title="summaries commands", metavar="COMMAND"
    )
    show = _command(
        summaries_sub,
        "show",
        "parse one summary and print it "
        "(readable, or --json with the model's field names)",
        "summaries_cmd:show",
    )
    show.add_argument("source", help="a file (.txt, .md, .html), a post URL, or a feed")
    _json(show)
    listing = _command(
        summaries_sub,
        "list",
        "list the summaries in a folder or feed: id, date, title, number of findings",
        "summaries_cmd:list_",
    )
    listing.add_argument(
        "source", help="a folder, a feed URL or feed file, or a single file"
    )
    _json(listing)

    render = _command(
        commands,
        "render",
        "render each platform's teasers: text as sent, count and limit",
        "render_cmd:render",
    )
    _teaser_options(render)
    _json(render)
    render.description = (
        "render each platform's teasers: text as sent, count and limit\n\n"
        "Every teaser that fits is printed; each one that cannot fit is reported\n"
        "on stderr (how much over, what to shorten) and the exit status is 1.\n"
        "With --json, stdout is always one JSON list of the teasers that fit, and\n"
        "stderr has one JSON object per line for each that does not (error,\n"
        "platform, variant, key, over, message, hint)."
    )

    preview = _command(
        commands,
        "preview",
        "write one self-contained HTML page showing every post as it will look",
        "preview_cmd:preview",
    )
    _teaser_options(preview)
    preview.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("preview.html"),
        help="default: preview.html",
    )

    _post_command(commands)
    _schedule_commands(commands)
    _dry_run_command(commands)

    check = _command(
        commands,
        "check",
        "check each enabled platform's credentials (never prints a secret)",
        "check_cmd:check",
    )
    check.add_argument("--platforms", metavar="LIST", help=f"default: {PLATFORM_NAMES}")
    check.add_argument(
        "--dry-run", action="store_true", help="check against the sandbox"
    )
    _json(check)

    _reconcile_command(commands)
    _ledger_commands(commands)
    _calendar_and_notify_commands(commands)

    sandbox = _command(commands, "sandbox", "the fake platform APIs", None)
    sandbox_sub = sandbox.add_subparsers(title="sandbox commands", metavar="COMMAND")
    serve = _command(
        sandbox_sub,
        "serve",
        "serve the fake APIs on loopback, "
        "with a page per platform showing what it received",
        "sandbox_cmd:serve",
    )
    serve.add_argument("--port", type=int, default=8765, help="default: 8765")
    serve.add_argument(
        "--host", default="127.0.0.1", help="default: 127.0.0.1 (loopback)"
    )
    return parser


def _post_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    post = _command(
        commands,
        "post",
        "publish summaries now, or at a time, to the chosen platforms (one-off)",
        "post_cmd:post",
    )
    post.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="summary files, folders or URLs"
    )
    post.add_argument(
        "--platforms",
        metavar="LIST",
        help=f"comma-separated, from {PLATFORM_NAMES} (default: every enabled one)",
    )
    post.add_argument(
        "--variant", default="announce", metavar="V", help="default: announce"
    )
    post.add_argument(
        "--at",
        metavar="TIME",
        help="plan the posts for TIME instead of now (`crosspost run` sends them): "
        "an ISO 8601 instant, a local '2027-03-30 10:00', or the next 'Tue 10:00'",
    )
    _headline(post)
    _dry_run(post)
    post.add_argument(
        "--again",
        action="store_true",
        help="post even if the ledger says this post is already out "
        "(posts a second copy)",
    )
    _json(post)


def _schedule_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    plan = _command(
        commands,
        "plan",
        "show the campaign each summary would get: every post at its slot",
        "plan_cmd:plan",
    )
    plan.description = PLAN_HELP
    plan.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="summary files, folders or feeds"
    )
    plan.add_argument(
        "--now", metavar="TIME", help="plan as if it were TIME (default: now)"
    )
    plan.add_argument(
        "--apply", action="store_true", help="store the campaigns in the ledger"
    )
    plan.add_argument(
        "--platforms",
        metavar="LIST",
        help="only these platforms (default: every enabled one)",
    )
    plan.add_argument(
        "--order",
        metavar="N,N,...",
        help="the findings' order, e.g. 3,1,2 (default: the summary's own)",
    )
    _headline(plan)
    _dry_run(plan, "plan against (and store in) the dry-run ledger")
    _json(plan)

    run = _command(
        commands,
        "run",
        "the runner: poll the sources, plan campaigns, publish each post at its slot",
        "run_cmd:run",
    )
    run.description = RUN_HELP
    run.add_argument(
        "sources",
        nargs="*",
        metavar="SOURCE",
        help="folders, files or feed URLs (default: schedule.sources in the config)",
    )
    run.add_argument(
        "--once", action="store_true", help="one pass, then exit (cron, CI)"
    )
    _dry_run(run)
    run.add_argument(
        "--now", metavar="TIME", help="where a simulated run starts (default: now)"
    )
    run.add_argument(
        "--simulate-until",
        metavar="TIME",
        help="run on a virtual clock up to TIME, without sleeping (with --dry-run)",
    )
    _json(run)

    status = _command(
        commands,
        "status",
        "show the ledger: every post, its slot, status and URL",
        "ledger_cmd:status",
    )
    status.add_argument("--summary", metavar="ID", help="only this summary's posts")
    status.add_argument(
        "--upcoming", action="store_true", help="only posts not sent yet"
    )
    status.add_argument(
        "--health",
        action="store_true",
        help="for a monitor: live runners, next due post, posts needing a person; "
        "exit 1 when one does or no runner ticked within schedule.stale_after",
    )
    _dry_run(status, "show the dry-run ledger")
    _json(status)

    approve = _command(
        commands,
        "approve",
        "approve draft campaigns (with schedule.approval = true)",
        "ledger_cmd:approve",
    )
    approve.add_argument("summary_ids", nargs="*", metavar="SUMMARY_ID")
    approve.add_argument("--all", action="store_true", help="every draft campaign")
    _dry_run(approve, "use the dry-run ledger")
    _json(approve)

    cancel = _command(commands, "cancel", "cancel planned posts", "ledger_cmd:cancel")
    cancel.add_argument("ids", nargs="*", type=int, metavar="ID")
    cancel.add_argument(
        "--summary", metavar="ID", help="cancel the rest of this summary's campaign"
    )
    _dry_run(cancel, "use the dry-run ledger")
    _json(cancel)

    retry = _command(
        commands,
        "retry",
        "plan failed, missed or cancelled posts again",
        "ledger_cmd:retry",
    )
    retry.add_argument("ids", nargs="+", type=int, metavar="ID")
    retry.add_argument(
        "--now", action="store_true", help="due at once (default: the next free slot)"
    )
    _dry_run(retry, "use the dry-run ledger")
    _json(retry)

    resolve = _command(
        commands,
        "resolve",
        "settle by hand a post you have checked: unknown, failed, or a hand-off",
        "ledger_cmd:resolve",
    )
    resolve.add_argument(
        "id", type=int, help="the post's ledger id (from crosspost status)"
    )
    outcome = resolve.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--posted", metavar="URL", help="it is live at URL")
    outcome.add_argument("--not-posted", action="store_true", help="it did not go out")
    _dry_run(resolve, "use the dry-run ledger")
    _json(resolve)


def _dry_run_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    dry_run = _command(
        commands,
        "dry-run",
        "every post of some summaries rendered, planned and sent to the sandbox on a "
        "virtual clock; reports for a pull request",
        "dry_run_cmd:dry_run",
    )
    dry_run.description = DRY_RUN_HELP
    dry_run.add_argument(
        "sources", nargs="+", metavar="SOURCE", help="summary files, folders or feeds"
    )
    dry_run.add_argument(
        "--now", metavar="TIME", help="start the campaigns at TIME (default: now)"
    )
    dry_run.add_argument(
        "--days",
        type=float,
        default=30.0,
        metavar="N",
        help="how many days the virtual clock runs from --now (default: 30)",
    )
    dry_run.add_argument(
        "--report",
        action="append",
        type=Path,
        metavar="FILE",
        help="write a report: FILE.json (every post), FILE.md (a pull-request "
        "comment) or FILE.html (the preview page with the schedule); repeatable",
    )
    _json(dry_run)


def _headline(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--headline",
        type=int,
        metavar="N",
        help="lead with FINDING #N (default: the summary's front matter 'headline',"
        " else its first finding that reports a result)",
    )


def _dry_run(
    parser: argparse.ArgumentParser,
    text: str = "send every request to the in-process sandbox (fake APIs), "
    "with a ledger of its own",
) -> None:
    parser.add_argument("--dry-run", action="store_true", help=text)


def _teaser_options(parser: argparse.ArgumentParser) -> None:
    """Sources, filters and the headline choice of `render` and `preview`."""
    parser.add_argument(
        "source",
        nargs="+",
        help="summary files, folders of them, post URLs or feeds",
    )
    parser.add_argument("--platform", action="append", metavar="P", help=PLATFORM_NAMES)
    parser.add_argument(
        "--variant",
        action="append",
        metavar="V",
        help="announce, finding, recap, thread",
    )
    _headline(parser)


def _reconcile_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    reconcile = _command(
        commands,
        "reconcile",
        "settle posts whose outcome is unknown by looking for them on each platform",
        "reconcile_cmd:run",
    )
    reconcile.description = RECONCILE_HELP
    reconcile.formatter_class = argparse.RawDescriptionHelpFormatter
    reconcile.add_argument(
        "--min-age",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="believe a post is absent only this long after it was sent (default: "
        "120; platforms' listings can lag)",
    )
    reconcile.add_argument(
        "--rebuild",
        action="store_true",
        help="recover a lost ledger: look for every post of SOURCE... on the "
        "platforms and record those found as published",
    )
    reconcile.add_argument(
        "sources", nargs="*", metavar="SOURCE", help="with --rebuild: the summaries"
    )
    reconcile.add_argument(
        "--since-days",
        type=float,
        default=90.0,
        metavar="DAYS",
        help="with --rebuild: look this far back (default: 90)",
    )
    reconcile.add_argument(
        "--dry-run", action="store_true", help="use the sandbox and the dry-run ledger"
    )
    _json(reconcile)


def _init_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    init = _command(
        commands,
        "init",
        "write a starter project: config/, templates/, an example summary",
        "init_cmd:init",
    )
    init.description = INIT_HELP
    init.add_argument(
        "folder",
        nargs="?",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="where (default: the current folder; created if missing)",
    )
    _json(init)


def _ledger_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    ledger = _command(commands, "ledger", "move the ledger", None)
    ledger_sub = ledger.add_subparsers(title="ledger commands", metavar="COMMAND")
    copy = _command(
        ledger_sub,
        "copy",
        "copy every row of one ledger into another, e.g. SQLite to PostgreSQL",
        "ledger_copy_cmd:copy",
    )
    copy.description = LEDGER_COPY_HELP
    copy.add_argument("source", metavar="FROM_URL", help="the ledger to copy")
    copy.add_argument(
        "target", metavar="TO_URL", help="an empty database (created if missing)"
    )
    copy.add_argument(
        "--force",
        action="store_true",
        help="copy even while a post is being sent or a runner is alive",
    )
    _json(copy)


def _calendar_and_notify_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    calendar = _command(
        commands,
        "calendar",
        "export the ledger's posts as an iCalendar file (one event per post)",
        "calendar_cmd:calendar",
    )
    calendar.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="default: standard output"
    )
    calendar.add_argument(
        "--summary", metavar="ID", help="only this summary's posts (its id, rs-...)"
    )
    calendar.add_argument(
        "--dry-run", action="store_true", help="export the dry-run ledger"
    )

    notify = _command(commands, "notify", "notifications to the team (Apprise)", None)
    notify_sub = notify.add_subparsers(title="notify commands", metavar="COMMAND")
    test = _command(
        notify_sub,
        "test",
        "send a test notice to every notify.urls entry; say which were delivered",
        "notify_cmd:test",
    )
    test.add_argument(
        "--dry-run",
        action="store_true",
        help="check every URL and show the notice, send nothing",
    )
    _json(test)


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    handler: str | None,
) -> argparse.ArgumentParser:
    examples = EXAMPLES.get(handler or "")
    parser = commands.add_parser(
        name,
        help=summary,
        description=summary,
        epilog="examples:\n" + "\n".join(f"  {e}" for e in examples)
        if examples
        else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler, command_parser=parser)
    _verbosity(parser, argparse.SUPPRESS)
    return parser


def _verbosity(parser: argparse.ArgumentParser, default: object) -> None:
    """-v and -q, taken before or after the command name."""
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=default,
        help="also log what happens on stderr (-vv: every request)",
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=default, help="print only errors"
    )


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print JSON for programs to read"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.verbose = getattr(args, "verbose", 0)
    args.quiet = getattr(args, "quiet", False)
    handler = getattr(args, "handler", None)
    if handler is None:
        (getattr(args, "command_parser", None) or parser).print_help()
        return 2
    # The runner is a service and logs from INFO; a simulated run is a command.
    service = handler == "run_cmd:run" and not getattr(args, "simulate_until", None)
    _logging(args, long_running=service)
    module_name, _, function_name = handler.partition(":")
    from crosspost.errors import CrosspostError

    try:
        module = importlib.import_module(f"crosspost.cli.{module_name}")
        result: int = getattr(module, function_name)(args)
    except CrosspostError as exc:
        print(f"crosspost: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("crosspost: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`crosspost ... | head`); silence the flush at exit too.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return result


def _logging(args: argparse.Namespace, *, long_running: bool) -> None:
    """Logs go to stderr: for the runner (a service) from INFO; for a command only
    with -v, so its outcomes are said once, on stdout."""
    import logging

    level = logging.INFO if long_running else logging.WARNING
    level -= 10 * args.verbose
    if args.quiet:
        level = logging.ERROR
    logging.basicConfig(
        level=max(level, logging.DEBUG),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if level > logging.DEBUG:
        for chatty in ("httpx", "alembic", "apscheduler"):
            logging.getLogger(chatty).setLevel(max(level, logging.WARNING))

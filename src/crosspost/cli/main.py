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
    EPILOG,
    EXAMPLES,
    PLATFORM_NAMES,
    RECONCILE_HELP,
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
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

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

    post = _command(
        commands,
        "post",
        "publish one summary now to the chosen platforms (one-off)",
        "publish_cmd:post",
    )
    post.add_argument("source", help="a summary file or URL")
    post.add_argument(
        "--platforms",
        default=PLATFORM_NAMES,
        metavar="LIST",
        help=f"default: {PLATFORM_NAMES}",
    )
    post.add_argument(
        "--variant", default="announce", metavar="V", help="default: announce"
    )
    post.add_argument(
        "--dry-run",
        action="store_true",
        help="send every request to the in-process sandbox (fake APIs) "
        "with a ledger of its own",
    )
    post.add_argument(
        "--again",
        action="store_true",
        help="post even if the ledger says this post is already out "
        "(posts a second copy)",
    )
    _json(post)

    check = _command(
        commands,
        "check",
        "check each enabled platform's credentials (never prints a secret)",
        "publish_cmd:check",
    )
    check.add_argument("--platforms", default=PLATFORM_NAMES, metavar="LIST")
    check.add_argument(
        "--dry-run", action="store_true", help="check against the sandbox"
    )
    _json(check)

    status = _command(
        commands,
        "status",
        "show the ledger: every post, its status and URL",
        "publish_cmd:status",
    )
    status.add_argument(
        "--dry-run", action="store_true", help="show the dry-run ledger"
    )
    _json(status)

    resolve = _command(
        commands,
        "resolve",
        "settle a post whose outcome is unknown, or a YouTube hand-off",
        "publish_cmd:resolve",
    )
    resolve.add_argument(
        "id", type=int, help="the post's ledger id (from crosspost status)"
    )
    outcome = resolve.add_mutually_exclusive_group(required=True)
    outcome.add_argument("--posted", metavar="URL", help="it is live at URL")
    outcome.add_argument("--not-posted", action="store_true", help="it did not go out")
    resolve.add_argument(
        "--dry-run", action="store_true", help="use the dry-run ledger"
    )
    _json(resolve)

    _reconcile_command(commands)

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
    parser.add_argument(
        "--headline",
        type=int,
        metavar="N",
        help="lead with FINDING #N (default: the summary's front matter 'headline',"
        " else its first finding that reports a result)",
    )


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
        "--dry-run", action="store_true", help="use the sandbox and the dry-run ledger"
    )
    _json(reconcile)


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
    return parser


def _json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print JSON for programs to read"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        (getattr(args, "command_parser", None) or parser).print_help()
        return 2
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

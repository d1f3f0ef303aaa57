"""`python -m mirps_dash ...`: command-line tasks for the technical team."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import date
from pathlib import Path

from mirps_dash import access, accounts, backup, database, demo, i18n, load, reference, safecells, settings, writes


def _default_lang() -> str:
    return i18n.resolve_lang(None, os.environ.get("LANG"))


def init(args: argparse.Namespace) -> int:
    """Bring the database to head and load the shipped data; print the row count of every table."""
    engine = database.make_engine(args.database_url)
    try:
        reports = (
            load.first_load(engine) if args.data_dir is None else load.load_shipped_data(engine, Path(args.data_dir))
        )
    except load.DataFileError as error:
        print(i18n.t("load_failed", args.lang), file=sys.stderr)
        print(i18n.load_error(error, args.lang), file=sys.stderr)
        return 2
    width = max(len(r.table) for r in reports)
    for r in reports:
        status = "loaded" if r.changed else "unchanged"
        print(f"{r.table:<{width}}  {r.rows:>7}  {status}  ({r.name})")
    return 0


def demo_data(args: argparse.Namespace) -> int:
    """Load or purge the illustrative indicator data (flagged in the database and marked on screen)."""
    engine = database.make_engine(args.database_url)
    if args.action == "load":
        load.load_shipped_data(engine)  # the illustrative rows follow the published commitment counts
        for table, count in demo.load(engine).items():
            print(f"{table:<16} {count:>6}  illustrative")
    else:
        print(f"commitment       {demo.purge(engine):>6}  purged (with their indicators, values and funding)")
    return 0


def _problems(rejected, lang: str) -> int:
    for problem in rejected.problems:
        print(i18n.import_problem(problem, lang), file=sys.stderr)
    return 1


def import_file(args: argparse.Namespace) -> int:
    """Validate and write a file as a user: exit 0 with a summary, or non-zero with every problem and no change."""
    engine = database.make_engine(args.database_url)
    database.upgrade(engine)
    actor = _actor(engine, args.as_user)
    if actor is None:
        print(i18n.t("acct_unknown_user", args.lang, username=args.as_user), file=sys.stderr)
        return 2
    path = Path(args.file)
    try:
        if args.kind == "indicator_values":
            rows = writes.parse(path.read_bytes(), writes.known_codes(engine), file_name=path.name)
            result = writes.apply(engine, actor, rows, reason=args.reason)
            removed = 0
        else:
            kind = reference.kinds()[args.kind]
            result = reference.apply(engine, actor, kind, reference.parse(kind, path.read_bytes(), path.name))
            removed = len(result.removed)
    except writes.Rejected as rejected:
        return _problems(rejected, args.lang)
    except access.Refused as refusal:
        print(i18n.t("imp_refused", args.lang, detail=refusal), file=sys.stderr)
        return 3
    counts = {"new": len(result.new), "changed": len(result.changed), "unchanged": len(result.unchanged)}
    print(i18n.t("imp_summary", args.lang, **counts) + (f", {removed} removed" if removed else ""))
    return 0


def export_kind(args: argparse.Namespace) -> int:
    """A kind of data as CSV on standard output, in its import file's own format, safe to open in a
    spreadsheet (`safecells`)."""
    engine = database.make_engine(args.database_url)
    database.upgrade(engine)  # a database never initialised exports an empty file, not a traceback
    if args.kind == "indicator_values":
        sys.stdout.write(writes.export_csv(engine))
    else:
        sys.stdout.write(reference.export(engine, reference.kinds()[args.kind]))
    return 0


def template(args: argparse.Namespace) -> int:
    """An empty-to-fill template on standard output: a country's indicators for a period (values and
    versions already reported filled in, headers in --lang), or a reference kind's current content."""
    engine = database.make_engine(args.database_url)
    if args.kind != "indicator_values":
        sys.stdout.write(reference.export(engine, reference.kinds()[args.kind]))
        return 0
    rows = writes.template_rows(engine, access.Actor("cli", "admin"), args.country, args.lang, args.period)
    header, *rows = writes.marked_template(engine, rows, args.country, args.lang)  # illustrative values say so
    sys.stdout.write(safecells.csv_text(header, rows))
    return 0


def backup_database(args: argparse.Namespace) -> int:
    """The whole database to one file (schema revision and every table)."""
    Path(args.file).write_bytes(backup.dump(database.make_engine(args.database_url)))
    print(args.file)
    return 0


def restore_database(args: argparse.Namespace) -> int:
    """Replace the whole database with a backup, in one transaction, once the file is checked whole (every
    table, count and checksum); a partial, damaged or edited file changes nothing. What is replaced is kept
    in a new backup file first (--keep-dir; by default beside an SQLite database, else beside FILE), and
    every sign-in session ends."""
    engine = database.make_engine(args.database_url)
    path = Path(args.file)
    try:
        raw = path.read_bytes()
    except OSError as error:
        print(i18n.t("bak_err_unreadable", args.lang, why=error.strerror or type(error).__name__), file=sys.stderr)
        return 1
    keep_dir = Path(args.keep_dir) if args.keep_dir else backup.default_keep_dir(engine, path)
    try:
        restored = backup.restore(engine, raw, keep_dir)
    except backup.BackupError as error:
        print(error.message(args.lang), file=sys.stderr)
        return 1
    print(i18n.t("bak_restored", args.lang, file=path.name))
    for table, count in restored.counts.items():
        print(f"{table:<28} {count:>7}")
    print(i18n.t("bak_sessions_ended", args.lang, n=restored.sessions_ended))
    print(i18n.t("bak_kept", args.lang, path=restored.kept))
    if not restored.checked:
        print(i18n.t("bak_unchecked", args.lang))
    return 0


def _password(args: argparse.Namespace) -> str:
    """From standard input with --password-stdin (scripts), else asked twice without echo."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(i18n.t("cli_password", args.lang))
    if first != getpass.getpass(i18n.t("cli_password_again", args.lang)):
        raise accounts.AccountError("passwords_differ")
    return first


def users(args: argparse.Namespace) -> int:
    """Accounts: add, list, disable, enable, reset (password) and unlock (after repeated failures)."""
    engine = database.make_engine(args.database_url)
    database.upgrade(engine)
    if args.action == "list":
        for user in accounts.list_users(engine):
            state = "locked" if user.locked else "active" if user.is_active else "disabled"
            print(f"{user.username:<20} {user.role:<7} {user.country_iso3 or '':<4} {state}")
        return 0
    if not args.username:
        print(i18n.t("acct_bad_username", args.lang), file=sys.stderr)
        return 2
    try:
        if args.action == "add":
            user = accounts.add_user(engine, args.username, args.role, _password(args), args.country, args.name)
        elif args.action == "reset":
            user = accounts.reset_password(engine, args.username, _password(args))
        else:
            user = {"disable": accounts.disable, "enable": accounts.enable, "unlock": accounts.unlock}[args.action](
                engine, args.username
            )
    except accounts.AccountError as error:
        print(i18n.t(f"acct_{error.code}", args.lang, **error.detail), file=sys.stderr)
        return 2
    print(f"{args.action}: {user.username} ({user.role}{' ' + user.country_iso3 if user.country_iso3 else ''})")
    return 0


def _briefing_data(args: argparse.Namespace):
    """The database's figures for a file, loading the shipped data first on a fresh database."""
    from mirps_dash import briefing, queries

    engine = database.make_engine(args.database_url)
    if load.needs_load(engine):  # as the app does on its first run
        load.first_load(engine)
    if getattr(args, "cut", None):
        return _cut_data(engine, args)
    return briefing.FromReader(queries.Reader(args.database_url))


def factsheet_file(args: argparse.Namespace) -> int:
    """Write the factsheet PDF (the region, then each MIRPS state) in `--lang`."""
    from mirps_dash import factsheet

    data = _briefing_data(args)
    Path(args.out).write_bytes(factsheet.pdf(data, args.lang, _stamp(data, args.lang)))
    print(args.out)
    return 0


def deck_file(args: argparse.Namespace) -> int:
    """Write the presentation slides of `--deck` as a PPTX in `--lang`."""
    from mirps_dash import pptx_deck

    data = _briefing_data(args)
    Path(args.out).write_bytes(pptx_deck.pptx(data, args.lang, args.deck, _stamp(data, args.lang)))
    print(args.out)
    return 0


def _actor(engine, username: str) -> access.Actor | None:
    user = accounts.get_user(engine, username)
    return user.actor if user and user.is_active and not user.locked else None


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m mirps_dash", description=__doc__)
    root.add_argument("--database-url", default=None, help="default: MIRPS_DATABASE_URL, else data/mirps.sqlite")
    root.add_argument("--lang", choices=i18n.LANGS, default=_default_lang(), help="language of messages")
    commands = root.add_subparsers(dest="command", required=True)
    init_command = commands.add_parser("init", help="create or upgrade the database and load the shipped data")
    init_command.add_argument("--data-dir", default=None, help=f"default: {settings.DATA_DIR}")
    init_command.set_defaults(run=init)
    demo_command = commands.add_parser("demo", help="load or purge the illustrative indicator data")
    demo_command.add_argument("action", choices=("load", "purge"))
    demo_command.set_defaults(run=demo_data)
    kinds = ("indicator_values", *reference.kinds())
    import_command = commands.add_parser("import", help="validate and write a file (all or nothing)")
    import_command.add_argument("--kind", choices=kinds, required=True)
    import_command.add_argument("--as", dest="as_user", required=True, help="the username writing")
    import_command.add_argument("--reason", default=None)
    import_command.add_argument("file")
    import_command.set_defaults(run=import_file)
    export_command = commands.add_parser("export", help="write a kind of data as CSV to standard output")
    export_command.add_argument("--kind", choices=kinds, required=True)
    export_command.set_defaults(run=export_kind)
    template_command = commands.add_parser("template", help="write a template to fill as CSV to standard output")
    template_command.add_argument("--kind", choices=kinds, required=True)
    template_command.add_argument("--country", choices=settings.MIRPS_COUNTRIES, default=settings.MIRPS_COUNTRIES[0])
    template_command.add_argument("--period", type=int, default=date.today().year - 1)
    template_command.set_defaults(run=template)
    backup_command = commands.add_parser("backup", help="write the whole database to FILE")
    backup_command.add_argument("file")
    backup_command.set_defaults(run=backup_database)
    restore_command = commands.add_parser("restore", help="replace the whole database with FILE, once checked whole")
    restore_command.add_argument("file")
    restore_command.add_argument(
        "--keep-dir", default=None, help="where to keep what is replaced (default: beside an SQLite file, else FILE)"
    )
    restore_command.set_defaults(run=restore_database)
    users_command = commands.add_parser("users", help="add, list, disable, enable, reset or unlock accounts")
    users_command.add_argument("action", choices=("add", "list", "disable", "enable", "reset", "unlock"))
    users_command.add_argument("username", nargs="?")
    users_command.add_argument("--role", choices=access.ROLES, default="viewer")
    users_command.add_argument("--country", default=None, help="ISO3, for a national technical team")
    users_command.add_argument("--name", default=None, help="display name")
    users_command.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    users_command.set_defaults(run=users)
    _file_commands(commands)
    _cut_commands(commands)
    return root


def _file_commands(commands) -> None:
    """`factsheet` and `deck`; `--lang` is accepted after the command too (the root's value otherwise)."""
    factsheet_command = commands.add_parser("factsheet", help="write the factsheet PDF")
    factsheet_command.add_argument("--lang", choices=i18n.LANGS, default=argparse.SUPPRESS)
    factsheet_command.add_argument("--out", required=True, help="the PDF file to write")
    factsheet_command.add_argument("--cut", default=None, help="the data cut to draw (default: live figures)")
    factsheet_command.set_defaults(run=factsheet_file)
    deck_command = commands.add_parser("deck", help="write the presentation slides as PPTX")
    deck_command.add_argument("--lang", choices=i18n.LANGS, default=argparse.SUPPRESS)
    deck_command.add_argument("--deck", choices=("region", *settings.MIRPS_COUNTRIES), default="region")
    deck_command.add_argument("--out", required=True, help="the PPTX file to write")
    deck_command.add_argument("--cut", default=None, help="the data cut to draw (default: live figures)")
    deck_command.set_defaults(run=deck_file)


# Data cuts: `cut create NAME --as-of DATE`, `cut list`, `cut changes NAME`; `--cut NAME` on factsheet and deck.
def _cut_commands(commands) -> None:
    cut_command = commands.add_parser("cut", help="freeze the figures under a name for a meeting, or list cuts")
    cut_command.add_argument("action", choices=("create", "list", "changes"))
    cut_command.add_argument("name", nargs="?", help='e.g. "Plenary 2025-11"')
    cut_command.add_argument("--as-of", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
    cut_command.add_argument("--as", dest="as_user", default=None, help="create as this user (an approver)")
    cut_command.set_defaults(run=cut)


def cut(args: argparse.Namespace) -> int:
    """Create a cut (as a named approver, or as the operator), list cuts, or say what a cut changed."""
    from mirps_dash import cuts, queries

    engine = database.make_engine(args.database_url)
    if load.needs_load(engine):
        load.first_load(engine)
    if args.action == "list":
        listed = cuts.list_cuts(engine)
        if not listed:
            print(i18n.t("cut_none", args.lang))
        for info in listed:
            print(f"{info.name}\t{info.as_of}\t{info.created_at:%Y-%m-%d %H:%M}\t{info.created_by}")
        return 0
    try:
        if args.action == "create":
            actor = None
            if args.as_user:
                actor = _actor(engine, args.as_user)
                if actor is None:
                    print(f"unknown or disabled user: {args.as_user}", file=sys.stderr)
                    return 2
            made = cuts.create(queries.Reader(args.database_url), args.name, args.as_of or date.today(), actor=actor)
            print(made.stamp(args.lang))
            return 0
        current = _cut_data(engine, args, args.name)
        before = cuts.previous(engine, current.name)
        if before is not None:
            print(i18n.t("cut_changes", args.lang, previous=before.name))
            found = cuts.changes(cuts.load(engine, before.name), current)
            for change in found:
                print(f"- {change.line(args.lang)}")
            if not found:
                print(i18n.t("cut_no_changes", args.lang, previous=before.name))
        return 0
    except cuts.CutError as error:
        print(error.message(args.lang), file=sys.stderr)
        return 2
    except access.Refused:
        print(i18n.t("cut_refused", args.lang), file=sys.stderr)
        return 3


def _cut_data(engine, args: argparse.Namespace, name: str | None = None):
    """The cut named `name` (else `--cut`); an unknown name ends the command with its message."""
    from mirps_dash import cuts

    name = name or args.cut
    found = cuts.load(engine, name or "")
    if found is None:
        print(cuts.CutError("unknown", name=name).message(args.lang), file=sys.stderr)
        raise SystemExit(2)
    return found


def _stamp(data, lang: str) -> str | None:
    """A cut's name and date for the files drawn from it; None for live figures."""
    stamp = getattr(data, "stamp", None)
    return stamp(lang) if stamp else None


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)

"""`python -m mirps_dash ...`: command-line tasks for the technical team."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mirps_dash import access, database, demo, i18n, load, settings, writes


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


def import_file(args: argparse.Namespace) -> int:
    """Validate and write a file as a user: exit 0 with a summary, or non-zero with every problem and no change."""
    engine = database.make_engine(args.database_url)
    database.upgrade(engine)
    actor = _actor(engine, args.as_user)
    if actor is None:
        print(f"unknown or disabled user: {args.as_user}", file=sys.stderr)
        return 2
    try:
        path = Path(args.file)
        rows = writes.parse(path.read_bytes(), writes.known_codes(engine), file_name=path.name)
        result = writes.apply(engine, actor, rows, reason=args.reason)
    except writes.Rejected as rejected:
        for problem in rejected.problems:
            print(i18n.import_problem(problem, args.lang), file=sys.stderr)
        return 1
    except access.Refused as refusal:
        print(i18n.t("imp_refused", args.lang, detail=refusal), file=sys.stderr)
        return 3
    print(
        i18n.t(
            "imp_summary", args.lang, new=len(result.new), changed=len(result.changed), unchanged=len(result.unchanged)
        )
    )
    return 0


def export_values(args: argparse.Namespace) -> int:
    """Reported indicator values as CSV on standard output, in the import file's own format."""
    engine = database.make_engine(args.database_url)
    sys.stdout.write(writes.export_csv(engine))
    return 0


def users(args: argparse.Namespace) -> int:
    engine = database.make_engine(args.database_url)
    database.upgrade(engine)
    if args.action == "add":
        access.add_user(engine, args.username, args.role, args.country)
        print(f"added {args.username} ({args.role}{' ' + args.country if args.country else ''})")
    else:
        for user in access.list_users(engine):
            state = "active" if user["is_active"] else "disabled"
            print(f"{user['username']:<20} {user['role']:<7} {user['country_iso3'] or '':<4} {state}")
    return 0


def _actor(engine, username: str) -> access.Actor | None:
    return next(
        (
            access.Actor(u["username"], u["role"], u["country_iso3"])
            for u in access.list_users(engine)
            if u["username"] == username and u["is_active"]
        ),
        None,
    )


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
    import_command = commands.add_parser("import", help="validate and write a file of reported values")
    import_command.add_argument("--kind", choices=("indicator_values",), required=True)
    import_command.add_argument("--as", dest="as_user", required=True, help="the username writing")
    import_command.add_argument("--reason", default=None)
    import_command.add_argument("file")
    import_command.set_defaults(run=import_file)
    export_command = commands.add_parser("export", help="write a kind of data as CSV to standard output")
    export_command.add_argument("--kind", choices=("indicator_values",), required=True)
    export_command.set_defaults(run=export_values)
    users_command = commands.add_parser("users", help="add or list accounts (sign-in comes with the auth module)")
    users_command.add_argument("action", choices=("add", "list"))
    users_command.add_argument("username", nargs="?")
    users_command.add_argument("--role", choices=access.ROLES, default="viewer")
    users_command.add_argument("--country", default=None, help="ISO3, for a national technical team")
    users_command.set_defaults(run=users)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)

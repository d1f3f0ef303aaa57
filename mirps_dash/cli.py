"""`python -m mirps_dash ...`: command-line tasks for the technical team."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mirps_dash import database, demo, i18n, load, settings


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
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)

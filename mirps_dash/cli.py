"""`python -m mirps_dash ...`: command-line tasks for the technical team."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from mirps_dash import database, i18n, load, settings


def _default_lang() -> str:
    return i18n.resolve_lang(None, os.environ.get("LANG"))


def init(args: argparse.Namespace) -> int:
    """Bring the database to head and load the shipped data; print the row count of every table."""
    engine = database.make_engine(args.database_url)
    try:
        reports = load.load_shipped_data(engine, data_dir=Path(args.data_dir))
    except load.DataFileError as error:
        print(i18n.t("load_failed", args.lang), file=sys.stderr)
        print(i18n.load_error(error, args.lang), file=sys.stderr)
        return 2
    width = max(len(r.table) for r in reports)
    for r in reports:
        status = "loaded" if r.changed else "unchanged"
        print(f"{r.table:<{width}}  {r.rows:>7}  {status}  ({r.name})")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m mirps_dash", description=__doc__)
    root.add_argument("--database-url", default=None, help="default: MIRPS_DATABASE_URL, else data/mirps.sqlite")
    root.add_argument("--lang", choices=i18n.LANGS, default=_default_lang(), help="language of messages")
    commands = root.add_subparsers(dest="command", required=True)
    init_command = commands.add_parser("init", help="create or upgrade the database and load the shipped data")
    init_command.add_argument("--data-dir", default=str(settings.DATA_DIR))
    init_command.set_defaults(run=init)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)

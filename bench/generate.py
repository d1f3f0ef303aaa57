"""Synthetic data at a multiple of the shipped size, for benchmarks only (never for the dashboard).

`python bench/generate.py --scale 100 --out /tmp/bench100.sqlite` loads the shipped data, then adds
(scale - 1) copies of the UNHCR population, pairs and solutions tables shifted into earlier years, with
values jittered, so the big tables grow while the schema, the codes and the queries stay the same.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mirps_dash import database, load
from mirps_dash.schema import Population, PopulationPair, Solution

YEARS_PER_COPY = 10  # the shipped data covers 2016-2025; copy k sits k decades earlier
BATCH = 50_000


def generate(url: str, scale: int, seed: int = 7) -> dict[str, int]:
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    rng = random.Random(seed)  # noqa: S311 - synthetic benchmark data, not security
    counts = {}
    with engine.begin() as connection:
        for model in (Population, PopulationPair, Solution):
            columns = [c for c in model.__table__.columns if c.name != "id"]
            rows = [dict(row._mapping) for row in connection.execute(select(*columns))]
            batch = []
            for copy in range(1, scale):
                for row in rows:
                    batch.append(
                        {
                            **row,
                            "year": row["year"] - YEARS_PER_COPY * copy,
                            "value": int(row["value"] * rng.uniform(0.5, 1.5)),
                        }
                    )
                    if len(batch) >= BATCH:
                        connection.execute(insert(model), batch)
                        batch = []
            if batch:
                connection.execute(insert(model), batch)
            counts[model.__tablename__] = len(rows) * scale
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--out", required=True, help="SQLite file to create (or a database URL)")
    args = parser.parse_args()
    url = args.out if "://" in args.out else f"sqlite:///{Path(args.out).resolve()}"
    for table, rows in generate(url, args.scale).items():
        print(f"{table:<18} {rows:>10}")


if __name__ == "__main__":
    main()

"""Synthetic data at a multiple of the shipped size, for benchmarks only (never for the dashboard).

`python bench/generate.py --scale 1000 --out /tmp/bench1000.sqlite` loads the shipped data and the
illustrative indicator data (`demo`), then adds (scale - 1) copies of the big tables, values jittered, so
the tables grow while the schema and the queries stay the same. The growth has the shape a longer and
wider history would have, not a millennium of years:

- copy k moves the rows (k mod 8) decades earlier, back to 1946: more years;
- from copy 8 on, it also moves them to synthetic countries (a new set for every eight copies), codes
  with a digit in them (no ISO code has one): more pairs and partners, more reporting countries;
- the illustrative commitments, indicators and values are copied to a synthetic country per copy.

The MIRPS views read the same countries as before, over tables a thousand times bigger, which is what
the idiomatic `SELECT *` baseline pays for.

Cities are not multiplied: a thousand times the Cities of Solidarity is not a shape the network can take.
"""

from __future__ import annotations

import argparse
import itertools
import string
import sys
from pathlib import Path

import numpy as np
import polars as pl
from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mirps_dash import database, demo, load, settings
from mirps_dash.schema import Commitment, Indicator, IndicatorValue, Population, PopulationPair, Solution

DECADES = 8  # the shipped years and seven decades before them
BATCH = 50_000
MIRPS = set(settings.MIRPS_COUNTRIES)
# Three characters with at least one digit: never a real ISO 3166 code, 29,080 of them.
SYNTHETIC_CODES = [
    "".join(chars)
    for chars in itertools.product(string.ascii_uppercase + string.digits, repeat=3)
    if any(c.isdigit() for c in chars)
]


def synthetic(group: int, codes: list[str]) -> dict[str, str]:
    """The synthetic code standing for each real code in `group` (1, 2, ...): one-to-one within a group,
    disjoint between groups, so no copy repeats another's key."""
    start = (group - 1) * len(codes)
    if start + len(codes) > len(SYNTHETIC_CODES):
        raise ValueError("scale too large for the synthetic country codes")
    return dict(zip(codes, SYNTHETIC_CODES[start : start + len(codes)], strict=True))


def copies(scale: int):
    """(years earlier, synthetic group) of copy 1 .. scale-1; copy 0 is the data itself."""
    for copy in range(1, scale):
        yield 10 * (copy % DECADES), copy // DECADES


def _read(connection, model, with_id: bool = False) -> pl.DataFrame:
    columns = [c for c in model.__table__.columns if with_id or c.name != "id"]
    return pl.DataFrame([dict(row._mapping) for row in connection.execute(select(*columns))])


def _write(connection, model, frame: pl.DataFrame) -> None:
    for start in range(0, frame.height, BATCH):
        connection.execute(insert(model), frame.slice(start, BATCH).to_dicts())


def _jitter(frame: pl.DataFrame, column: str, rng: np.random.Generator) -> pl.DataFrame:
    factors = rng.uniform(0.5, 1.5, frame.height)
    jittered = (frame[column].cast(pl.Float64) * factors).cast(frame.schema[column])
    return frame.with_columns(jittered.alias(column))


def _renamed(frame: pl.DataFrame, code_column: str, name_column: str, mapping: dict[str, str], where=None):
    """Move the rows (or those `where` says) to the synthetic country standing for their real one."""
    moved = pl.col(code_column).replace(mapping)
    if where is not None:
        moved = pl.when(where).then(moved).otherwise(pl.col(code_column))
    frame = frame.with_columns(moved.alias(code_column))
    name = pl.when(pl.col(code_column).is_in(list(mapping.values()))).then(pl.lit("Synthetic ") + pl.col(code_column))
    return frame.with_columns(name.otherwise(pl.col(name_column)).alias(name_column))


def _stocks(connection, model, scale: int, rng: np.random.Generator) -> int:
    rows = _read(connection, model)
    codes = sorted(set(rows["country_iso3"]))
    for years_earlier, group in copies(scale):
        copy = rows.with_columns(pl.col("year") - years_earlier)
        if group:
            copy = _renamed(copy, "country_iso3", "country_name", synthetic(group, codes))
        _write(connection, model, _jitter(copy, "value", rng))
    return rows.height * scale


def _pairs(connection, scale: int, rng: np.random.Generator) -> int:
    rows = _read(connection, PopulationPair)
    codes = sorted(set(rows["origin_iso3"]) | set(rows["asylum_iso3"]))
    # the partner side moves (the origin when both are MIRPS): MIRPS countries gain partners
    origin_moves = ~pl.col("origin_iso3").is_in(MIRPS) | pl.col("asylum_iso3").is_in(MIRPS)
    for years_earlier, group in copies(scale):
        copy = rows.with_columns(pl.col("year") - years_earlier)
        if group:
            mapping = synthetic(group, codes)
            copy = _renamed(copy, "asylum_iso3", "asylum_name", mapping, where=~origin_moves)
            copy = _renamed(copy, "origin_iso3", "origin_name", mapping, where=origin_moves)
        _write(connection, PopulationPair, _jitter(copy, "value", rng))
    return rows.height * scale


def _ids(connection, model, suffix: str = "") -> dict[str, int]:
    """Code to id of the rows of `model` whose code ends with `suffix`."""
    rows = connection.execute(select(model.code, model.id).where(model.code.endswith(suffix)))
    return {row.code: row.id for row in rows}


def _copy(connection, model, rows: pl.DataFrame, suffix: str, **changes: pl.Expr) -> dict[int, int]:
    """Insert `rows` again with their codes suffixed and `changes` applied; returns old id to new id."""
    _write(connection, model, rows.drop("id").with_columns(pl.col("code") + suffix, **changes))
    new = _ids(connection, model, suffix)
    return {old: new[code + suffix] for old, code in zip(rows["id"], rows["code"], strict=True)}


def _indicators(connection, scale: int, rng: np.random.Generator) -> int:
    """The illustrative commitments, their indicators and values, copied to synthetic countries."""
    commitments = _read(connection, Commitment, with_id=True)
    indicators, values = _read(connection, Indicator, with_id=True), _read(connection, IndicatorValue)
    if commitments.is_empty():
        return 0
    codes = sorted(set(commitments["country_iso3"]))
    for group in range(1, scale):  # a plan has no history to go back in: every copy is a new country
        suffix = f"-S{group}"
        country = pl.col("country_iso3").replace(synthetic(group, codes))
        parents = _copy(connection, Commitment, commitments, suffix, country_iso3=country)
        parent = pl.col("commitment_id").replace_strict(parents)
        new_indicators = _copy(connection, Indicator, indicators, suffix, commitment_id=parent)
        copied = values.with_columns(pl.col("indicator_id").replace_strict(new_indicators))
        _write(connection, IndicatorValue, _jitter(copied, "value", rng))
    return values.height * scale


def generate(url: str, scale: int, seed: int = 7) -> dict[str, int]:
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    demo.load(engine)
    rng = np.random.default_rng(seed)
    with engine.begin() as connection:
        counts = {
            "population": _stocks(connection, Population, scale, rng),
            "solution": _stocks(connection, Solution, scale, rng),
            "population_pair": _pairs(connection, scale, rng),
            "indicator_value": _indicators(connection, scale, rng),
        }
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

"""Illustrative indicator data, so a newcomer sees the whole product before any team has reported.

No public indicator values, costed needs or per-commitment funding exist. These rows are made up, are
flagged `is_illustrative` in every table, are marked on every screen and export that shows them, and
`purge` removes them all. They follow the real public commitment counts: only countries and focus areas
that have a published count get illustrative commitments, and never more than the published number.
The generator is seeded, so every database gets the same rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime

import polars as pl
from sqlalchemy import Engine, delete, insert, select

from mirps_dash import datastamp, memo
from mirps_dash.schema import Commitment, CommitmentCount, Funding, Indicator, IndicatorValue, Narrative

SEED = 2017  # the year of the San Pedro Sula Declaration; any fixed number would do
BASELINE_YEAR, TARGET_YEAR, LAST_PERIOD = 2019, 2027, 2025
PER_AREA = 2  # illustrative commitments per focus area, capped by the published count


@dataclass(frozen=True)
class IndicatorTemplate:
    name_es: str
    name_en: str
    unit: str
    baseline: tuple[float, float]
    direction: str


TEMPLATES: dict[str, tuple[IndicatorTemplate, ...]] = {
    "protection": (
        IndicatorTemplate(
            "Solicitudes de asilo resueltas en plazo legal",
            "Asylum claims decided within the legal time limit",
            "%",
            (25, 45),
            "increase",
        ),
        IndicatorTemplate(
            "Días promedio para registrar una solicitud",
            "Average days to register a claim",
            "days",
            (30, 60),
            "decrease",
        ),
    ),
    "jobs_and_livelihoods": (
        IndicatorTemplate(
            "Personas refugiadas y retornadas en formación técnica",
            "Refugees and returnees in vocational training",
            "people",
            (200, 800),
            "increase",
        ),
    ),
    "education": (
        IndicatorTemplate(
            "Niñez refugiada y desplazada matriculada",
            "Refugee and displaced children enrolled in school",
            "%",
            (50, 70),
            "increase",
        ),
    ),
    "health": (
        IndicatorTemplate(
            "Personas desplazadas con acceso a atención primaria",
            "Displaced people with access to primary care",
            "%",
            (40, 60),
            "increase",
        ),
    ),
    "social_protection": (
        IndicatorTemplate(
            "Hogares refugiados en programas sociales",
            "Refugee households in social programmes",
            "households",
            (100, 400),
            "increase",
        ),
    ),
}
DONORS = ("Donor A", "Donor B", "Donor C")  # no real donor is named next to invented money


def _values(rng: random.Random, baseline: float, target: float) -> dict[int, float]:
    """A plausible, uneven path from the baseline: some indicators keep pace, some lag, some slip."""
    pace = rng.choice((1.1, 0.9, 0.6, 0.3, -0.1))
    values = {}
    for period in range(BASELINE_YEAR + 1, LAST_PERIOD + 1):
        share = (period - BASELINE_YEAR) / (TARGET_YEAR - BASELINE_YEAR)
        noise = rng.uniform(-0.05, 0.05) * abs(target - baseline)
        values[period] = round(baseline + (target - baseline) * share * pace + noise, 1)
    return values


def build(counts: list[dict]) -> dict[str, list[dict]]:
    """All illustrative rows, from the published commitment counts (country, focus_area, commitments)."""
    rng = random.Random(SEED)  # noqa: S311 - reproducible sample data, not security
    rows: dict[str, list[dict]] = {
        "commitment": [],
        "indicator": [],
        "indicator_value": [],
        "narrative": [],
        "funding": [],
    }
    for count in sorted(counts, key=lambda c: (c["country_iso3"], c["focus_area"])):
        templates = TEMPLATES.get(count["focus_area"])
        if not templates:
            continue
        for number in range(1, min(PER_AREA, count["commitments"]) + 1):
            code = f"ILL-{count['country_iso3']}-{count['focus_area']}-{number}"
            need = rng.randrange(200_000, 3_000_000, 50_000)
            rows["commitment"].append(
                {
                    "code": code,
                    "country_iso3": count["country_iso3"],
                    "focus_area": count["focus_area"],
                    "text_es": f"Compromiso ilustrativo {number} del área",
                    "text_en": f"Illustrative commitment {number} in this focus area",
                    "national_plan": "Illustrative national action plan",
                    "period_start": BASELINE_YEAR,
                    "period_end": TARGET_YEAR,
                    "working_group": None,
                    "costed_need_usd": need,
                    "is_illustrative": True,
                }
            )
            for kind, share in (("pledged", 0.6), ("committed", 0.4), ("paid", 0.25)):
                rows["funding"].append(
                    {
                        "commitment_code": code,
                        "donor": rng.choice(DONORS),
                        "kind": kind,
                        "amount_usd": int(need * share * rng.uniform(0.5, 1.0)) // 1000 * 1000,
                        "year": rng.randrange(2021, LAST_PERIOD + 1),
                        "is_illustrative": True,
                    }
                )
            template = templates[(number - 1) % len(templates)]
            baseline = round(rng.uniform(*template.baseline), 1)
            change = rng.uniform(0.3, 0.8) * baseline
            target = round(baseline + change if template.direction == "increase" else baseline - change * 0.6, 1)
            indicator_code = f"{code}-I1"
            rows["indicator"].append(
                {
                    "code": indicator_code,
                    "commitment_code": code,
                    "name_es": template.name_es,
                    "name_en": template.name_en,
                    "unit": template.unit,
                    "baseline_year": BASELINE_YEAR,
                    "baseline_value": baseline,
                    "target_year": TARGET_YEAR,
                    "target_value": target,
                    "direction": template.direction,
                    "is_illustrative": True,
                }
            )
            values = _values(rng, baseline, target)
            if rng.random() < 0.25:  # some indicators have no value yet for the last period
                values.pop(LAST_PERIOD)
            for period, value in values.items():
                status = "published" if period < LAST_PERIOD else rng.choice(("published", "approved", "submitted"))
                validated = status in ("approved", "published")
                rows["indicator_value"].append(
                    {
                        "indicator_code": indicator_code,
                        "period": period,
                        "value": value,
                        "status": status,
                        "reported_by": f"ntt-{count['country_iso3'].lower()} (illustrative)",
                        "validated_by": "ppt (illustrative)" if validated else None,
                        "validated_at": datetime(period + 1, 3, 15, tzinfo=UTC) if validated else None,
                        "version": 1,
                        "is_illustrative": True,
                    }
                )
    for country in sorted({c["country_iso3"] for c in rows["commitment"]}):
        for period in range(BASELINE_YEAR + 1, LAST_PERIOD + 1):
            rows["narrative"].append(
                {
                    "country_iso3": country,
                    "period": period,
                    "text_es": "Texto ilustrativo: aquí el equipo técnico nacional resume avances y desafíos del año.",
                    "text_en": "Illustrative text: here the national technical team summarises the year's progress "
                    "and challenges.",
                    "status": "published",
                    "is_illustrative": True,
                }
            )
    return rows


def _insert(connection, model, rows: list[dict]) -> None:
    if rows:  # an empty executemany would insert one row of defaults
        connection.execute(insert(model), rows)


def _linked(rows: list[dict], parent: str, ids: dict[str, int]) -> list[dict]:
    """Rows built with their parent's code, given the parent's database id instead."""
    return [
        {**{k: v for k, v in row.items() if k != f"{parent}_code"}, f"{parent}_id": ids[row[f"{parent}_code"]]}
        for row in rows
    ]


def purge(engine: Engine) -> int:
    """Remove every illustrative row; returns how many commitments went (their children go with them)."""
    with engine.begin() as connection:
        commitments = select(Commitment.id).where(Commitment.is_illustrative)
        indicators = select(Indicator.id).where(Indicator.commitment_id.in_(commitments))
        connection.execute(delete(IndicatorValue).where(IndicatorValue.indicator_id.in_(indicators)))
        connection.execute(delete(Indicator).where(Indicator.commitment_id.in_(commitments)))
        connection.execute(delete(Funding).where(Funding.commitment_id.in_(commitments)))
        connection.execute(delete(Narrative).where(Narrative.is_illustrative))
        removed = connection.execute(delete(Commitment).where(Commitment.is_illustrative)).rowcount
        datastamp.bump(connection)
    return removed


def load(engine: Engine) -> dict[str, int]:
    """Replace the illustrative rows with a fresh copy (idempotent); returns the row counts written."""
    purge(engine)
    with engine.begin() as connection:
        counts = [
            row._asdict()
            for row in connection.execute(
                select(CommitmentCount.country_iso3, CommitmentCount.focus_area, CommitmentCount.commitments).where(
                    CommitmentCount.count_type == "national_action_plan_focus_area"
                )
            )
        ]
        rows = build(counts)
        _insert(connection, Commitment, rows["commitment"])
        commitment_ids = dict(connection.execute(select(Commitment.code, Commitment.id)).all())
        _insert(connection, Indicator, _linked(rows["indicator"], "commitment", commitment_ids))
        indicator_ids = dict(connection.execute(select(Indicator.code, Indicator.id)).all())
        _insert(connection, IndicatorValue, _linked(rows["indicator_value"], "indicator", indicator_ids))
        _insert(connection, Funding, _linked(rows["funding"], "commitment", commitment_ids))
        _insert(connection, Narrative, rows["narrative"])
        datastamp.bump(connection)
    return {table: len(table_rows) for table, table_rows in rows.items()}


@memo.by_content
def with_mark(table: pl.DataFrame, mark: str) -> pl.DataFrame:
    """`table` with a first column named `mark` holding it on every row, so a copy of any row of
    illustrative values (a selection pasted into a spreadsheet, a file) still says what they are."""
    return table.select(pl.lit(mark).alias(mark), pl.all())

"""What each public-statistics indicator is, in Spanish and English: its name, definition, formula and
caveats, as its indicator page and every table that shows it say them. The numbers are in
`public_indicators`; the sources' own notes are in data/SOURCES.md (sections 1, 3, 10-12)."""

from __future__ import annotations

DECISION_LEVELS = {
    "es": "Niveles de decisión: primera instancia (FI) y apelación o revisión (AR, JR, RA); la fuente no define "
    "los demás códigos, que cuentan solo en el total.",
    "en": "Decision levels: first instance (FI) and appeal or review (AR, JR, RA); the source does not define its "
    "other codes, which count in the total only.",
}
PERSONS_ONLY = {
    "es": "Solo personas: un año que el Estado reporta solo en casos no tiene cifra («no comparable»).",
    "en": "Persons only: a year the State reports only in cases has no figure ('not comparable').",
}
SMALL_COUNTS = {
    "es": "ACNUR redondea los conteos pequeños (no hay valores de 1 a 4).",
    "en": "UNHCR rounds small counts (no value from 1 to 4 appears).",
}
POPULATION_BREAK = {
    "es": "La población de 2016–2024 es la estimación del Banco Mundial; la de 2025, la proyección de la ONU "
    "(WPP 2024), algo más alta: parte del cambio de 2024 a 2025 es el cambio de fuente (hasta 1 %).",
    "en": "Population for 2016–2024 is the World Bank's estimate; for 2025, the UN's projection (WPP 2024), slightly "
    "higher: part of the 2024-to-2025 change is the change of source (up to 1%).",
}
RATE_FORMULA = {
    "es": "(reconocidas + protección complementaria) ÷ (reconocidas + protección complementaria + rechazadas)",
    "en": "(recognized + complementary protection) ÷ (recognized + complementary protection + rejected)",
}


def _both(es: str, en: str) -> dict[str, str]:
    return {"es": es, "en": en}


def _rate(level_es: str, level_en: str) -> dict:
    return {
        "name": _both(f"Tasa de protección total{level_es}", f"Total protection rate{level_en}"),
        "definition": _both(
            "Parte de las decisiones sustantivas sobre solicitudes de asilo que otorgan protección: el estatuto de "
            "refugiado o una protección complementaria. Las decisiones cerradas por otros motivos quedan fuera, como "
            "las define el ACNUR.",
            "The share of substantive asylum decisions that grant protection: refugee status or complementary "
            "protection. Decisions otherwise closed are left out, as UNHCR defines it.",
        ),
        "formula": RATE_FORMULA,
        "caveats": (PERSONS_ONLY, DECISION_LEVELS, SMALL_COUNTS),
    }


TEXTS: dict[str, dict] = {
    "asy_new_applications": {
        "name": _both("Nuevas solicitudes de asilo", "New asylum applications"),
        "definition": _both(
            "Personas que presentaron una nueva solicitud de asilo en el Estado durante el año (no las repetidas "
            "ni las apelaciones).",
            "People who lodged a new asylum application in the State during the year (not repeat claims or appeals).",
        ),
        "formula": _both(
            "suma de solicitudes nuevas (tipo N) en personas, todos los procedimientos",
            "sum of new applications (type N) in persons, every procedure",
        ),
        "caveats": (PERSONS_ONLY, SMALL_COUNTS),
    },
    "asy_decisions_first": {
        "name": _both("Decisiones de asilo en primera instancia", "First-instance asylum decisions"),
        "definition": _both(
            "Personas sobre cuyas solicitudes se decidió en primera instancia durante el año, con cualquier "
            "resultado (incluidos los cierres por otros motivos).",
            "People whose applications were decided at first instance during the year, whatever the outcome "
            "(otherwise-closed included).",
        ),
        "formula": _both("total de decisiones (FI) en personas", "total decisions (FI) in persons"),
        "caveats": (PERSONS_ONLY, SMALL_COUNTS),
    },
    "asy_decisions_appeal": {
        "name": _both("Decisiones de asilo en apelación o revisión", "Asylum decisions on appeal or review"),
        "definition": _both(
            "Personas sobre cuyas solicitudes se decidió en apelación, revisión administrativa o judicial, o "
            "reapertura durante el año.",
            "People whose applications were decided on appeal, administrative or judicial review, or reopening "
            "during the year.",
        ),
        "formula": _both("total de decisiones (AR, JR, RA) en personas", "total decisions (AR, JR, RA) in persons"),
        "caveats": (PERSONS_ONLY, DECISION_LEVELS),
    },
    "asy_protection_rate": _rate(" (todos los niveles)", " (every level)"),
    "asy_protection_rate_first": _rate(", primera instancia", ", first instance"),
    "asy_protection_rate_appeal": _rate(", apelación o revisión", ", appeal or review"),
    "asy_closed_share": {
        "name": _both("Decisiones cerradas por otros motivos", "Decisions otherwise closed"),
        "definition": _both(
            "Parte de todas las decisiones del año que cerraron la solicitud sin resolver el fondo (desistimiento, "
            "abandono, entre otras).",
            "The share of all the year's decisions that closed the application without deciding on it (withdrawn, "
            "abandoned, among others).",
        ),
        "formula": _both(
            "cerradas por otros motivos ÷ total de decisiones (todos los niveles, personas)",
            "otherwise closed ÷ all decisions (every level, persons)",
        ),
        "caveats": (
            PERSONS_ONLY,
            _both(
                "Costa Rica publica muchos cierres por otros motivos (por ejemplo, 37.903 de 43.944 decisiones "
                "en 2022).",
                "Costa Rica publishes many otherwise-closed decisions (e.g. 37,903 of 43,944 decisions in 2022).",
            ),
        ),
    },
    "asy_awaiting": {
        "name": _both("Personas en espera de una decisión", "People awaiting a decision"),
        "definition": _both(
            "Solicitantes de asilo en el Estado a fin de año: personas cuya solicitud aún no tiene decisión firme.",
            "Asylum-seekers in the State at the end of the year: people whose application has no final decision yet.",
        ),
        "formula": _both(
            "solicitantes de asilo, país de asilo, a fin de año (stock)",
            "asylum-seekers, country of asylum, end of year (stock)",
        ),
        "caveats": (SMALL_COUNTS,),
    },
    "asy_awaiting_years": {
        "name": _both("Años de decisiones que representa la espera", "Years of decisions the backlog stands for"),
        "definition": _both(
            "Cuántos años tomaría decidir sobre todas las personas en espera al ritmo de decisiones de ese año.",
            "How many years deciding on everyone waiting would take at that year's pace of decisions.",
        ),
        "formula": _both(
            "personas en espera a fin de año ÷ decisiones del año (primera instancia + apelación, personas)",
            "people awaiting at year end ÷ the year's decisions (first instance + appeal, persons)",
        ),
        "caveats": (
            PERSONS_ONLY,
            _both(
                "Un stock comparado con un flujo: una guía del ritmo, no un plazo para cada persona.",
                "A stock set against a flow: a guide to the pace, not a waiting time for each person.",
            ),
        ),
    },
    "sol_naturalisations": {
        "name": _both("Personas refugiadas naturalizadas", "Refugees naturalised"),
        "definition": _both(
            "Personas refugiadas que obtuvieron la nacionalidad del Estado durante el año (un flujo).",
            "Refugees who acquired the State's nationality during the year (a flow).",
        ),
        "formula": _both("naturalizaciones, país de asilo", "naturalisations, country of asylum"),
        "caveats": (
            _both(
                "Un flujo anual: nunca se suma a las cifras de fin de año.",
                "An annual flow: never added to end-year figures.",
            ),
        ),
    },
    "sol_resettled_from": {
        "name": _both("Personas refugiadas del Estado reasentadas", "Refugees from the State resettled"),
        "definition": _both(
            "Personas refugiadas nacionales del Estado reasentadas en un tercer país durante el año (un flujo).",
            "Refugees from the State resettled to a third country during the year (a flow).",
        ),
        "formula": _both("reasentamiento, país de origen", "resettlement, country of origin"),
        "caveats": (
            _both(
                "Un flujo anual: nunca se suma a las cifras de fin de año.",
                "An annual flow: never added to end-year figures.",
            ),
        ),
    },
    "sol_returned_refugees": {
        "name": _both("Personas refugiadas que regresaron al Estado", "Refugees who returned to the State"),
        "definition": _both(
            "Personas refugiadas nacionales del Estado que regresaron a él durante el año (un flujo).",
            "Refugees from the State who returned to it during the year (a flow).",
        ),
        "formula": _both("retornos de refugiados, país de origen", "returned refugees, country of origin"),
        "caveats": (
            _both(
                "Un flujo anual: nunca se suma a las cifras de fin de año.",
                "An annual flow: never added to end-year figures.",
            ),
        ),
    },
    "host_per_1000": {
        "name": _both("Personas acogidas por cada 1.000 habitantes", "People hosted per 1,000 inhabitants"),
        "definition": _both(
            "Personas refugiadas, solicitantes de asilo y otras necesitadas de protección internacional que el "
            "Estado acoge a fin de año, por cada 1.000 habitantes.",
            "Refugees, asylum-seekers and other people in need of international protection the State hosts at the "
            "end of the year, per 1,000 inhabitants.",
        ),
        "formula": _both(
            "(refugiados + solicitantes de asilo + otras personas necesitadas de protección internacional, país de "
            "asilo) ÷ población total × 1.000",
            "(refugees + asylum-seekers + other people in need of international protection, country of asylum) ÷ "
            "total population × 1,000",
        ),
        "caveats": (POPULATION_BREAK,),
    },
    "from_per_1000": {
        "name": _both(
            "Personas del Estado en el exterior por cada 1.000 habitantes",
            "People from the State abroad per 1,000 inhabitants",
        ),
        "definition": _both(
            "Personas refugiadas, solicitantes de asilo y otras necesitadas de protección internacional originarias "
            "del Estado, en cualquier país, por cada 1.000 habitantes del Estado.",
            "Refugees, asylum-seekers and other people in need of international protection from the State, in any "
            "country, per 1,000 of the State's inhabitants.",
        ),
        "formula": _both(
            "(refugiados + solicitantes de asilo + otras personas necesitadas de protección internacional, país de "
            "origen) ÷ población total × 1.000",
            "(refugees + asylum-seekers + other people in need of international protection, country of origin) ÷ "
            "total population × 1,000",
        ),
        "caveats": (POPULATION_BREAK,),
    },
}


def name(code: str, lang: str) -> str:
    return TEXTS[code]["name"][lang]

"""The sources behind every figure: one registry, used by the loader, the footers and the About page.

Each shipped data file has a default source; a file whose rows come from several sources (IDMC) names
the source per row in a `source_id` column. The full provenance notes are in data/SOURCES.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch

import polars as pl

from mirps_dash import i18n, memo

AS_OF = {"es": "datos a", "en": "data as of"}
BUILT_ON = "2026-11-28"  # when the shipped files were built from archived public copies (data/SOURCES.md)


@dataclass(frozen=True)
class Source:
    key: str
    publisher: dict[str, str]
    title: dict[str, str]
    licence: dict[str, str]
    url: str
    date_of_data: dict[str, str]
    feeds: dict[str, str]
    files: tuple[str, ...]
    invented: bool = False  # illustrative rows: no date of data, no licence to cite
    as_of: dict[str, str] | None = None  # the date of data as a source line says it, where "data as of" does not fit

    def dated(self, lang: str) -> str:
        """The date of data as words a source line reads whole: "data as of end-2025", "data up to 2026"."""
        return self.as_of[lang] if self.as_of else f"{AS_OF[lang]} {self.date_of_data[lang]}"

    def linked_title(self, lang: str) -> str:
        """The title in Markdown, linked to the source's web address; a shipped file (the work plan's text)
        is named, not linked: the server does not serve it."""
        return f"[{self.title[lang]}]({self.url})" if "://" in self.url else self.title[lang]

    def citation(self, lang: str) -> str:
        if self.invented:  # made up to show the product: no date of data, address or licence to cite
            return f"{self.publisher[lang]}, {self.title[lang]}."
        retrieved = {"es": "copia del", "en": "copy of"}[lang]
        return (
            f"{self.publisher[lang]}, {self.title[lang]}, {self.dated(lang)}. "
            f"{self.url} ({self.licence[lang]}; {retrieved} {i18n.source_date(BUILT_ON, lang)})."
        )


def _both(es: str, en: str) -> dict[str, str]:
    return {"es": es, "en": en}


def _same(text: str) -> dict[str, str]:
    return _both(text, text)


SOURCES: tuple[Source, ...] = (
    Source(
        key="unhcr_population",
        publisher=_both("ACNUR", "UNHCR"),
        title=_both(
            "Base de datos de estadísticas de población refugiada (Refugee Data Finder)",
            "Refugee Population Statistics Database (Refugee Data Finder)",
        ),
        licence=_same("CC BY 4.0"),
        url="https://www.unhcr.org/refugee-statistics/",
        date_of_data=_both("fin de 2025", "end-2025"),
        feeds=_both(
            "Cifras de población por país, rol y tipo (2016–2025); resumen regional y perfiles de país",
            "Population by country, role and type (2016–2025); regional overview and country profiles",
        ),
        files=("unhcr_population.csv",),
    ),
    Source(
        key="unhcr_population_pairs",
        publisher=_both("ACNUR", "UNHCR"),
        title=_both(
            "Refugee Data Finder: pares origen–asilo",
            "Refugee Data Finder: origin–asylum pairs",
        ),
        licence=_same("CC BY 4.0"),
        url="https://www.unhcr.org/refugee-statistics/",
        date_of_data=_both("fin de 2025", "end-2025"),
        feeds=_both("Flujos de país de origen a país de asilo", "Flows from country of origin to country of asylum"),
        files=("unhcr_population_pairs.csv",),
    ),
    Source(
        key="unhcr_solutions",
        publisher=_both("ACNUR", "UNHCR"),
        title=_both("Refugee Data Finder: soluciones", "Refugee Data Finder: solutions"),
        licence=_same("CC BY 4.0"),
        url="https://www.unhcr.org/refugee-statistics/",
        date_of_data=_both("fin de 2025", "end-2025"),
        feeds=_both("Reasentamiento, naturalización y retornos", "Resettlement, naturalisation and returns"),
        files=("unhcr_solutions.csv",),
    ),
    Source(
        key="unhcr_asylum_applications",
        publisher=_both("ACNUR", "UNHCR"),
        title=_both("Refugee Data Finder: solicitudes de asilo", "Refugee Data Finder: asylum applications"),
        licence=_same("CC BY 4.0"),
        url="https://www.unhcr.org/refugee-statistics/",
        date_of_data=_both("fin de 2025", "end-2025"),
        feeds=_both(
            "Solicitudes de asilo presentadas, por país de asilo y de origen (2016–2025)",
            "Asylum applications lodged, by country of asylum and of origin (2016–2025)",
        ),
        files=("unhcr_asylum_applications.csv",),
    ),
    Source(
        key="unhcr_asylum_decisions",
        publisher=_both("ACNUR", "UNHCR"),
        title=_both("Refugee Data Finder: decisiones de asilo", "Refugee Data Finder: asylum decisions"),
        licence=_same("CC BY 4.0"),
        url="https://www.unhcr.org/refugee-statistics/",
        date_of_data=_both("fin de 2025", "end-2025"),
        feeds=_both(
            "Decisiones de asilo y tasas de reconocimiento y de protección total",
            "Asylum decisions, recognition and total protection rates",
        ),
        files=("unhcr_asylum_decisions.csv",),
    ),
    Source(
        key="wb_wdi_sp_pop_totl",
        publisher=_both("Banco Mundial", "World Bank"),
        title=_both(
            "Indicadores del Desarrollo Mundial: población total (SP.POP.TOTL)",
            "World Development Indicators: total population (SP.POP.TOTL)",
        ),
        licence=_same("CC BY 4.0"),
        url="https://data.worldbank.org/indicator/SP.POP.TOTL",
        date_of_data=_both("2024", "2024"),
        feeds=_both(
            "Población total 2016–2024, para cifras por 1.000 habitantes",
            "Total population 2016–2024, for figures per 1,000 inhabitants",
        ),
        files=("population_total.csv",),
    ),
    Source(
        key="un_wpp2024_medium",
        publisher=_both("Naciones Unidas, DESA, División de Población", "United Nations, DESA, Population Division"),
        title=_both(
            "Perspectivas de la Población Mundial 2024, proyección (variante media)",
            "World Population Prospects 2024, projection (medium variant)",
        ),
        licence=_same("CC BY 3.0 IGO"),
        url="https://population.un.org/wpp/",
        date_of_data=_both("proyección de 2024 para 2025", "2024 projection for 2025"),
        as_of=_both("datos: proyección de 2024 para 2025", "data: 2024 projection for 2025"),
        feeds=_both(
            "Población total 2025 (una proyección: la serie cambia de fuente entre 2024 y 2025)",
            "Total population 2025 (a projection: the series changes source between 2024 and 2025)",
        ),
        files=("population_total.csv",),
    ),
    Source(
        key="grf_pledges",
        publisher=_both(
            "ACNUR (Plataforma Digital del Pacto Mundial), ACSG y plataforma MIRPS",
            "UNHCR (Global Compact on Refugees Digital Platform), ACSG and the MIRPS platform",
        ),
        title=_both("Compromisos del Foro Mundial sobre los Refugiados", "Global Refugee Forum pledges"),
        licence=_both(
            "datos de páginas públicas; rigen los términos de cada sitio",
            "facts from public pages; each site's terms apply",
        ),
        url="https://globalcompactrefugees.org/",
        date_of_data=_both("páginas consultadas en 2026", "pages as stored in 2026"),
        as_of=_both("páginas consultadas en 2026", "pages as stored in 2026"),
        feeds=_both(
            "Compromisos del FMR de los Estados MIRPS que se encontraron",
            "The GRF pledges of the MIRPS States that were found",
        ),
        files=("grf_pledges.csv",),
    ),
    Source(
        key="unhcr_refugees_pkg_idmc",
        publisher=_both("IDMC (vía ACNUR)", "IDMC (via UNHCR)"),
        title=_both(
            "Personas desplazadas internas por conflicto y violencia (stock a fin de año)",
            "Internally displaced people by conflict and violence (end-year stock)",
        ),
        licence=_both(
            "CC BY 4.0 (paquete de ACNUR); rigen los términos de IDMC", "CC BY 4.0 (UNHCR package); IDMC terms apply"
        ),
        url="https://www.internal-displacement.org/database/",
        date_of_data=_both("fin de 2025", "end-2025"),
        feeds=_both(
            "Cifras de IDMC de desplazamiento interno, junto a las de ACNUR (nunca sumadas)",
            "IDMC internal displacement figures, beside UNHCR's (never added)",
        ),
        files=("idmc_displacement.csv",),
    ),
    Source(
        key="iom_gdidata_idmc_flows",
        publisher=_both("IDMC (GIDD, vía OIM)", "IDMC (GIDD, via IOM)"),
        title=_both(
            "Nuevos desplazamientos internos por causa y amenaza",
            "New internal displacements by cause and hazard",
        ),
        licence=_both("términos de IDMC", "IDMC terms"),
        url="https://www.internal-displacement.org/database/",
        date_of_data=_both("2008–2023", "2008–2023"),
        as_of=_both("datos de 2008–2023", "data for 2008–2023"),
        feeds=_both(
            "Nuevos desplazamientos por conflicto y por desastre",
            "New displacements by conflict and by disaster",
        ),
        files=("idmc_displacement.csv",),
    ),
    Source(
        key="iom_gdidata_idmc_stocks",
        publisher=_both("IDMC (GIDD, vía OIM)", "IDMC (GIDD, via IOM)"),
        title=_both(
            "Personas desplazadas internas por desastres (stock)",
            "Internally displaced people by disasters (stock)",
        ),
        licence=_both("términos de IDMC", "IDMC terms"),
        url="https://www.internal-displacement.org/database/",
        date_of_data=_both("fin de 2024", "end-2024"),
        feeds=_both(
            "Desplazamiento por desastres en Belice y Costa Rica", "Disaster displacement in Belize and Costa Rica"
        ),
        files=("idmc_displacement.csv",),
    ),
    Source(
        key="cities_of_solidarity",
        publisher=_both(
            "ACNUR, municipios y prensa; coordenadas: GeoNames",
            "UNHCR, municipalities and press; coordinates: GeoNames",
        ),
        title=_both("Ciudades Solidarias (fuente por fila)", "Cities of Solidarity (source per row)"),
        licence=_same("GeoNames CC BY 4.0"),
        url="https://www.geonames.org/",
        date_of_data=_both("copias archivadas, 2026", "archived copies, 2026"),
        as_of=_both("copias archivadas en 2026", "copies archived in 2026"),
        feeds=_both("Mapa y lista de Ciudades Solidarias", "Cities of Solidarity map and list"),
        files=("cities_of_solidarity.csv",),
    ),
    Source(
        key="mirps_commitments",
        publisher=_same("MIRPS"),
        title=_both(
            "Áreas de los planes de acción nacionales (páginas de país)",
            "National Action Plan focus areas (country pages)",
        ),
        licence=_both("página web pública", "public web page"),
        url="https://mirps-platform.org/en/mirps-by-country/",
        date_of_data=_both("páginas sin fecha (texto hasta 2021)", "undated pages (text up to 2021)"),
        as_of=_both("páginas sin fecha (texto hasta 2021)", "undated pages (text up to 2021)"),
        feeds=_both("Compromisos por área y país", "Commitments by focus area and country"),
        files=("mirps_commitments.csv",),
    ),
    Source(
        key="mirps_facts",
        publisher=_both("MIRPS, OEA, ACNUR", "MIRPS, OAS, UNHCR"),
        title=_both("Datos públicos del MIRPS (fuente por fila)", "MIRPS public facts (source per row)"),
        licence=_both("páginas web públicas", "public web pages"),
        url="https://mirps-platform.org/",
        date_of_data=_both("fecha por fila", "date per row"),
        as_of=_both("fecha de los datos en cada fila", "date of data on each row"),
        feeds=_both(
            "Hitos, financiamiento y cifras citadas en reuniones", "Milestones, funding and figures quoted at meetings"
        ),
        files=("mirps_facts.csv",),
    ),
    Source(
        key="mirps_governance",
        publisher=_both("MIRPS, OEA, ACNUR", "MIRPS, OAS, UNHCR"),
        title=_both(
            "Presidencias Pro Tempore, reuniones anuales, Plataforma de Apoyo y grupos de trabajo",
            "Pro-Tempore Presidencies, annual meetings, Support Platform and working groups",
        ),
        licence=_both("páginas web públicas", "public web pages"),
        url="https://mirps-platform.org/en/support-platform/",
        date_of_data=_both("hasta 2026", "up to 2026"),
        as_of=_both("datos hasta 2026", "data up to 2026"),
        feeds=_both(
            "Presidencia actual, presidencia de la Plataforma de Apoyo, reuniones",
            "Current Presidency, Support Platform chair, meetings",
        ),
        files=(
            "mirps_pro_tempore_presidency.csv",
            "mirps_annual_meetings.csv",
            "mirps_support_platform_members.csv",
            "mirps_support_platform_chairs.csv",
            "mirps_working_groups.csv",
        ),
    ),
    Source(
        key="workplan",
        publisher=_both(
            "Presidencia Pro Tempore del MIRPS y Secretaría Técnica OEA-ACNUR",
            "MIRPS Pro-Tempore Presidency and OAS-UNHCR Technical Secretariat",
        ),
        title=_both(
            "Planes de trabajo regionales (2021: documento final de la PPT de Guatemala)",
            "Regional work plans (2021: final document of the Guatemala PPT)",
        ),
        licence=_both("documento público", "public document"),
        url="data/seed/mirps_regional_work_plan_2021.txt",
        date_of_data=_both("año de cada plan", "each plan's year"),
        as_of=_both("datos del año de cada plan", "data for each plan's year"),
        feeds=_both("Plan de trabajo de la Presidencia", "The Presidency's work plan"),
        # One set of four files per plan year; a new year is added by adding its files to data/.
        files=(
            "workplan_*_events.csv",
            "workplan_*_working_groups.csv",
            "workplan_*_outcomes.csv",
            "workplan_*_partnerships.csv",
        ),
    ),
    Source(
        key="illustrative",
        publisher=_both("Tablero MIRPS", "MIRPS Dashboard"),
        title=_both(
            "Datos ilustrativos (inventados para mostrar el producto; no son cifras de ningún país)",
            "Illustrative data (invented to show the product; no country's figures)",
        ),
        licence=_both("sin valor como dato", "not data"),
        url="README.md",
        date_of_data=_both("no aplica", "not applicable"),
        feeds=_both(
            "Indicadores, relatos y montos marcados «ilustrativo»",
            "Indicators, narratives and amounts marked 'illustrative'",
        ),
        files=(),
        invented=True,
    ),
    Source(
        key="natural_earth",
        publisher=_same("Natural Earth"),
        title=_both("Países 1:110m (contornos)", "Admin-0 countries 1:110m (outlines)"),
        licence=_both("dominio público", "public domain"),
        url="https://www.naturalearthdata.com/",
        date_of_data=_both("versión incluida en geopandas 0.14.4", "version shipped in geopandas 0.14.4"),
        as_of=_both("versión incluida en geopandas 0.14.4", "version shipped in geopandas 0.14.4"),
        feeds=_both("Contornos de países en los mapas", "Country outlines on maps"),
        files=("mirps_countries_ne110m.geojson", "americas_ne110m.geojson"),
    ),
)

SOURCES_BY_KEY: dict[str, Source] = {s.key: s for s in SOURCES}


def source(key: str) -> Source:
    return SOURCES_BY_KEY[key]


def sources_of_file(name: str) -> tuple[str, ...]:
    """The keys of the sources a shipped file may cite (a file pattern may stand for one file per year)."""
    return tuple(s.key for s in SOURCES if any(fnmatch(name, pattern) for pattern in s.files))


@memo.by_content
def loaded_datasets(files: pl.DataFrame, lang: str) -> list[list[str]]:
    """What was loaded (`queries.loaded_files`), by the datasets /about names, in their order: a reader has no
    use for file names. Rows summed over a dataset's files; the day of its latest load in words."""
    shown: dict[str, list] = {}
    for name, rows, loaded_at in files.select("name", "rows", "loaded_at").iter_rows():
        keys = sources_of_file(name)
        title = " + ".join(source(key).title[lang] for key in keys) or name
        order = min((i for i, s in enumerate(SOURCES) if s.key in keys), default=len(SOURCES))
        total = shown.setdefault(title, [order, 0, ""])
        total[1] += rows
        total[2] = max(total[2], loaded_at or "")
    ranked = sorted(shown.items(), key=lambda item: item[1][0])
    return [
        [title, i18n.number(rows, lang), i18n.source_date(day[:10], lang) or ""] for title, (_, rows, day) in ranked
    ]

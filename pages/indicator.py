"""One indicator on one page: what it is, how it is computed, where it comes from, its baseline and latest
value for every State, a chart of all seven and downloads that carry the same metadata."""

import streamlit as st

from mirps_dash import (
    cache,
    catalog,
    charts,
    indicator_texts,
    indicator_views,
    public_indicators,
    settings,
    tables,
    ui,
    widgets,
)
from mirps_dash.i18n import t


def definition(code: str, lang: str) -> None:
    text, indicator = indicator_texts.TEXTS[code], public_indicators.BY_CODE[code]
    lines = [
        (t("ind_definition", lang), text["definition"][lang]),
        (t("ind_formula", lang), text["formula"][lang]),
        (t("ind_unit", lang), t("pi_unit_" + indicator.unit, lang)),
        (t("ind_area", lang), t("pi_focus_" + indicator.focus_area, lang)),
        (t("ind_direction", lang), t("pi_direction_" + indicator.direction, lang)),
        (t("ind_disaggregation", lang), t("ind_disaggregation_text", lang)),
        (t("ind_periodicity", lang), t("ind_periodicity_text", lang)),
        (t("ind_baseline", lang), str(indicator.baseline_year)),
    ]
    st.markdown("\n".join(f"- **{label}:** {value}" for label, value in lines))
    st.markdown(f"**{t('ind_caveats', lang)}**\n\n" + "\n".join(f"- {c[lang]}" for c in text["caveats"]))
    st.markdown(
        f"**{t('ind_sources', lang)}**\n\n"
        + "\n".join(f"- {catalog.source(key).citation(lang)}" for key in indicator.sources)
    )


def body(frame: ui.Frame) -> None:
    lang = frame.lang
    codes = [indicator.code for indicator in public_indicators.INDICATORS]
    asked = st.query_params.get("code")
    heading = st.empty()  # the title above the picker that names it
    if asked is not None and asked not in codes:
        st.warning(t("ind_unknown", lang))
    code = widgets.url_widget(
        st.columns([2, 1])[0],
        "selectbox",
        t("ind_pick", lang),
        codes,
        key="code",
        default=codes[0],
        format_func=lambda c: indicator_texts.name(c, lang),
    )
    country = st.query_params.get("country") if st.query_params.get("country") in settings.MIRPS_COUNTRIES else None
    indicator = public_indicators.BY_CODE[code]
    name = indicator_texts.name(code, lang)
    heading.title(name)
    table = cache.public_indicator_table(frame.database_url)
    series = public_indicators.series(table, code).select("country_iso3", "year", "value")
    title = t("ind_chart_title", lang, indicator=name)
    st.markdown(f"**{title}**")
    widgets.chart_block(
        charts.public_indicator_lines(series, indicator.unit, lang, country),
        series,
        key="indicator_chart",
        title=title,
        sources=indicator.sources,
        filters=[(t("ind_pick", lang), name)],
        lang=lang,
        name=("indicator", code),
    )
    st.subheader(t("ind_by_state", lang))
    rows = indicator_views.by_state(table, code, lang)
    header = [t("col_country", lang), t("pi_col_baseline", lang, year=indicator.baseline_year)]
    header += [t("ind_latest_year", lang), t("pi_col_value", lang), t("pi_col_change", lang)]
    header.append(t("pi_col_assessment", lang))
    body_rows = [
        [
            r["country"],
            r["baseline"],
            r["latest_year"],
            r["latest"] + (" †" if r["note"] else ""),
            r["change"],
            r["assessment"],
        ]
        for r in rows
    ]
    st.markdown(tables.markdown_table(header, body_rows, right=(1, 2, 3, 4)))
    for note in indicator_views.notes_of(rows, lang):
        st.caption(f"† {note}")
    with st.expander(t("pi_rule_title", lang)):
        st.markdown(t("pi_rule_text", lang))
    definition(code, lang)
    download(table, code, lang)


def download(table, code: str, lang: str) -> None:
    """The indicator for every State and year, with its metadata rows, as CSV and Excel."""
    from mirps_dash import exports  # the chart libraries load only when a page offers files

    frame = indicator_views.export_frame(table, code, lang)
    metadata = indicator_views.metadata_rows(code, lang)
    left, right, _ = st.columns([1, 1, 2])
    name = f"mirps-{code}-{lang}"
    left.download_button(
        t("ind_download_csv", lang),
        lambda: indicator_views.csv_with_metadata(frame, metadata),
        f"{name}.csv",
        "text/csv",
        key="indicator_csv",
        on_click="ignore",
    )
    right.download_button(
        t("ind_download_xlsx", lang),
        lambda: exports.xlsx_bytes(frame, metadata),
        f"{name}.xlsx",
        widgets.XLSX_MIME,
        key="indicator_xlsx",
        on_click="ignore",
    )


ui.run("indicator", body)

"""Sources, definitions, licences, data dates and how to cite."""

import streamlit as st

from mirps_dash import cache, catalog, i18n, indicator_texts, indicator_views, public_indicators, tables, ui, widgets
from mirps_dash.i18n import t

# The headline figures quoted at meetings are defined here too: this page is where their differences are read.
DEFINITIONS = (*i18n.DEFINITIONS, "def_headline_quotes")


def body(frame: ui.Frame) -> None:
    lang = frame.lang
    st.title(t("about_title", lang))
    st.markdown(t("about_lead", lang))

    st.header(t("about_sources", lang))
    # Markdown tables, which wrap and a screen share reads whole: a data grid cut the titles and licences at
    # 1280 px, and loaded 1.2 MB of code for it. What each source feeds and its files sit one click away.
    header = [t("col_publisher", lang), t("col_dataset", lang), t("col_date_of_data", lang), t("col_licence", lang)]
    rows = [[s.publisher[lang], s.linked_title(lang), s.date_of_data[lang], s.licence[lang]] for s in catalog.SOURCES]
    st.markdown(tables.markdown_table(header, rows))
    with st.expander(t("about_feeds", lang)):
        header = [t("col_dataset", lang), t("col_feeds", lang)]
        rows = [[s.title[lang], s.feeds[lang]] for s in catalog.SOURCES]
        st.markdown(tables.markdown_table(header, rows))

    st.header(t("present_downloads", lang))
    st.markdown(t("downloads_lead", lang))
    widgets.file_downloads(frame.database_url, lang)

    st.header(t("definitions", lang))
    st.markdown(i18n.definitions(lang, DEFINITIONS, bullets=True))

    st.header(t("about_cite", lang))
    # A list, not `st.code`: its copy button cost the browser 1.5 MB of syntax highlighter, about 0.3 s of
    # every first visit to this page on a 2-core machine, for two sentences a visitor can select. (Not a
    # quote either: Streamlit greys quoted text below the contrast the other text keeps.)
    cited = (catalog.source("unhcr_population"), catalog.source("unhcr_refugees_pkg_idmc"))
    citations = "\n".join(f"- {s.citation(lang)}" for s in cited)
    st.markdown(f"{t('about_cite_lead', lang)}\n\n{citations}")

    st.header(t("about_public_indicators", lang))
    st.markdown(t("about_public_indicators_lead", lang))
    st.markdown(
        "\n".join(
            f"- [{indicator_texts.name(i.code, lang)}]({indicator_views.page_link(i.code, lang)}): "
            f"{indicator_texts.TEXTS[i.code]['definition'][lang]}"
            for i in public_indicators.INDICATORS
        )
    )
    st.markdown(t("pi_rule_text", lang))

    st.header(t("rule_title", lang))
    st.markdown(t("rule_text", lang))

    st.header(t("about_illustrative", lang))
    st.markdown(t("illustrative_banner", lang))

    st.header(t("about_gaps", lang))
    st.markdown(t("about_gaps_text", lang))
    st.caption(t("about_disclaimer", lang))

    st.header(t("about_loaded", lang))
    loaded = catalog.loaded_datasets(cache.loaded_files(frame.database_url), lang)
    header = [t("col_dataset", lang), t("col_rows", lang), t("col_loaded_at", lang)]
    st.markdown(tables.markdown_table(header, loaded, right=(1,)))
    st.caption(t("about_built_on", lang, date=i18n.source_date(catalog.BUILT_ON, lang)))


ui.run("about", body)

"""Support Platform: members over time, chairs, solidarity events and pledges, the MIRPS Fund, needs."""

import re

import streamlit as st

from mirps_dash import briefing, cache, demo, i18n, markup, metrics, progress, tables, translations, ui, widgets
from mirps_dash.i18n import t

FACT_SOURCES = ("mirps_facts",)
FUND_FACTS = ("F17", "F21", "F22")
FACT_CODE = re.compile(r"\bF\d{2}\b")  # a fact naming another ("Part of F15")


def chairs(frame: ui.Frame) -> None:
    lang = frame.lang
    st.subheader(t("section_chairs", lang))
    unknown = t("chair_unknown_date", lang)

    def date(text: str | None) -> str | None:
        return i18n.source_date(text, lang)

    rows = [
        [
            markup.plain(i18n.country_name(row["iso3"], lang, row["chair"])),
            markup.plain(date(row["term_start"]) or unknown),
            markup.plain(date(row["term_end"]) or unknown),
        ]
        for row in cache.support_platform_chairs(frame.database_url).iter_rows(named=True)
    ]
    st.markdown(tables.markdown_table([t("col_chair", lang), t("col_term_start", lang), t("col_term_end", lang)], rows))
    widgets.source_footer(("mirps_governance",), lang)


def members(frame: ui.Frame) -> None:
    lang = frame.lang
    st.subheader(t("section_members", lang))
    matrix, versions = metrics.membership_matrix(cache.support_platform_members(frame.database_url))
    labels = tables.version_labels(versions)
    counts = ", ".join(f"{labels[v]}: {n}" for v, n in metrics.members_per_version(matrix, tuple(versions)).items())
    st.markdown(t("members_counts", lang, counts=counts))
    st.markdown(tables.membership(matrix, tuple(versions), lang))
    st.caption(f"**{t('members_versions', lang)}:** " + " · ".join(version_link(labels[v], v, lang) for v in versions))
    widgets.source_footer(("mirps_governance",), lang)


def version_link(label: str, version: str, lang: str) -> str:
    """'v1 (archived 2022-10-21)' linked to its page, its note in `lang`: the address means nothing to a donor."""
    url, _, note = version.partition(" (")
    note = translations.version_note(note.removesuffix(")"), lang) if note else ""
    return markup.link(label, url) + (f" ({markup.plain(note)})" if note else "")


def fact_line(fact: dict, lang: str, amounts: dict[str, str]) -> str:
    link = markup.link(t("source_word", lang), fact["source_url"].split(" ; ")[0])
    when = markup.plain(i18n.source_date(fact["date"], lang))
    return f"- **{amount(fact, lang)}** · {when} · {markup.plain(described(fact, lang, amounts))} ({link})"


def described(fact: dict, lang: str, amounts: dict[str, str]) -> str:
    """The fact's words with no code or ISO date left: "Part of F15" names the amount F15 stands for."""
    text = translations.readable(fact["description"], lang)
    return FACT_CODE.sub(lambda code: amounts.get(code.group(0), code.group(0)), text)


def amount(fact: dict, lang: str) -> str:
    return briefing.fact_amount(fact, lang)


def pledges(frame: ui.Frame) -> None:
    lang = frame.lang
    st.subheader(t("section_pledges", lang))
    funding = translations.in_language(cache.facts(frame.database_url, "funding"), lang)
    amounts = {fact["fact_id"]: amount(fact, lang) for fact in funding.iter_rows(named=True)}
    facts_block(metrics.where_in(funding, "fact_id", FUND_FACTS, keep=False), lang, amounts)
    st.caption(t("pledges_note", lang))
    st.subheader(t("section_fund", lang))
    facts_block(metrics.where_in(funding, "fact_id", FUND_FACTS), lang, amounts)
    widgets.source_footer(FACT_SOURCES, lang)


def facts_block(facts, lang: str, amounts: dict[str, str]) -> None:
    """The facts as one Markdown list, and the source's English of a translation one click away."""
    st.markdown(fact_list(facts, lang, amounts))
    rows = [(amounts[f["fact_id"]], translations.originals(f, ("description",))) for f in facts.iter_rows(named=True)]
    # The source's words, with its dates and its references to other facts read out as on the page.
    english = [(figure, described({"description": text[0]}, "en", amounts)) for figure, text in rows if text]
    if originals := [f"- {markup.plain(figure)}: {markup.plain(text)}" for figure, text in english]:
        with st.expander(t("original_english", lang)):
            st.markdown("\n".join(originals))


def fact_list(facts, lang: str, amounts: dict[str, str]) -> str:
    """The facts as one Markdown list: one element on the page, not one per fact."""
    return "\n".join(fact_line(fact, lang, amounts) for fact in facts.iter_rows(named=True))


def unfunded(frame: ui.Frame) -> None:
    lang = frame.lang
    st.subheader(t("section_unfunded", lang))
    st.markdown(t("unfunded_lead", lang))
    table = progress.funding_by_commitment(
        cache.plan_indicators(frame.database_url), cache.funding(frame.database_url), lang
    )
    if table.is_empty():
        st.info(t("unfunded_none", lang))
        return
    illustrative = bool(table["is_illustrative"].any())
    if illustrative:
        st.warning(t("illustrative_banner", lang))
    # Markdown tables, whose every row says "illustrative" where it is, so a copied selection keeps the mark;
    # a data grid's own download and copy carried the numbers without it.
    by_theme = tables.view(progress.funding_by_country_and_theme(table), drop=("is_illustrative",))
    st.markdown(f"**{t('funding_by_theme', lang)}**\n\n" + funding_table(by_theme, illustrative, lang))
    brief = tables.view(
        table, ("country_iso3", "focus_area", "commitment", "need_usd", "pledged", "committed", "paid", "gap_usd")
    )
    # The commitment names its area; 7 columns fit 1280 px.
    shown = tables.view(brief, drop=("focus_area",))
    st.markdown(f"**{t('funding_by_commitment', lang)}**\n\n" + funding_table(shown, illustrative, lang))
    widgets.chart_block(
        None,
        brief,
        key="support_unfunded",
        title=t("section_unfunded", lang),
        sources=("illustrative",) if illustrative else ("mirps_commitments",),
        filters=[],
        lang=lang,
        summary=t("funding_note", lang),
        name=("support", "commitments-awaiting-funding"),
        illustrative=illustrative,
    )


def funding_table(rows, illustrative: bool, lang: str) -> str:
    marked = demo.with_mark(rows, t("illustrative_mark", lang)) if illustrative else rows
    return tables.as_markdown(marked, lang)


def body(frame: ui.Frame) -> None:
    lang = frame.lang
    st.title(t("support_title", lang))
    st.markdown(t("support_lead", lang))
    chairs(frame)
    members(frame)
    st.divider()
    pledges(frame)
    st.divider()
    unfunded(frame)


ui.run("support", body)

"""Presentation mode (`?present=1`): one message per slide, large type, the source on every slide.

The deck (`?deck=region` or an ISO3 code) and the slide number (`?slide=3`) live in the URL, so a
presenter can share the exact slide; the Left and Right keys step through it, and `?auto=SECONDS` (or
the control beside the slide number) moves on by itself.
"""

from __future__ import annotations

import time

import streamlit as st

from mirps_dash import briefing, cache, settings, slides, widgets
from mirps_dash.i18n import t

# Sizes for a 1280x720 screen share (headline figures of at least 48 px, labels of at least 20 px), growing
# with the width (vw) so a 1920x1080 projector shows the same slide larger rather than emptier.
STYLE = """
<style>
[data-testid='stSidebar'], [data-testid='stHeader'], [data-testid='stToolbar'] {display: none}
.block-container {padding-top: 0.6rem; padding-bottom: 0.2rem; max-width: 100%}
h1 {padding-top: 0.2rem !important}
[data-testid='stMetricValue'],
[data-testid='stMetricValue'] * {font-size: max(52px, 4.1vw) !important; line-height: 1}
[data-testid='stMetricDelta'], [data-testid='stMetricDelta'] * {font-size: max(20px, 1.6vw) !important}
[data-testid='stMarkdownContainer'] p, [data-testid='stMarkdownContainer'] li {font-size: max(22px, 1.7vw)}
[data-testid='stCaptionContainer'], [data-testid='stCaptionContainer'] p {font-size: max(20px, 1.6vw)}
h1 {font-size: max(42px, 3.3vw) !important; padding-bottom: 0.2rem !important}
[data-testid='stVerticalBlock'] {gap: 0.45rem}
[data-testid='stCaptionContainer'] p {margin-bottom: 0}
</style>
"""


def _slide(frame, content: briefing.Content) -> None:
    """Draw one slide's body: its headline cards (two a row: at 1280 px four side by side cannot hold
    seven digits at slide size) or its chart."""
    if content.cards:
        widgets.headline_cards(content.cards, per_row=2, footnotes=True)
    if content.chart is not None:
        widgets.draw(briefing.on_slide(content.chart))
    if content.illustrative:
        st.markdown(widgets.illustrative_mark(frame.lang))


def _go(number: int) -> None:
    st.query_params["slide"] = str(number)


AUTO_CHOICES = (0, 10, 20, 30, 60)  # seconds; 0 is off. `?auto=N` adds any other whole number up to an hour
AUTO_KEY = "present_auto_shown"  # (deck, slide, when the timer first saw it)


def _auto_seconds(container, lang: str) -> int:
    """The auto-advance interval from `?auto=` and its control; the URL carries it only while it is on."""
    options = list(AUTO_CHOICES)
    requested = st.query_params.get("auto", "")
    if requested.isdigit() and 0 < int(requested) <= 3600 and int(requested) not in options:
        options = sorted({*options, int(requested)})

    def label(seconds: int) -> str:
        return t("present_auto_seconds", lang, n=seconds) if seconds else t("present_auto_off", lang)

    seconds = widgets.url_widget(
        container,
        "selectbox",
        t("present_auto", lang),
        options,
        key="auto",
        default=0,
        cast=int,
        format_func=label,
        label_visibility="collapsed",  # the label stays for screen readers; the options say "Auto: 20 s"
    )
    if not seconds:
        del st.query_params["auto"]
        st.session_state["_url_auto"] = []
    return seconds


def _advance_every(seconds: int, deck_name: str, number: int, total: int) -> None:
    """Move to the next slide once the current one has been up `seconds`; stop at the last slide.

    A fragment that reruns on its own every `seconds` checks the time, so a slide reached by hand
    still gets its full time before the timer moves on."""
    if not seconds or number >= total:
        st.session_state.pop(AUTO_KEY, None)  # a stale start must not skip a slide when the timer resumes
        return

    @st.fragment(run_every=seconds)
    def timer() -> None:
        now = time.monotonic()
        deck_seen, number_seen, since = st.session_state.get(AUTO_KEY) or (None, None, now)
        if (deck_seen, number_seen) != (deck_name, number):
            st.session_state[AUTO_KEY] = (deck_name, number, now)
        elif now - since >= seconds - 0.5:  # the timer may fire a little early
            _go(number + 1)
            st.rerun()

    timer()


def show(frame, default_deck: str = slides.REGION) -> None:
    """The deck named in the URL (else `default_deck`), at the slide named in the URL."""
    lang = frame.lang
    st.markdown(STYLE, unsafe_allow_html=True)  # our own fixed CSS; no user text
    span = cache.population_years(frame.database_url)
    if span is None:
        st.info(t("no_data_reported", lang))
        return
    requested = st.query_params.get("deck") or default_deck
    deck_name = requested if requested in settings.MIRPS_COUNTRIES else slides.REGION
    deck = slides.deck(deck_name)
    number = slides.position(st.query_params.get("slide"), deck)
    st.query_params["deck"] = deck_name
    st.query_params["slide"] = str(number)
    previous, counter, auto, files, following = st.columns([1, 2.8, 1.2, 1, 1], vertical_alignment="center")
    previous.button(
        t("present_previous", lang),
        shortcut="Left",
        disabled=number == 1,
        on_click=_go,
        args=(number - 1,),
        width="stretch",  # both ends of the bar line up with the slide's edges
    )
    counter.markdown(
        f"<div style='text-align:center;font-size:max(20px, 1.5vw)'>"
        f"{t('present_slide', lang, n=number, total=len(deck))} · {t('credit', lang)}</div>",
        unsafe_allow_html=True,  # fixed strings of ours
    )
    seconds = _auto_seconds(auto, lang)
    with files.popover(t("present_downloads", lang)):
        widgets.file_downloads(frame.database_url, lang, deck_name)
    following.button(
        t("present_next", lang),
        shortcut="Right",
        disabled=number == len(deck),
        on_click=_go,
        args=(number + 1,),
        width="stretch",
    )
    content = briefing.slide(cache.Cached(frame.database_url), deck[number - 1], lang, span)
    st.title(content.title)
    _slide(frame, content)
    widgets.source_footer(content.sources, lang)
    _advance_every(seconds, deck_name, number, len(deck))

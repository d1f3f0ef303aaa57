"""Text from a link, a user or the database is shown as itself, never as Markdown: `markup.plain` below the UI,
and the pages that show such text, opened with a hostile link."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mirps_dash import markup, slides
from tests.conftest import open_page

HOSTILE = "[click me](https://evil.example) ![t](http://x/track.png)"
# Bare addresses GitHub-flavoured Markdown links by itself, and Streamlit's own directives.
ADDRESSES = ("www.evil.example", "https://evil.example/x", "mailto:a@evil.example", "someone@evil.example")
STREAMLIT = (":red[alarm]", ":material/home:", ":smile:", "$x^2$", "<img src=http://x/t.png>", "&amp;")


def _escaped_at(text: str, index: int) -> bool:
    """True when the character at `index` follows an odd number of backslashes."""
    slashes = 0
    while index - slashes - 1 >= 0 and text[index - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def active_markup(markdown: str) -> list[str]:
    """What in `markdown` a Markdown renderer would turn into a link, an image, HTML, an autolink or one of
    Streamlit's directives: the constructs that start at an unescaped character."""
    found = []
    for match in re.finditer(r"!\[|\]\(|\]\[|(?<!\]\()<|:[a-z/_-]+[:\[]|\$", markdown):  # "](<" opens a link's address
        if not _escaped_at(markdown, match.start()):
            found.append(match.group())
    # Autolinks are found again in the text the escapes leave (GitHub-flavoured Markdown's second pass).
    shown = re.sub(r"\\(.)", r"\1", markdown)
    found += re.findall(r"(?i)\bwww\.|\b(?:https?|mailto|xmpp):[/\w]|[\w.+-]@[\w-]+\.\w|:[\w/-]+:", shown)
    return found


def test_the_checker_finds_what_it_must():
    """The checker itself: a test that could not fail would prove nothing."""
    assert active_markup(HOSTILE) == ["](", "![", "](", "https:/", "http:/"]
    assert all(active_markup(text) for text in (*ADDRESSES, *STREAMLIT[:-1]))
    assert {"![", "https://evil.example", "http://x/track.png"} <= set(hostile_markup(HOSTILE))
    assert hostile_markup("[UNHCR](https://www.unhcr.org)") == []


@pytest.mark.parametrize("text", [HOSTILE, *ADDRESSES, *STREAMLIT, "# heading", "> quote", "1. item", "**b**"])
def test_plain_leaves_nothing_active_and_reads_as_written(text):
    safe = markup.plain(text)
    assert active_markup(safe) == []
    assert markup.unescaped(safe) == text
    assert not safe.startswith(("#", ">", "1.", "*"))


@pytest.mark.parametrize("name", ["San José", "Ciudad de México", "Tegucigalpa", "Quetzaltenango", "Ñuñoa"])
def test_city_names_read_normally(name):
    assert markup.plain(name) == name


def test_line_breaks_become_spaces_or_markdown_breaks():
    assert markup.plain(" a\n\n# b \r\n c ") == "a \\# b c"
    assert markup.plain("a\n# b", lines=True) == "a  \n\\# b"
    assert markup.plain(None) == ""


@given(st.text(alphabet=st.characters(exclude_characters=markup.WORD_JOINER)))
def test_any_text_is_shown_as_itself_and_nothing_else(text):
    safe = markup.plain(text)
    assert active_markup(safe) == []
    assert "\n" not in safe and "\r" not in safe
    # What shows is the text itself, its line breaks read as spaces: nothing more and nothing less.
    words = re.split(r"[\s\u2028\u2029]+", text.replace("\t", " ").strip())
    assert markup.unescaped(safe).split() == [word for word in words if word]


def hostile_markup(markdown: str) -> list[str]:
    """The active constructs of `markdown` (`active_markup`) that lead to the hostile link's hosts or draw an
    image: the app's own source links are fine."""
    found = [m for m in active_markup(markdown) if m in ("![", "<")]
    found += [
        m.group(1)
        for m in re.finditer(r"\]\(([^)\s]*)", markdown)
        if not _escaped_at(markdown, m.start()) and ("evil" in m.group(1) or "track" in m.group(1))
    ]
    shown = re.sub(r"\\(.)", r"\1", markdown)
    found += [m for m in re.findall(r"(?i)(?:www\.|https?:/|mailto:\w)\S*", shown) if "evil" in m or "track" in m]
    return found


def rendered_markdown(app) -> list[str]:
    """Every text an AppTest run rendered as Markdown: bodies, captions, titles, alerts, labels and help. The
    app's own HTML (its slide style, the slide counter) is left out, once checked to hold no outside text."""
    texts = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success", "toast"):
        for element in getattr(app, kind):
            if getattr(element.proto, "allow_html", False):
                assert "evil" not in element.value and "track" not in element.value
            else:
                texts.append(element.value)
    for kind in ("metric", "button", "selectbox", "text_input", "tabs", "expander"):
        for element in getattr(app, kind, []):
            texts += [getattr(element, "label", "") or "", getattr(element, "help", "") or ""]
    return [text for text in texts if isinstance(text, str)]


def test_a_hostile_cut_link_shows_a_plain_message_and_no_link_or_image(app_database):
    app = open_page(lang="en", present="1", cut=HOSTILE)
    assert not app.exception
    shown = rendered_markdown(app)
    assert [text for text in shown if hostile_markup(text)] == []
    warning = " ".join(w.value for w in app.warning)
    assert markup.unescaped(markup.plain(HOSTILE)) in markup.unescaped(warning)  # named, as text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.unhcr.org/x", "[source](<https://www.unhcr.org/x>)"),
        ("http://a.org/a b>c)\n", "[source](<http://a.org/a b%3Ec)>)"),
        ("http://a.org/a\nb\\>", "[source](<http://a.org/a%0Ab%5C%3E>)"),
        ("javascript:alert(1)", "source"),
        ("/relative", "source"),
        ("", "source"),
        (None, "source"),
    ],
)
def test_a_link_from_outside_goes_only_to_a_web_address_and_cannot_break_out(url, expected):
    assert markup.link("source", url) == expected


def test_a_link_label_is_plain_text():
    assert (
        markup.link("[x](https://evil.example)", "https://a.org")
        == f"[{markup.plain('[x](https://evil.example)')}](<https://a.org>)"
    )
    assert hostile_markup(markup.link("![t](http://x/track.png)", "https://a.org")) == []


# What the Secretariat uploads and the teams type, made hostile in every text column a page shows.
HOSTILE_ROWS = {
    "city": ("city", "municipality", "status_date"),
    "fact": ("description", "date"),
    "workplan_event": ("title", "date_text"),
    "workplan_working_group": ("name", "focus", "suggested_members", "partners", "first_session"),
    "workplan_outcome": ("title", "description"),
    "workplan_partnership": ("partner", "planned_actions"),
    "narrative": ("text_es", "text_en"),
    "commitment": ("text_es", "text_en", "working_group"),
    "indicator": ("name_es", "name_en"),
    "annual_meeting": ("place", "date"),
    "support_platform_chair": ("term_start",),
    "support_platform_member": ("member",),
    "working_group": ("working_group",),
}
HOSTILE_LINKS = {"city": "source_url", "fact": "source_url"}  # addresses that must not become javascript: links
PAGES = [
    ("app.py", {}),
    ("pages/cities.py", {}),
    ("pages/country.py", {"country": "HND", "section": "mirps"}),
    ("pages/plans.py", {"country": "HND"}),
    ("pages/support.py", {}),
    ("pages/workplan.py", {}),
    # The slide of the Support Platform's facts: their dates as the file gives them, under the figures (the
    # shipped work plan is 2021's, so the deck has no work-plan slide: `presentation.deck_of`).
    (
        "app.py",
        {"present": "1", "slide": str([s.kind for s in slides.deck("region", workplan=False)].index("support") + 1)},
    ),
]


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    from sqlalchemy import text

    from mirps_dash import database, demo, load

    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'mirps.sqlite'}"
    engine = database.make_engine(url)
    load.load_shipped_data(engine)
    demo.load(engine)
    with engine.begin() as connection:
        for table, columns in HOSTILE_ROWS.items():
            assignments = ", ".join(f"{column} = :hostile || ' ' || rowid" for column in columns)  # rows stay unique
            connection.execute(text(f"UPDATE {table} SET {assignments}"), {"hostile": HOSTILE + " www.evil.example"})
        for table, column in HOSTILE_LINKS.items():
            connection.execute(text(f"UPDATE {table} SET {column} = 'javascript:alert(1)'"))
    return url


@pytest.mark.parametrize(("script", "query"), PAGES, ids=[f"{script}{query}" for script, query in PAGES])
def test_hostile_uploaded_and_typed_text_is_shown_as_text_on_every_page(hostile_url, monkeypatch, script, query):
    from tests.conftest import app_pointed_at

    for _ in app_pointed_at(hostile_url, monkeypatch):
        app = open_page(script, lang="en", **query)
        assert not app.exception
        shown = rendered_markdown(app)
        assert [text for text in shown if hostile_markup(text) or "javascript:" in text] == []
        assert any("click me" in text for text in shown), script  # the page did show it, as text

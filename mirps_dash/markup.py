"""Text from outside the code (a URL parameter, what a user typed, what the database holds) made safe to put
into Markdown. No Streamlit here.

Streamlit renders Markdown in nearly every element: titles, captions, alerts, metric and widget labels, help
tooltips, tabs, toasts. A cut name from `?cut=[x](https://…)` became a link, `![t](http://…)` an image the
browser fetched. `plain` makes such text read as itself: the marks that open Markdown inline (links,
images, emphasis, code, raw HTML and entities, tables, Streamlit's `:color[…]`, `:icon:` and `$math$`) are
backslash-escaped everywhere, and those that open a block (a heading, a list, a quote) where a line starts.
Escapes are not enough for bare addresses: GitHub-flavoured Markdown links `www.…`, `http://…` and
`name@host` a second time, in the text the escapes leave, so a word joiner (U+2060, invisible and zero-width)
goes where each of those starts. Letters, digits, commas and dots mid-line are untouched: "San José" and
"94,449" read and compare as written.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"

# An underscore between two letters or digits opens no emphasis ("cities_of_solidarity.csv" stays as it is).
_INLINE = re.compile(r"([\\`*\[\]<>&~$|]|(?<![^\W_])_|_(?![^\W_]))")
# What opens a block where a line starts: "# h", "> q", "- i", "+ i", "1. i", "2) i", a rule "---" or an
# underline "===". "+998", "-5" and "1.5" stay as they are.
_BLOCK_START = re.compile(r"^(?:(#{1,6}(?=\s|$)|>|[-+](?=\s|$)|-(?=[-\s]*$)|=(?=[=\s]*$))|(\d{1,9})([.)])(?=\s|$))")
# Where a bare address or a Streamlit shortcode would start: before the dot of "www.", after a colon that a
# word or a slash follows ("http://", "mailto:x", ":smile:", ":material/home:") and before "@". A colon that
# ends a phrase ("Note: …") stays as it is.
_ADDRESS = re.compile(r"(?i)(?<=www)(?=\.)|(?<=:)(?=[\w/+-])|(?=@)")
_BREAKS = re.compile(r"\s*[\r\n\v\f\u2028\u2029]+\s*")


def plain(text: object, *, lines: bool = False) -> str:
    """`text` as Markdown that shows exactly it: no link, image, emphasis, heading, HTML or autolink. Line
    breaks become spaces (a heading, a table cell or an inline mention stays one line), or with `lines`
    Markdown line breaks. None is the empty string."""
    if text is None:
        return ""
    value = str(text).replace("\t", " ")
    parts = [_one_line(part) for part in _BREAKS.split(value.strip())]
    return ("  \n" if lines else " ").join(part for part in parts if part)


def _one_line(text: str) -> str:
    escaped = _INLINE.sub(r"\\\1", _ADDRESS.sub(WORD_JOINER, text.strip()))
    return _BLOCK_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped)


_URL_START = re.compile(r"(?i)^https?://[^/\s]")
_URL_UNSAFE = re.compile(r"[\r\n\t\v\f<>\\]")  # what ends an address written as <…>; a space does not


def link(label: object, url: object) -> str:
    """A Markdown link to `url` labelled `label`, both from outside: only an http(s) address becomes a link
    (never `javascript:` or a relative path), with the characters that could end it percent-encoded; any
    other address leaves the label as plain text."""
    address = str(url or "").strip()
    if not _URL_START.match(address):
        return plain(label)
    address = _URL_UNSAFE.sub(lambda m: "".join(f"%{byte:02X}" for byte in m[0].encode()), address)
    return f"[{plain(label)}](<{address}>)"


def unescaped(markdown: str) -> str:
    """What `plain` gives back as text on screen: its escapes and joiners removed (for tests and for the
    places that need the original, such as a file name)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(WORD_JOINER, "")

"""The interface's messages live in gettext catalogues (`mirps_dash/locale`), one a language, kept with Babel's
extract, update and compile (`mirps_dash/locale/README.md`): every message the code names is in the template
and translated in both languages, none is unused, the compiled files are those of their sources, and the app
shows what they hold."""

from __future__ import annotations

import configparser
import re
import subprocess
import sys

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from mirps_dash import i18n, message_keys
from tests.conftest import ROOT

LOCALE = ROOT / "mirps_dash" / "locale"
KEYWORDS = {"t": None, "N_": None}  # `pybabel extract -k t -k N_ --no-default-keywords`
UPDATE_OPTIONS = ("--no-fuzzy-matching", "--ignore-obsolete", "--ignore-pot-creation-date")


def mapping() -> list[tuple[str, str]]:
    """babel.cfg's sections, as `extract_from_dir` takes them: (pattern, method)."""
    config = configparser.ConfigParser()
    config.read(ROOT / "babel.cfg")
    return [tuple(reversed(section.split(": ", 1))) for section in config.sections()]


def extracted() -> set[str]:
    """The message keys the code names, found as `pybabel extract -F babel.cfg` finds them."""
    found = extract_from_dir(ROOT, method_map=mapping(), keywords=KEYWORDS)
    return {message for _, _, message, _, _ in found}


def read(path) -> dict[str, object]:
    with path.open("rb") as file:
        return {message.id: message for message in read_po(file) if message.id}


def catalogue(lang: str) -> dict[str, object]:
    return read(LOCALE / lang / "LC_MESSAGES" / "messages.po")


def test_the_template_holds_every_message_the_code_names_and_no_other():
    """A new `t("key", lang)` without `pybabel extract` fails here, and so does a message left in the template
    after its last use went."""
    names = extracted()
    template = set(read(LOCALE / "messages.pot"))
    assert sorted(names - template) == [], "named in the code, not in messages.pot: run pybabel extract"
    assert sorted(template - names) == [], "in messages.pot, named nowhere in the code: run pybabel extract"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_message_is_translated_and_none_is_unused(lang):
    template, messages = set(read(LOCALE / "messages.pot")), catalogue(lang)
    assert sorted(template - set(messages)) == [], f"missing from {lang}: run pybabel update"
    assert sorted(set(messages) - template) == [], f"unused in {lang}: run pybabel update --ignore-obsolete"
    untranslated = [key for key, message in messages.items() if not message.string or message.fuzzy]
    assert untranslated == [], f"untranslated or fuzzy in {lang}"


def test_the_catalogues_are_as_pybabel_update_leaves_them():
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]  # the test's own Babel, whatever the PATH
    result = subprocess.run(
        [*pybabel, "update", "--check", "-i", LOCALE / "messages.pot", "-d", LOCALE, *UPDATE_OPTIONS],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_the_compiled_catalogue_is_that_of_its_source(lang):
    """The app reads the .mo: one compiled before the last edit of the .po shows yesterday's words."""
    with (LOCALE / lang / "LC_MESSAGES" / "messages.mo").open("rb") as file:
        compiled = {message.id: message.string for message in read_mo(file) if message.id}
    assert compiled == {key: message.string for key, message in catalogue(lang).items()}, "run pybabel compile"


def test_the_app_shows_what_the_catalogues_hold_and_keeps_no_messages_of_its_own():
    held = {lang: catalogue(lang) for lang in i18n.LANGS}
    shown = {key: {lang: held[lang][key].string for lang in i18n.LANGS} for key in held[i18n.DEFAULT_LANG]}
    assert shown == i18n.STRINGS
    source = (ROOT / "mirps_dash" / "i18n.py").read_text()
    assert not re.search(r'^\s+"[a-z0-9_]+": \{\s*"es":', source, re.M), "a message written in i18n.py"


def test_each_message_chosen_at_run_time_is_chosen_somewhere():
    """`message_keys.RUNTIME` names the messages whose key the code builds (`t(f"status_{status}")`) or hands
    on: each must still be built or handed on, or it is an unused message kept alive by the list."""
    sources = [*(ROOT / "mirps_dash").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]
    code = "\n".join(path.read_text() for path in sources if path.name != "message_keys.py")
    literals = set(re.findall(r"""["']([a-z0-9_]+)["']""", code))
    prefixes = set(re.findall(r"""f["']([a-z0-9_]+)\{""", code))
    prefixes |= set(re.findall(r"""["']([a-z0-9_]+_)["'] \+""", code))
    suffixes = set(re.findall(r"""f["']\{[^}]+\}([a-z0-9_]+)["']""", code))
    unused = [
        key
        for key in message_keys.RUNTIME
        if key not in literals and not key.startswith(tuple(prefixes)) and not key.endswith(tuple(suffixes))
    ]
    assert unused == []
    assert len(set(message_keys.RUNTIME)) == len(message_keys.RUNTIME)

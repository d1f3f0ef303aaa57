"""The docs stay true: README commands, CI command, data sources, pages and layering."""

from __future__ import annotations

import ast
import re
from fnmatch import fnmatch

from mirps_dash import catalog, load, ui
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
RUN_COMMAND = "pip install -r requirements.txt && streamlit run app.py"
TEST_COMMAND = "pip install -r requirements-dev.txt && python -m pytest"


def test_readme_holds_exactly_the_two_setup_commands():
    blocks = re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    assert [block.strip() for block in blocks] == [RUN_COMMAND, TEST_COMMAND]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"TEST_COMMAND='{TEST_COMMAND}'" in ci


def test_every_data_file_has_a_registered_source_and_is_described():
    shipped = {p.name for p in (ROOT / "data").iterdir() if p.suffix in (".csv", ".geojson")}
    for name in shipped:
        assert catalog.sources_of_file(name), f"{name} has no registered source"
    for source in catalog.SOURCES:
        for pattern in source.files:
            assert any(fnmatch(name, pattern) for name in shipped), f"{pattern} matches no shipped file"
    sources_md = (ROOT / "data" / "SOURCES.md").read_text(encoding="utf-8")
    for name in shipped:
        assert name in sources_md, name
    assert {spec.name for spec in load.shipped_files()} == {n for n in shipped if n.endswith(".csv")}


def test_every_page_of_the_design_exists_and_calls_the_frame_once():
    scripts = {page.script for page in ui.PAGES}
    on_disk = {"app.py", *(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))}
    assert scripts == on_disk
    for script in scripts:
        source = (ROOT / script).read_text(encoding="utf-8")
        assert source.count("ui.run(") == 1, script
        assert "st.navigation" not in source, script


def imports_of(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_ui_modules_import_streamlit_and_pages_hold_no_sql():
    allowed = {"cache.py", "ui.py", "widgets.py", "presentation.py", "auth.py"}
    for path in (ROOT / "mirps_dash").rglob("*.py"):
        if path.name not in allowed:
            assert "streamlit" not in imports_of(path), path.name
    for script in ("app.py", *(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))):
        imported = imports_of(ROOT / script)
        assert "sqlalchemy" not in imported and "polars" not in imported, script
        assert not re.search(r"\bSELECT\b", (ROOT / script).read_text(encoding="utf-8")), script


def test_nothing_imports_streamlit_authenticator():
    """Its cookie is set from JavaScript, so it cannot be HttpOnly: the server sets the sign-in cookie
    (mirps_dash/cookie_routes.py) and `auth` draws the form."""
    for path in [*(ROOT / "mirps_dash").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]:
        assert "streamlit_authenticator" not in imports_of(path), path.name

"""Data: national teams enter and submit their figures, the PPT approves and publishes, everyone who
works on the data sees each value's history, and the Secretariat sees the audit log.

Every action goes through `writes`, which checks the role and the country again whatever this page
shows; problems in a file are listed as a table (row, column, message), never rendered as markup.
"""

import hashlib
from contextlib import contextmanager
from datetime import UTC, date, datetime

import streamlit as st

from mirps_dash import access, cache, grid, i18n, intake, reference, settings, ui, widgets, writes
from mirps_dash.i18n import t

SECTIONS = ("enter", "review", "history", "reference", "audit")
ADMIN_SECTIONS = {"reference": ("admin",), "audit": access.APPROVERS}


def _engine(frame: ui.Frame):
    return cache.reader(frame.database_url).engine


# A time as each language writes it (no ISO date on screen): the grid's own month names are English.
TIME_FORMAT = {"es": "DD/MM/YYYY HH:mm", "en": "D MMM YYYY, HH:mm"}


def _table(rows: list[dict], labels: dict[str, str], lang: str, download: tuple | None = None) -> None:
    """Rows as a table with headers in the user's language (`labels`: column -> message key); times to
    the minute. Cells are text, never markup.

    `download` (the section, then what else names the file) offers the table as CSV and XLSX that are
    safe to open in a spreadsheet: what users typed (comments, reasons, names) may start like a formula,
    and Streamlit's own table download, switched off (`client.disableDataExport`), writes it as it is."""
    config = {
        column: st.column_config.DatetimeColumn(t(key, lang), format=TIME_FORMAT[lang])
        if column == "at" or column.endswith("_at")
        else t(key, lang)
        for column, key in labels.items()
    }
    st.dataframe(rows, hide_index=True, column_config=config)
    if download and rows:
        _downloads(rows, {column: t(key, lang) for column, key in labels.items()}, download, lang)


def _downloads(rows: list[dict], headers: dict[str, str], parts: tuple, lang: str) -> None:
    """The table's own CSV and XLSX downloads, built on the click."""
    from mirps_dash import exports  # with vl-convert: loaded only where a table is offered

    title = " · ".join([t(f"data_section_{parts[0]}", lang), *(str(part) for part in parts[1:])])
    exported = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    metadata = [(t("meta_title", lang), title), (t("meta_exported", lang), exported)]
    files = [
        ("download_csv", lambda: exports.csv_bytes(exports.table_frame(rows, headers)), "csv", "text/csv"),
        (
            "download_xlsx",
            lambda: exports.xlsx_bytes(exports.table_frame(rows, headers), metadata),
            "xlsx",
            widgets.XLSX_MIME,
        ),
    ]
    row = st.container(horizontal=True)
    for label, build, extension, mime in files:
        row.download_button(
            t(label, lang),
            build,
            file_name=exports.file_name(*parts, lang, extension=extension),
            mime=mime,
            key=f"data_{parts[0]}_{extension}",
            on_click="ignore",
        )


def _problems(problems: list[intake.Problem], lang: str, intro: str = "data_problems") -> None:
    st.error(t(intro, lang, n=len(problems)))
    st.dataframe(
        [
            {
                t("col_row", lang): problem.row,
                t("col_column", lang): problem.column,
                t("col_message", lang): i18n.import_problem(problem, lang),
            }
            for problem in problems
        ],
        hide_index=True,
    )


@contextmanager
def _answered(lang: str):
    """Around a write: its problems (row, column, message) or its refusal are shown, not raised; what
    follows the write inside the block runs only when it succeeded."""
    try:
        yield
    except intake.Rejected as rejected:
        _problems(rejected.problems, lang)
    except access.Refused:
        st.error(t("data_refused", lang))


def _country(frame: ui.Frame, key: str) -> str:
    """A national team works on its own country; the PPT and the Secretariat choose."""
    if frame.user.role == "ntt":
        st.markdown(f"**{t('filter_country', frame.lang)}:** {i18n.country_name(frame.user.country_iso3, frame.lang)}")
        return frame.user.country_iso3
    return widgets.country_picker(st, frame.lang, key=key, default=settings.MIRPS_COUNTRIES[0])


def _parsed(frame: ui.Frame, raw: bytes, file_name: str) -> list[writes.ValueRow] | intake.Rejected:
    """A file's rows, or its problems, read once per file content: a rerun (typing a reason, a click) does
    not read the file again. Kept in this session only, since the rows are this user's upload."""
    key = ("data_parsed", hashlib.sha256(raw).hexdigest(), file_name)
    if st.session_state.get("data_parsed_key") != key:
        try:
            outcome = writes.parse(raw, writes.known_codes(_engine(frame)), file_name=file_name)
        except intake.Rejected as rejected:
            outcome = rejected
        st.session_state["data_parsed_key"], st.session_state["data_parsed"] = key, outcome
    return st.session_state["data_parsed"]


def _preview(frame: ui.Frame, raw: bytes, file_name: str, key: str) -> str | None:
    """Show what a file would change, and write it on request; once written, what was saved, for the
    caller to show."""
    lang, engine, actor = frame.lang, _engine(frame), frame.actor
    rows = _parsed(frame, raw, file_name)
    if isinstance(rows, intake.Rejected):
        _problems(rows.problems, lang, "data_grid_problems" if key == "data_grid" else "data_problems")
        return None
    preview = writes.preview(engine, rows)
    new, changed, unchanged = len(preview.new), len(preview.changed), len(preview.unchanged)
    shown = [
        {"code": r.indicator_code, "period": r.period, "old": None, "new": r.value, "kind": t("data_new", lang)}
        for r in preview.new
    ] + [
        {"code": r.indicator_code, "period": r.period, "old": old, "new": r.value, "kind": t("data_changed", lang)}
        for r, old in preview.changed
    ]
    # The preview lives in one slot so that, once written, it gives way to what was saved.
    slot = st.empty()
    with slot.container():
        st.info(t("imp_summary_preview", lang, new=new, changed=changed, unchanged=unchanged))
        if shown:
            labels = {"code": "col_indicator_code", "period": "col_period", "old": "col_old_value"}
            _table(shown, labels | {"new": "col_new_value", "kind": "col_change"}, lang)
        reason = st.text_input(t("data_reason", lang), key=f"{key}_reason", max_chars=500)
        submitted = st.button(t("data_submit", lang), type="primary", disabled=not shown, key=f"{key}_submit")
    if not submitted:
        return None
    with _answered(lang):
        result = writes.apply(engine, actor, rows, reason=reason or None)
        cache.clear()
        slot.empty()
        counts = {"new": len(result.new), "changed": len(result.changed), "unchanged": len(result.unchanged)}
        return t("data_saved", lang, **counts)
    return None


def _grid(frame: ui.Frame, country: str, period: int) -> None:
    """Edit one country's period on screen. The rows (with the versions read) are kept from the moment the
    grid is shown until they are saved, so a value changed by someone else meanwhile is a conflict, and a
    save starts a fresh grid on what was saved."""
    lang, engine, actor = frame.lang, _engine(frame), frame.actor
    generation = st.session_state.setdefault("data_grid_generation", 0)
    key = f"data_grid_{country}_{period}_{lang}_{generation}"
    if st.session_state.get("data_grid_rows_key") != key:
        template = writes.template_rows(engine, actor, country, lang, period)
        st.session_state["data_grid_rows_key"], st.session_state["data_grid_rows"] = (
            key,
            grid.rows_from_template(template),
        )
    rows = st.session_state["data_grid_rows"]
    message = st.empty()  # what was saved, until the next edit: reruns alone do not take it away
    st.caption(t("data_grid_help", lang))
    edited = st.data_editor(
        grid.editor_rows(rows),
        hide_index=True,
        disabled=("row", "code", "name", "current"),
        column_order=("row", "name", "current", "new_value", "comment", "code"),
        column_config={
            "row": st.column_config.NumberColumn(t("col_row", lang), format="%d", width="small"),
            "code": st.column_config.TextColumn(t("col_indicator_code", lang)),
            "name": st.column_config.TextColumn(t("col_indicator", lang), width="large"),
            "current": st.column_config.NumberColumn(t("data_grid_current", lang), format="localized"),
            "new_value": st.column_config.NumberColumn(t("col_new_value", lang), min_value=0, format="localized"),
            "comment": st.column_config.TextColumn(t("col_comment", lang), max_chars=500),
        },
        placeholder=i18n.NO_FIGURE,
        alt=t("data_how_grid", lang),
        key=key,
    )
    raw = grid.import_bytes(rows, edited, lang)
    done = st.session_state.get("data_grid_saved")
    if raw is None and done and done[0] == key:
        message.success(done[1])
    saved = _preview(frame, raw, "grid.csv", "data_grid") if raw is not None else None
    if saved:  # a fresh grid on what was saved; the message stays with it until the next edit
        st.session_state["data_grid_generation"] = generation + 1
        st.session_state["data_grid_saved"] = (f"data_grid_{country}_{period}_{lang}_{generation + 1}", saved)
        st.rerun()


def enter(frame: ui.Frame) -> None:
    lang, engine, actor = frame.lang, _engine(frame), frame.actor
    left, right = st.columns(2)
    with left:
        country = _country(frame, "data_country")
    period = right.number_input(
        t("col_period", lang),
        min_value=writes.FIRST_PERIOD,
        max_value=date.today().year,
        value=date.today().year - 1,
        step=1,
        key="data_period",
    )
    csv_file, xlsx_file = writes.template_files(engine, actor, country, lang, int(period))
    name = f"mirps-{country.lower()}-{int(period)}-{t('data_template_name', lang)}"
    first, second, _ = st.columns([1, 1, 3])
    first.download_button(t("data_template_csv", lang), csv_file, f"{name}.csv", "text/csv", key="data_tpl_csv")
    second.download_button(
        t("data_template_xlsx", lang),
        xlsx_file,
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="data_tpl_xlsx",
    )
    how = st.segmented_control(
        t("data_how", lang),
        ("upload", "grid"),
        default="upload",
        format_func=lambda option: t(f"data_how_{option}", lang),
        key="data_how",
    )
    if how == "grid":
        _grid(frame, country, int(period))
        return
    upload = st.file_uploader(
        t("data_upload", lang, mb=intake.MAX_BYTES // 1_000_000 or 1),
        type=["csv", "xlsx"],
        max_upload_size=intake.MAX_BYTES // 1_000_000 or 1,
        key="data_upload",
    )
    if upload is not None and (saved := _preview(frame, upload.getvalue(), upload.name, "data_file")):
        st.success(saved)


def review(frame: ui.Frame) -> None:
    lang, engine, actor = frame.lang, _engine(frame), frame.actor
    queue = writes.review_queue(engine, actor)
    if not queue:
        st.info(t("data_queue_empty", lang))
        return
    statuses = ("submitted", "returned", "approved", "published")
    st.dataframe(
        [
            {
                t("filter_country", lang): i18n.country_name(entry["country_iso3"], lang),
                t("col_period", lang): entry["period"],
                **{t(f"status_{status}", lang): entry.get(status, 0) for status in statuses},
                t("col_locked", lang): entry["locked"],
            }
            for entry in queue
        ],
        hide_index=True,
    )
    if actor.role not in access.APPROVERS:
        st.caption(t("data_review_ntt", lang))
        return
    options = [
        (entry["country_iso3"], entry["period"])
        for entry in queue
        if entry.get("submitted") or entry.get("approved") or (entry["locked"] and actor.role == "admin")
    ]
    if not options:
        st.info(t("data_nothing_waiting", lang))
        return
    picked = st.selectbox(
        t("data_pick_batch", lang),
        options,
        key="data_batch",
        format_func=lambda option: f"{i18n.country_name(option[0], lang)} · {option[1]}",
    )
    country, period = picked
    # A click reruns the script, which would read the batch afresh: the versions the reviewer decided on
    # are the ones the previous run drew, kept here; a value changed since then moves nothing.
    shown = st.session_state.get("data_review_shown")
    seen = shown[2] if shown and shown[:2] == (country, period) else {}
    values = st.container()
    comment = st.text_input(t("data_comment", lang), key="data_review_comment", max_chars=500)
    buttons = st.columns(4)
    with _answered(lang):  # each step changes what some role sees, so the cached reads go
        try:
            if buttons[0].button(t("data_approve", lang), type="primary", key="data_approve"):
                moved = writes.approve(engine, actor, country, period, seen, comment or None)
                st.success(t("data_moved", lang, n=moved))
                cache.clear()
            if buttons[1].button(t("data_return", lang), key="data_return"):
                st.success(t("data_moved", lang, n=writes.send_back(engine, actor, country, period, seen, comment)))
                cache.clear()
            if buttons[2].button(t("data_publish", lang), key="data_publish"):
                st.success(t("data_moved", lang, n=writes.publish(engine, actor, country, period, seen)))
                cache.clear()
            if actor.role == "admin" and buttons[3].button(t("data_unlock", lang), key="data_unlock"):
                writes.unlock(engine, actor, country, period, comment or "")
                st.success(t("data_unlocked", lang))
        except intake.Rejected as rejected:
            if any(p.code != "changed_since_review" for p in rejected.problems):
                raise  # a missing comment: listed by `_answered`
            st.error(t("data_changed_since_review", lang))
            changes = [{t("col_message", lang): t(f"imp_{p.code}", lang, **p.detail)} for p in rejected.problems]
            st.dataframe(changes, hide_index=True)
    batch = writes.review_batch(engine, actor, country, period)  # after any step: what is drawn is decided on
    st.session_state["data_review_shown"] = (country, period, batch.versions)
    rows = [
        {
            "code": v.indicator_code,
            "name": v.name_es if lang == "es" else v.name_en,
            "value": v.value,
            "status": t(f"status_{v.status}", lang),
            "version": v.version,
        }
        for v in batch.values
    ]
    labels = {"code": "col_indicator_code", "name": "col_indicator", "value": "col_reported_value"}
    with values:
        st.caption(t("data_review_values", lang))
        _table(rows, labels | {"status": "col_status", "version": "col_version"}, lang)


def history(frame: ui.Frame) -> None:
    lang, engine, actor = frame.lang, _engine(frame), frame.actor
    country = _country(frame, "data_history_country")
    values = [row for row in writes.current_values(engine, actor, country) if row["period"] is not None]
    if not values:
        st.info(t("data_no_history", lang))
        return
    picked = st.selectbox(
        t("data_pick_value", lang),
        values,
        key="data_history_value",
        format_func=lambda row: f"{row['name_es' if lang == 'es' else 'name_en']} · {row['period']}",  # no code
    )
    versions = writes.history(engine, actor, picked["code"], picked["period"])
    if not versions:  # loaded with the data, never changed here
        value = i18n.number(picked["value"], lang)
        st.info(t("data_history_none", lang, value=value, version=picked["version"]))
        return
    labels = {"version": "col_version", "old_value": "col_old_value", "new_value": "col_new_value"}
    labels |= {"status": "col_status", "changed_by": "col_changed_by", "changed_at": "col_changed_at"}
    _table(versions, labels | {"reason": "col_reason"}, lang, download=("history", picked["code"], picked["period"]))
    earlier = [v["version"] for v in versions[1:]]
    if not earlier or actor.role not in access.WRITERS:
        return
    to_version = st.selectbox(t("data_revert_to", lang), earlier, key="data_revert_version")
    if st.button(t("data_revert", lang), key="data_revert"):
        with _answered(lang):
            writes.revert(engine, actor, picked["code"], picked["period"], to_version)
            cache.clear()
            st.success(t("data_reverted", lang, version=to_version))


def reference_data(frame: ui.Frame) -> None:
    """The Secretariat replaces a reference table from its CSV (the current content is the template)."""
    lang, engine, actor = frame.lang, _engine(frame), frame.actor
    kinds = reference.kinds()
    name = st.selectbox(
        t("data_reference_kind", lang), list(kinds), format_func=lambda k: t(f"data_kind_{k}", lang), key="data_kind"
    )
    kind = kinds[name]
    st.download_button(
        t("data_reference_current", lang), reference.export(engine, kind), f"{name}.csv", "text/csv", key="data_ref_csv"
    )
    upload = st.file_uploader(
        t("data_upload", lang, mb=intake.MAX_BYTES // 1_000_000 or 1),
        type=["csv", "xlsx"],
        max_upload_size=intake.MAX_BYTES // 1_000_000 or 1,
        key=f"data_ref_upload_{name}",
    )
    if upload is not None:
        try:
            rows = reference.parse(kind, upload.getvalue(), upload.name)
        except intake.Rejected as rejected:
            _problems(rejected.problems, lang)
            return
        preview = reference.preview(engine, kind, rows)
        st.info(
            t(
                "data_reference_preview",
                lang,
                new=len(preview.new),
                changed=len(preview.changed),
                unchanged=len(preview.unchanged),
                removed=len(preview.removed),
            )
        )
        if st.button(t("data_reference_apply", lang), type="primary", key="data_ref_apply"):
            reference.apply(engine, actor, kind, rows)
            cache.clear()
            st.success(t("data_reference_done", lang))
    versions = reference.versions(engine, kind)
    if versions:
        labels = {"version": "col_version", "saved_by": "col_changed_by", "saved_at": "col_changed_at"}
        _table(versions, labels, lang, download=("reference", name))
        version = st.selectbox(t("data_revert_to", lang), [v["version"] for v in versions], key="data_ref_version")
        if st.button(t("data_revert", lang), key="data_ref_revert"):
            reference.restore_version(engine, actor, kind, version)
            cache.clear()
            st.success(t("data_reverted", lang, version=version))


def audit(frame: ui.Frame) -> None:
    labels = {"at": "col_changed_at", "username": "col_changed_by", "action": "col_action"}
    _table(
        writes.audit_log(_engine(frame), frame.actor),
        labels | {"outcome": "col_outcome", "detail": "col_detail"},
        frame.lang,
        download=("audit",),
    )


def body(frame: ui.Frame) -> None:
    lang = frame.lang
    st.title(t("page_data", lang))
    st.caption(t("stub_data", lang))
    shown = [s for s in SECTIONS if frame.role in ADMIN_SECTIONS.get(s, access.WRITERS)]
    section = st.segmented_control(
        t("data_section", lang),
        shown,
        default="enter",
        format_func=lambda s: t(f"data_section_{s}", lang),
        key="data_section",
    )
    sections = {"enter": enter, "review": review, "history": history, "reference": reference_data, "audit": audit}
    sections.get(section or "enter")(frame)


ui.run("data", body)

"""The widgets a page draws its figures with: KPI cards, charts with their note and downloads, branch tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.dataframe_util import convert_pandas_df_to_arrow_table

from branchboard import access
from branchboard.escape import md
from branchboard.export import BriefItem, column_kinds, export_csv, export_xlsx
from branchboard.fingerprint import shared
from branchboard.i18n import change_is_zero, fmt_change, t
from branchboard.ui.context import PageContext
from branchboard.ui.drill import clicked_row, drill_to_branch
from branchboard.ui.style import MEETING_CHART_SCALE


@dataclass(frozen=True)
class KpiList:
    """The branches behind a KPI card ("后进支部 2": which two), opened from the card in a dialog. `rows` is called
    only when the list is opened: a card's list costs nothing on the runs that do not show it."""

    key: str
    title: str
    rows: Callable[[], pd.DataFrame]
    columns: tuple[str, ...]  # the frame's columns shown, in order, under their catalog headers (col.<name>)


SERVICE_FIGURES = ("hours", "person_times", "hours_per_member")


def branch_first(*figures: str, after_unit: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A list's columns in the order every list shows them: the branch and its figures first (what a phone shows
    without scrolling), then its unit, anything of lesser weight (`after_unit`), and its code last."""
    return ("branch_name", *figures, "unit_name", *after_unit, "branch_code")


def service_first(first: str) -> tuple[str, ...]:
    """A volunteer-service list's columns: the card's own figure first, then the other service figures."""
    return branch_first(first, *(c for c in SERVICE_FIGURES if c != first))


def kpi(
    ctx: PageContext,
    column: st.delta_generator.DeltaGenerator,
    label: str,
    value: str,
    *,
    change: float | None = None,
    change_unit: str = "number",
    change_digits: int = 1,
    up_is_good: bool = True,
    opens: KpiList | None = None,
    **kwargs: Any,
) -> None:
    """A KPI card that is also recorded for the HTML brief. Label and value may hold names (a tier, a unit): both
    are shown as text.

    `change` (against the previous period, None: nothing to compare) is worded by fmt_change ("+2.3 个百分点",
    "持平") and coloured by what it means: green when it is good news, red when bad (`up_is_good=False` for 后进),
    grey with no arrow when it is zero at the precision shown."""
    if kwargs.get("help"):
        kwargs["help"] = md(kwargs["help"])
    if change is not None and change == change:
        kwargs["delta"] = fmt_change(change, ctx.lang, unit=change_unit, digits=change_digits)
        if change_is_zero(change, unit=change_unit, digits=change_digits):
            kwargs.update(delta_color="off", delta_arrow="off")
        else:
            kwargs["delta_color"] = "normal" if up_is_good else "inverse"
    column.metric(md(label), md(value), **kwargs)
    delta = kwargs.get("delta")
    ctx.brief.kpis.append((label, value, str(delta) if delta is not None else None))
    if opens is not None:
        list_button(ctx, column, opens)


def list_button(ctx: PageContext, container: Any, opens: KpiList, label: str | None = None) -> None:
    """The button that opens the branches of `opens` in a dialog: under a KPI card, or under a short list of the
    first few (`label` then says how many there are in all)."""
    if container.button(label or ctx.t("kpi.open_list"), key=f"kpi_{opens.key}", type="tertiary", icon=":material/list:"):
        _kpi_dialog(ctx, opens)


def _kpi_dialog(ctx: PageContext, opens: KpiList) -> None:
    @st.dialog(md(opens.title), width="large")
    def show() -> None:
        frame = opens.rows()
        if frame.empty:
            st.info(md(ctx.t("kpi.list_empty")))
            return
        st.caption(md(ctx.t("kpi.list_count", n=len(frame))))
        columns = {c: ctx.t(f"col.{c}") for c in opens.columns}
        branch_table(ctx, frame, key=f"kpi_list_{opens.key}", columns=columns, caption=False)
        download(ctx, frame[list(opens.columns)], key=f"kpi_list_{opens.key}")

    show()


def chart(
    ctx: PageContext,
    fig: go.Figure | None,
    *,
    key: str,
    how: str,
    table: pd.DataFrame | None = None,
    file_name: str | None = None,
    selectable: bool = False,
) -> Any:
    """A figure with its "how this is computed" note and downloads (CSV, XLSX) of the table behind it.

    `fig=None` (no rows) shows the empty-state message instead of an empty axis.
    `selectable=True` makes points clickable and returns the selection state (see `clicked_point`).
    """
    title = ""
    if fig is not None and fig.layout.title and fig.layout.title.text:
        title = fig.layout.title.text
    if fig is None:
        st.info(md(ctx.t("common.no_data")))
        return None
    if ctx.meeting:
        # Read from across a meeting room: everything larger, the title most (it stays above the axis labels).
        # On a copy: the figure may be the one other sessions are drawing (branchboard.charts.shared).
        fig = go.Figure(fig)
        fig.update_layout(height=int((fig.layout.height or 360) * MEETING_CHART_SCALE), font={"size": 17}, title_font_size=21)
    config = {"displaylogo": False, "locale": "zh-CN" if ctx.lang == "zh" else "en"}
    event = None
    if selectable:
        event = st.plotly_chart(fig, key=key, config=config, on_select="rerun", selection_mode="points")
    else:
        st.plotly_chart(fig, key=key, config=config)
    ctx.brief.items.append(BriefItem(title=title or key, figure=fig, table=table, note=how))
    how_note(ctx, how, key=key, table=table, file_name=file_name)
    return event


def how_note(ctx: PageContext, text: str, *, key: str, table: pd.DataFrame | None = None, file_name: str | None = None) -> None:
    """The "how this is computed" note under a figure, with the downloads (CSV, XLSX) of the table behind it.

    Its content is drawn only once it is opened (opening asks for a run): closed, it is one element instead of five,
    and the browser drew every element of a page, a dozen such notes among them, before it showed the first chart.
    """
    with st.expander(md(ctx.t("common.how")), key=f"how_{key}", on_change="rerun") as note:
        if note.open:
            st.markdown(md(text))
            if table is not None and not table.empty:
                table_downloads(ctx, table, key=key, file_name=file_name)


def made_on_click(make: Callable[[], bytes], lang: str) -> Callable[[], bytes]:
    """A download's content, made when the button is clicked: that is a request of its own, not a page run, so a
    unit link revoked or expired since the page was drawn is checked again here and gets the refusal, not the file."""

    def data() -> bytes:
        if not access.link_still_opens():
            return t("links.refused", lang).encode("utf-8")
        return make()

    return data


def table_downloads(ctx: PageContext, table: pd.DataFrame, *, key: str, file_name: str | None = None) -> None:
    """CSV (UTF-8 with BOM) and XLSX downloads of a table, formula-like cells neutralised.

    The files are made when the button is clicked (a callable), not on every run: an XLSX of a few thousand
    branches takes longer to write than the whole page takes to draw.
    """
    stem = (file_name or key).removesuffix(".csv")
    lang = ctx.lang
    col_a, col_b = st.columns(2)
    col_a.download_button(
        ctx.t("common.download_csv"),
        data=made_on_click(lambda: export_csv(table, lang), lang),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"dl_{key}",
    )
    col_b.download_button(
        ctx.t("share.download_xlsx"),
        data=made_on_click(lambda: export_xlsx(table, lang), lang),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dlx_{key}",
    )


BRANCH_COLUMN_PX = 160


def branch_table(
    ctx: PageContext,
    frame: pd.DataFrame,
    *,
    key: str,
    columns: dict[str, str],
    column_config: dict[str, Any] | None = None,
    height: int | Literal["auto", "stretch"] = "auto",
    caption: bool = True,
) -> None:
    """A table of branches (needs `branch_code`); choosing a row opens that branch's profile (`caption` says so).

    `columns` maps the frame's columns to the headers shown, in order; one empty in every row (no secretary in any
    roster, no honours given) is left out rather than shown as a column of blanks.
    """
    shown, formats = _table_as_shown(frame, columns)
    event = st.dataframe(
        shown,
        key=key,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        column_config={**{h: dict(f) for h, f in formats.items()}, **(column_config or {})},
        height=height,
    )
    if caption:
        st.caption(md(ctx.t("drill.click_branch")))
    drill_to_branch(key, clicked_row(event, frame, "branch_code"))


# -- built once, shared (as figures are, branchboard.fingerprint.shared) ----------------------------------------------
# A table's columns as shown, with their formats, converted to Arrow as st.dataframe would convert them: the same on
# every run for the same rows, and a few milliseconds per table of the one core every session's run shares.
@shared
def _table_as_shown(frame: pd.DataFrame, columns: dict[str, str]) -> tuple[Any, dict[str, Any]]:
    """`frame`'s shown columns (one empty in every row left out) as an Arrow table, and their formats."""
    kept = {c: header for c, header in columns.items() if c == "branch_code" or not _empty_everywhere(frame[c])}
    shown, formats = figures_as_shown(frame[list(kept)], kept)
    if "branch_name" in kept:
        # Sized to its longest name, the branch column took two thirds of a phone's table and hid the figure next to
        # it. At 160 px (about ten characters; the rest on a tap) the figure shows; wider screens share out the rest.
        formats[kept["branch_name"]] = st.column_config.TextColumn(width=BRANCH_COLUMN_PX)
    return convert_pandas_df_to_arrow_table(shown), formats  # Streamlit's own conversion, done once


# How a table on screen writes each kind of figure (branchboard.export.column_kinds), as the pages' cards and the
# exports do: counts and hours thousands-separated (1,234; 1,234.5), scores and means to one decimal, rates as
# percentages with one decimal (81.3%: sprintf has no percent of a fraction, so the column is shown times 100).
_TABLE_FORMATS = {"count": "localized", "hours": "localized", "score": "%.1f", "mean": "%.1f", "rate": "%.1f%%"}


def figures_as_shown(frame: pd.DataFrame, headers: dict[str, str]) -> tuple[pd.DataFrame, dict[str, Any]]:
    """`frame`'s columns under `headers`, with the column_config that formats its figures (see _TABLE_FORMATS).
    The values stay numbers, so a table still sorts by them."""
    shown = frame.rename(columns=headers)
    formats: dict[str, Any] = {}
    for column, kind in column_kinds(frame).items():
        header = headers.get(column, column)
        if kind == "rate":
            shown[header] = frame[column].astype("float64") * 100
        formats[header] = st.column_config.NumberColumn(format=_TABLE_FORMATS[kind])
    return shown, formats


def _empty_everywhere(column: pd.Series) -> bool:
    """No row has a value: all missing, or text that is blank or a dash."""
    present = column.dropna()
    if present.empty:
        return True
    # Most columns show a value in their first row: decided there, not by turning the column into text (a tenth of
    # a table's cost on every run).
    if str(present.iloc[0]).strip() not in _BLANK_CELLS:
        return False
    return bool(present.astype(str).str.strip().isin(_BLANK_CELLS).all())


_BLANK_CELLS = ("", "—", "-")


def download(ctx: PageContext, table: pd.DataFrame, *, key: str) -> None:
    """CSV and XLSX downloads for a table shown without a chart."""
    if table is not None and not table.empty:
        table_downloads(ctx, table, key=key)

"""The one filter state: URL query params ⇄ FilterState ⇄ SQL parameters, and the sidebar that edits it.

Every page calls `sidebar_filters()` first. The state lives in `st.session_state` (so it survives page
switches, which clear the URL) and is written back to the URL on every run (so a copied link opens the
same view). Values from the URL are checked against what the database holds; anything else is dropped
with a visible note and never reaches SQL, where values are bound parameters in any case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from branchboard import periods as P

MAX_PARAM_LENGTH = 100
MAX_VALUES_PER_KEY = 200

# URL keys of the shared state, in the order they appear in a link.
URL_KEYS = ("from", "to", "unit", "sector", "tier", "branch", "lang", "mode")


@dataclass(frozen=True)
class FilterOptions:
    """What the database holds, against which URL values are checked."""

    periods: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    branches: tuple[str, ...] = ()


@dataclass(frozen=True)
class FilterState:
    period_from: str | None = None
    period_to: str | None = None
    units: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    branch: str | None = None
    lang: str = "zh"
    mode: str | None = None  # "meeting" for the projector layout
    # A unit link's units (branchboard.links), fixed from its token on every run, never from the URL. Every query's
    # units are limited to them (sql_params), whatever the filters say; empty for everyone else.
    scope: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=(), compare=False)

    # -- SQL ---------------------------------------------------------------------------------
    @property
    def date_from(self) -> date | None:
        return P.period_start(self.period_from) if self.period_from else None

    @property
    def date_to(self) -> date | None:
        return P.period_end(self.period_to) if self.period_to else None

    def sql_params(self) -> dict[str, Any]:
        """Named parameters every query may use; an empty selection means "all" (null). Under a unit link the
        units are the chosen ones inside its scope, or the whole scope: never null, never a unit outside."""
        units = list(self.units)
        if self.scope:
            units = [u for u in units if u in self.scope] or list(self.scope)
        return {
            "units": units or None,
            "scope": list(self.scope) or None,
            "sectors": list(self.sectors) or None,
            "tiers": list(self.tiers) or None,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "branch": self.branch,
        }

    def in_range(self, period: str) -> bool:
        lo, hi = self.date_from, self.date_to
        return (lo is None or P.period_start(period) >= lo) and (hi is None or P.period_end(period) <= hi)

    # -- URL ---------------------------------------------------------------------------------
    def to_query_params(self) -> dict[str, str | list[str]]:
        out: dict[str, str | list[str]] = {}
        if self.period_from:
            out["from"] = self.period_from
        if self.period_to:
            out["to"] = self.period_to
        for key, values in (("unit", self.units), ("sector", self.sectors), ("tier", self.tiers)):
            if values:
                out[key] = list(values)
        if self.branch:
            out["branch"] = self.branch
        if self.lang != "zh":
            out["lang"] = self.lang
        if self.mode:
            out["mode"] = self.mode
        return out

    @classmethod
    def from_query_params(cls, params: Mapping[str, Sequence[str]], options: FilterOptions) -> FilterState:
        """Build a state from URL values, keeping only what is valid; `notes` says what was dropped.

        Notes are message keys with their value, translated by the page (i18n.t).
        """
        notes: list[str] = []

        def values(key: str) -> list[str]:
            raw = list(params.get(key, []))[:MAX_VALUES_PER_KEY]
            kept = []
            for v in raw:
                if len(v) > MAX_PARAM_LENGTH:
                    notes.append(f"{key}={v[:20]}…")
                    continue
                kept.append(v)
            return kept

        def pick_many(key: str, allowed: Sequence[str]) -> tuple[str, ...]:
            out = []
            for v in values(key):
                if v in allowed and v not in out:
                    out.append(v)
                else:
                    notes.append(f"{key}={v}")
            return tuple(out)

        def pick_period(key: str) -> str | None:
            vs = values(key)
            if not vs:
                return None
            label = P.parse_period(vs[-1])
            if label is None or (options.periods and label not in options.periods):
                notes.append(f"{key}={vs[-1]}")
                return None
            return label

        period_from, period_to = pick_period("from"), pick_period("to")
        if period_from and period_to and P.period_start(period_from) > P.period_end(period_to):
            notes.append(f"from={period_from} > to={period_to}")
            period_from = period_to = None
        branch = None
        for v in values("branch")[-1:]:
            if v in options.branches:
                branch = v
            else:
                notes.append(f"branch={v}")
        lang = "zh"
        for v in values("lang")[-1:]:
            if v in ("zh", "en"):
                lang = v
            else:
                notes.append(f"lang={v}")
        mode = None
        for v in values("mode")[-1:]:
            if v == "meeting":
                mode = v
            else:
                notes.append(f"mode={v}")
        return cls(
            period_from=period_from,
            period_to=period_to,
            units=pick_many("unit", options.units),
            sectors=pick_many("sector", options.sectors),
            tiers=pick_many("tier", options.tiers),
            branch=branch,
            lang=lang,
            mode=mode,
            notes=tuple(notes),
        )

    def with_changes(self, **changes: Any) -> FilterState:
        return replace(self, **changes)


# -- Streamlit side ---------------------------------------------------------------------------
_STATE_KEY = "_filter_state"


def load_options(store: Any, scope: Sequence[str] = ()) -> FilterOptions:
    """Filter options from the database (cached per data version by the query runner); under a unit link, its
    units, their sectors and their branches only."""

    def compute() -> FilterOptions:
        limit = {"scope": list(scope) or None}
        periods_frame = store.query("common__periods")
        units_frame = store.query("common__units", limit)
        branches = store.query("common__branch_codes", limit)
        return FilterOptions(
            periods=tuple(periods_frame["period"]),
            units=tuple(units_frame["unit_name"]),
            sectors=tuple(sorted(s for s in units_frame["sector"].dropna().unique())),
            tiers=tuple(store.tiers()),
            branches=tuple(branches["branch_code"]),
        )

    # Once per data version for every session: a province's branch codes are thousands of values to copy per run.
    return store.computed("filter_options", tuple(scope), compute)


def current_state() -> FilterState:
    """The state as of this run (after sidebar_filters ran); defaults before."""
    import streamlit as st

    return st.session_state.get(_STATE_KEY, FilterState())


def set_state(state: FilterState) -> None:
    """Change the shared state from a page (e.g. a chart click); widgets pick it up on the next run."""
    import streamlit as st

    st.session_state[_STATE_KEY] = state
    write_url(state)


def write_url(state: FilterState, extra: Mapping[str, str | list[str]] | None = None) -> None:
    """Put the shared state (and a page's own keys) into the URL.

    Written on every run, not only when it differs: after a page switch the browser's URL has been
    cleared while the server may still hold the old values, so a comparison would skip the write.
    """
    import streamlit as st

    from branchboard.access import link_token

    wanted = {**state.to_query_params(), **(extra or {})}
    token = link_token()
    if token:  # a unit link stays one on reload and across pages (a page switch clears the URL)
        from branchboard.links import URL_KEY

        wanted[URL_KEY] = token
    for key in URL_KEYS:
        if key not in wanted and key in st.query_params:
            del st.query_params[key]
    for key, value in wanted.items():
        st.query_params[key] = value


def _widgets_changed() -> None:
    """on_change of every filter widget: the widgets' values become the state (before the rerun)."""
    import streamlit as st

    state: FilterState = st.session_state.get(_STATE_KEY, FilterState())
    period_from, period_to = st.session_state.get("flt_from"), st.session_state.get("flt_to")
    notes: tuple[str, ...] = ()
    if period_from and period_to and P.period_start(period_from) > P.period_end(period_to):
        notes = (f"from={period_from} > to={period_to}",)
        period_from, period_to = state.period_from, state.period_to  # keep the last valid range
    st.session_state[_STATE_KEY] = state.with_changes(
        period_from=period_from,
        period_to=period_to,
        units=tuple(st.session_state.get("flt_units") or ()),
        sectors=tuple(st.session_state.get("flt_sectors") or ()),
        tiers=tuple(st.session_state.get("flt_tiers") or ()),
        notes=notes,
    )


def sidebar_filters(store: Any, *, draw: bool = True) -> FilterState:
    """Draw the shared filters in the sidebar and return the state. Every page calls this first; a page the filters
    do nothing on (import, settings) passes draw=False: the state is kept for the next page, not shown."""
    import streamlit as st

    from branchboard.access import link_units
    from branchboard.escape import md
    from branchboard.i18n import t

    scope = link_units()
    options = load_options(store, scope)
    if _STATE_KEY not in st.session_state:
        params = {k: st.query_params.get_all(k) for k in st.query_params.keys()}  # noqa: SIM118
        st.session_state[_STATE_KEY] = FilterState.from_query_params(params, options)
    state: FilterState = st.session_state[_STATE_KEY]
    lang = state.lang

    # The state is the source of truth: widgets are seeded from it on every run and write back through
    # their on_change callback. A page switch gives the widgets new identities (Streamlit would reset
    # them to empty); seeding every run is what carries the filters across pages.
    period_choices = [None, *options.periods]
    seeds: dict[str, Any] = {
        "flt_from": state.period_from if state.period_from in period_choices else None,
        "flt_to": state.period_to if state.period_to in period_choices else None,
        "flt_units": [u for u in state.units if u in options.units],
        "flt_sectors": [s for s in state.sectors if s in options.sectors],
        "flt_tiers": [x for x in state.tiers if x in options.tiers],
    }
    if draw:
        from branchboard.names import data_names

        _draw_filters(state, options, period_choices, seeds, data_names(store, lang).tier)

    notes = state.notes
    state = state.with_changes(
        period_from=seeds["flt_from"],
        period_to=seeds["flt_to"],
        units=tuple(seeds["flt_units"]),
        sectors=tuple(seeds["flt_sectors"]),
        tiers=tuple(seeds["flt_tiers"]),
        # Checked on every run, not only from the URL: no way into a branch outside a unit link's units.
        branch=state.branch if state.branch in options.branches else None,
        scope=scope,
        notes=(),
    )
    st.session_state[_STATE_KEY] = state
    write_url(state)
    if notes:
        st.warning(md(t("filters.ignored", lang, items="，".join(notes))), icon="⚠️")
    return state


def _draw_filters(
    state: FilterState,
    options: FilterOptions,
    period_choices: list[str | None],
    seeds: dict[str, Any],
    tier_name: Callable[[str], str],
) -> None:
    """The filter widgets in the sidebar, seeded from the state (see sidebar_filters); tiers shown by `tier_name`."""
    import streamlit as st

    from branchboard.i18n import t

    lang = state.lang
    for key, value in seeds.items():
        st.session_state[key] = value

    def period_label(p: str | None) -> str:
        return t("filters.all_periods", lang) if p is None else P.display(p, lang)

    # No "Select all" entry: it is English in a Chinese sidebar, and choosing nothing already means 全部.
    common: dict[str, Any] = {"on_change": _widgets_changed, "select_all": False}
    with st.sidebar:
        st.markdown(f"**{t('filters.header', lang)}**")
        col_a, col_b = st.columns(2)
        col_a.selectbox(
            t("filters.from", lang),
            period_choices,
            key="flt_from",
            format_func=period_label,
            placeholder=t("filters.all_periods", lang),
            on_change=_widgets_changed,
        )
        col_b.selectbox(
            t("filters.to", lang),
            period_choices,
            key="flt_to",
            format_func=period_label,
            placeholder=t("filters.all_periods", lang),
            on_change=_widgets_changed,
        )
        placeholder = t("filters.all", lang)
        st.multiselect(t("filters.units", lang), options.units, key="flt_units", placeholder=placeholder, **common)
        st.multiselect(t("filters.sectors", lang), options.sectors, key="flt_sectors", placeholder=placeholder, **common)
        st.multiselect(
            t("filters.tiers", lang),
            options.tiers,
            key="flt_tiers",
            format_func=tier_name,  # shown in the reader's language; the value (and the link's) stays the stored name
            placeholder=placeholder,
            help=t("filters.tiers_help", lang),
            **common,
        )
        if st.button(t("filters.reset", lang), key="flt_reset", width="stretch"):
            set_state(FilterState(lang=state.lang, mode=state.mode, branch=state.branch))
            st.rerun()


def describe(state: FilterState, tier_name: Callable[[str], str] = str) -> str:
    """A one-line human description of the filters, for captions and exports; tiers named by `tier_name` (their
    English names in English, branchboard.names)."""
    from branchboard.i18n import t

    lang = state.lang
    parts = []
    a = P.display(state.period_from, lang) if state.period_from else None
    b = P.display(state.period_to, lang) if state.period_to else None
    if a and b:
        parts.append(a if a == b else t("filters.range", lang, a=a, b=b))
    elif a:
        parts.append(t("filters.range_from", lang, a=a))
    elif b:
        parts.append(t("filters.range_to", lang, b=b))
    sep = "、" if lang == "zh" else ", "
    # A unit link with no unit chosen shows its whole scope: say so, not "all units".
    for values in (state.units or state.scope, state.sectors, tuple(tier_name(x) for x in state.tiers)):
        if values:
            parts.append(sep.join(values))
    return (" · ".join(parts)) if parts else t("filters.none", lang)


# Not Streamlit's bind="query-params" (tried for issue 15 on the Volunteer page's top/bottom radio): it writes the
# option's label as shown, in the screen's language ("人均时长最低 10 个"), into the URL, so a link made in Chinese
# opens a different view in English; it drops a value it does not know without the visible note, and takes a choice
# equal to its default out of the URL, so a link would follow the data (the latest period) instead of holding the
# view. The shared-link browser test failed on the first of these.
def page_choice(url_key: str, options: Sequence[str], default: str | None) -> str | None:
    """The current value of one of a page's own choices (the Sankey's two periods, a top/bottom switch, a tab),
    kept in the URL as `url_key`: taken from the URL on the session's first run, remembered in session state
    across page switches (`_pg_<url_key>`), and always one of `options` (else `default`). A URL value that is not
    among them is dropped with a visible note. The page's widget shows it and writes a change back with
    `choose`; `keep_in_link` puts it in the URL, which the share link is built from once the page has drawn."""
    import streamlit as st

    from branchboard.escape import md
    from branchboard.i18n import t

    memory_key = f"_pg_{url_key}"
    if memory_key not in st.session_state:
        from_url = st.query_params.get_all(url_key)[-1:] if url_key in st.query_params else []
        value = from_url[0] if from_url else None
        if value is not None and value not in options:
            st.warning(md(t("filters.ignored", current_state().lang, items=f"{url_key}={value[:MAX_PARAM_LENGTH]}")), icon="⚠️")
            value = None
        st.session_state[memory_key] = value if value is not None else default
    remembered = st.session_state[memory_key]
    return remembered if remembered in options else default


def choose(url_key: str, value: str | None) -> None:
    """A page choice made (a widget's callback): remembered, and in the URL from this run on."""
    import streamlit as st

    st.session_state[f"_pg_{url_key}"] = value
    keep_in_link(url_key, value)


def keep_in_link(url_key: str, value: str | None) -> None:
    """Every run, not only on a change: a page switch clears the browser's URL (see write_url)."""
    import streamlit as st

    if value is not None:
        st.query_params[url_key] = value


def page_selectbox(
    url_key: str,
    label: str,
    options: Sequence[str],
    default: str | None,
    *,
    format_func: Any = str,
    container: Any = None,
) -> str | None:
    """A page's own choice as a selectbox (e.g. the two periods of the tier Sankey), kept in the URL as `url_key`."""
    import streamlit as st

    value = page_choice(url_key, options, default)
    if not options:
        return None
    return _choice_widget((container or st).selectbox, url_key, label, options, value, format_func=format_func)


def page_radio(url_key: str, label: str, options: Sequence[str], default: str, *, format_func: Any = str, **kwargs: Any) -> str:
    """A page's own choice as a radio (e.g. the ten highest or lowest), kept in the URL as `url_key`."""
    import streamlit as st

    value = page_choice(url_key, options, default) or default
    return _choice_widget(st.radio, url_key, label, options, value, format_func=format_func, **kwargs)


def _choice_widget(widget: Any, url_key: str, label: str, options: Sequence[str], value: Any, **kwargs: Any) -> Any:
    """Draw a page choice's widget showing `value`; a change goes back through `choose`."""
    import streamlit as st

    widget_key = f"pg_{url_key}"
    st.session_state[widget_key] = value  # seeded every run (see sidebar_filters); the callback writes a choice back
    widget(label, list(options), key=widget_key, on_change=lambda: choose(url_key, st.session_state[widget_key]), **kwargs)
    keep_in_link(url_key, value)
    return value


def page_tabs(url_key: str, labels: Mapping[str, str], default: str) -> dict[str, Any]:
    """A page's tabs (id → label; labels may carry counts that change with the filters), the open one kept in the
    URL as `url_key` by its id. Returns the tab containers by id."""
    import streamlit as st

    ids = list(labels)
    value = page_choice(url_key, ids, default) or default
    widget_key = f"pg_{url_key}"
    by_label = {label: tab_id for tab_id, label in labels.items()}

    def switched() -> None:
        choose(url_key, by_label.get(str(st.session_state.get(widget_key)), default))

    tabs = st.tabs(list(labels.values()), key=widget_key, default=labels[value], on_change=switched)
    keep_in_link(url_key, value)
    return dict(zip(ids, tabs, strict=True))


def open_branch(code: str) -> None:
    """Drill into one branch's profile (支部画像): the branch goes into the shared state and the URL."""
    import streamlit as st

    set_state(current_state().with_changes(branch=code))
    st.switch_page("pages/branch.py")


def filter_to_unit(unit: str) -> None:
    """Clicking a unit in a chart filters every page to it."""
    set_state(current_state().with_changes(units=(unit,)))


def early_lang_and_mode() -> tuple[str, str | None]:
    """Language and mode before the filters ran (app.py needs them for page titles and the layout)."""
    import streamlit as st

    if _STATE_KEY in st.session_state:
        state = st.session_state[_STATE_KEY]
        return state.lang, state.mode
    lang = st.query_params.get("lang")
    mode = st.query_params.get("mode")
    return ("en" if lang == "en" else "zh"), ("meeting" if mode == "meeting" else None)

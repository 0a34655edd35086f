"""The one escaping helper: text that came from a file, a URL or a user is shown as text, never as markup.

Three places render markup, each with its own escape:

- Streamlit markdown (`st.markdown`, captions, alerts, metric labels and values, tab, expander and widget labels,
  page links, progress texts): `md()` puts a backslash before every ASCII punctuation character, which CommonMark
  shows literally, so `[请重新登录](https://…)` is no link, `![](…)` loads no image, `:red[…]` and `:material/…:` are
  no directives, `$…$` is no formula, and a bare URL or address is not auto-linked (see _AUTOLINKS). Streamlit never renders raw
  HTML in markdown without `unsafe_allow_html`, which the app only uses for its own constant CSS.
- Plotly text (axis categories, trace names, hover texts, titles, Sankey labels): Plotly reads a subset of HTML
  there (`<a href>`, `<b>`, `<br>`), so `plotly_text()` writes `& < >` as entities, which Plotly shows as the
  characters. A chart click returns what the figure holds: `from_plotly_text()` turns it back into the name.
- HTML files (the brief): `html_text()`; the one string the brief puts in its CSS (the stamp printed on every page,
  an @page margin box's `content`), `css_string()`.

Plain-text places need nothing: dataframe cells and headers, selectbox and multiselect options, `st.code`,
download file names.
"""

from __future__ import annotations

import html
import re

_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# Streamlit's markdown also turns bare URLs (https://…, www.…), e-mail addresses and :shortcodes: into links, icons
# and emoji after the escapes are read, so a backslash cannot stop them. An invisible word joiner (U+2060) inside
# the pattern does: after an escaped colon that a letter or "//" follows, after an escaped @, and between "www" and
# its dot.
_WORD_JOINER = "\u2060"
_AUTOLINKS = re.compile(r"(\\:)(?=[A-Za-z]|\\/\\/)|(\\@)|(?i:(www))(?=\\\.)")


def md(value: object) -> str:
    """`value` as literal text inside Streamlit markdown (one line: line breaks become spaces)."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    return _AUTOLINKS.sub(lambda m: m.group(0) + _WORD_JOINER, _MD_SPECIAL.sub(r"\\\1", text))


def plotly_text(value: object) -> str:
    """`value` as literal text in a Plotly label (entities for `& < >`; Plotly decodes them when drawing)."""
    return html.escape("" if value is None else str(value), quote=False)


def from_plotly_text(value: str) -> str:
    """The inverse of `plotly_text`: what a chart click returns, back to the name as stored."""
    return html.unescape(value)


def html_text(value: object) -> str:
    """`value` as literal text in an HTML document (attributes included)."""
    return html.escape("" if value is None else str(value), quote=True)


def css_string(value: object) -> str:
    """`value` as a quoted CSS string inside an HTML <style>: every character but letters, digits and spaces as a CSS
    escape (so no quote, backslash or line break ends the string, and no `</style>` ends the element)."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'

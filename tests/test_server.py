"""The page Streamlit serves names the code of its charts as modulepreload and carries the tap-to-click
script (branchboard.server.PageHead)."""

from __future__ import annotations

import asyncio
import re

from branchboard import server


def _through_preload(messages: list[dict], path: str = "/overview") -> list[dict]:
    sent: list[dict] = []

    async def app(scope, receive, send):
        for message in messages:
            await send(message)

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "headers": []}
    asyncio.run(server.PageHead(app)(scope, None, send))
    return sent


def test_the_installed_streamlit_ships_the_chunks_to_preload():
    """Fails the day a Streamlit upgrade renames an element's chunk: then its code would load late again."""
    tags = server.preload_tags().decode()
    for chunk in server._PRELOADED_CHUNKS:
        assert tags.count(f"./static/js/{chunk}.") == 1, chunk


def test_the_page_names_the_charts_code_and_little_else():
    """Every file named in the page takes one of the browser's six connections to the server before the page's own
    requests get theirs: with every element's code named (about seventy files) the page connected 0.4-0.6 s later and
    its first chart came later than with Plotly's code alone (docs/performance.md, issue 12, fifth round)."""
    names = re.findall(r'href="\./static/js/([^"]+)"', server.preload_tags().decode())
    assert any(name.startswith("PlotlyChart.") for name in names)
    assert 1 <= len(names) <= 8, names
    assert not any(name.startswith(("DataFrame.", "Metric.", "Button.")) for name in names)


def test_what_the_chunks_import_is_preloaded_too_but_not_what_the_page_loads_anyway(tmp_path):
    """A chunk's imports are fetched one level after the other unless the page names them as well; the page's own
    script and its imports are already on their way."""
    static = tmp_path / "static"
    js = static / "static" / "js"
    js.mkdir(parents=True)
    (static / "index.html").write_text('<script type="module" crossorigin src="./static/js/index.A1.js"></script>')
    (js / "index.A1.js").write_text('import{a as b}from"./shared.B2.js";')
    (js / "shared.B2.js").write_text("export const a = 1;")
    (js / "PlotlyChart.C3.js").write_text('import{a}from"./shared.B2.js";import{c}from"./plotly-deps.D4.js";')
    (js / "plotly-deps.D4.js").write_text('import"./side-effect.E5.js";export const c = 2;')
    (js / "side-effect.E5.js").write_text("window.x = 1;")
    tags = server.preload_tags(static).decode()
    assert tags == "".join(
        f'<link rel="modulepreload" crossorigin href="./static/js/{name}">'
        for name in ("PlotlyChart.C3.js", "plotly-deps.D4.js", "side-effect.E5.js")
    )


def test_the_html_page_gains_the_tags_and_a_right_length_in_pieces_or_whole():
    html = b"<html><head><title>x</title></head><body></body></html>"
    start = {
        "type": "http.response.start",
        "status": 200,
        "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", b"57"), (b"etag", b'"a"')],
    }
    for body in ([html], [html[:20], html[20:]]):
        pieces = [{"type": "http.response.body", "body": b, "more_body": i < len(body) - 1} for i, b in enumerate(body)]
        sent = _through_preload([start, *pieces])
        page = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        # the code to preload, and the script that makes a tap on a chart select as a click (drill-down on a phone)
        assert page.startswith(html.split(b"</head>")[0] + server.preload_tags() + b"<style>")
        assert page.endswith(server.TAP_TO_CLICK + b"</head><body></body></html>")
        assert b'[data-testid="stMetric"]' in page  # the page's CSS (KPI cards, phones, touch screens)
        assert b"addEventListener(type" in page and b".js-plotly-plot" in page
        headers = dict(sent[0]["headers"])
        assert int(headers[b"content-length"]) == len(page) and b"etag" not in headers


def test_other_responses_pass_untouched():
    script = [
        {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/javascript")]},
        {"type": "http.response.body", "body": b"</head>"},
    ]
    assert _through_preload(script, "/static/js/x.js") == script
    gzipped = [
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/html"), (b"content-encoding", b"gzip")],
        },
        {"type": "http.response.body", "body": b"\x1f\x8b"},
    ]
    assert _through_preload(gzipped) == gzipped
    not_modified = [{"type": "http.response.start", "status": 304, "headers": [(b"content-type", b"text/html")]}]
    assert _through_preload(not_modified) == not_modified


def test_a_page_is_asked_for_uncompressed_so_that_it_can_be_read():
    """Streamlit gzips the page at every URL but the root; a navigation's request is passed on without
    Accept-Encoding, other requests keep theirs."""
    seen: list[dict] = []

    async def app(scope, receive, send):
        seen.append(scope)

    async def send(message):
        pass

    gzip = (b"accept-encoding", b"gzip, deflate")
    for accept in (b"text/html,application/xhtml+xml,*/*;q=0.8", b"*/*"):
        scope = {"type": "http", "method": "GET", "path": "/overview", "headers": [(b"accept", accept), gzip]}
        asyncio.run(server.PageHead(app)(scope, None, send))
    assert gzip not in seen[0]["headers"] and gzip in seen[1]["headers"]

"""The page's CSS: constant text only, never anything from the data or the URL.

PAGE_CSS is in the head of the page the server sends (branchboard.server.PageHead): parsed once, before anything is
drawn, instead of a style element drawn by every run, after which the browser restyles the whole page. What depends
on the run (meeting mode, the uploader's Chinese words on the import page) is drawn by the run, through
unsafe_allow_html."""

from __future__ import annotations

from branchboard.charts import with_palette

PAGE_CSS = with_palette("""
<style>
  [data-testid="stMetric"] {
    background: $white; border: 1px solid $card_border; border-left: 4px solid $red;
    border-radius: 8px; padding: 10px 14px 8px 14px;
    /* A card without a change line as tall as one with: the cards of a row, and the "查看名单" under them, align. */
    min-height: 6.9rem;
  }
  [data-testid="stMetricLabel"] p { font-size: 0.92rem !important; color: $muted; }
  /* !important: this sheet is in the page's head and Streamlit adds its own (2.25rem) after it, which would win. */
  [data-testid="stMetricValue"] { font-size: 1.7rem !important; }
  /* Phones: KPI cards two per row (Streamlit would stack them one per row), smaller type inside them. */
  @media (max-width: 640px) {
    [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
      flex-wrap: wrap !important; flex-direction: row !important; gap: 0.5rem !important;
    }
    [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) > [data-testid="stColumn"] {
      width: calc(50% - 0.25rem) !important; flex: 1 1 calc(50% - 0.25rem) !important; min-width: calc(50% - 0.25rem) !important;
    }
    [data-testid="stMetric"] { padding: 6px 10px 4px 10px; min-height: 6.2rem; }
    /* A long label (帮扶转化（原后进）) wraps in a half-width card instead of ending in "…". */
    [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
      white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
    }
    [data-testid="stMetricValue"] { font-size: 1.35rem !important; }
    h1 { font-size: 1.8rem !important; }
  }
  /* Touch screens have no hover: the chart toolbar would only sit on the title. A table's toolbar (search, download,
     full screen) is shown there all the time, 44 px above the table: the table's element leaves it that band, so it
     covers no tab, heading or caption above. The band is the element's own margin, not the table's: the element is
     as tall as the table, so a table pushed down inside it ran over whatever came next. */
  @media (hover: none) {
    .modebar-container { display: none !important; }
    [data-testid="stElementContainer"]:has(
      > [data-testid="stFullScreenFrame"] > [data-testid="stDataFrame"] > [data-testid="stElementToolbar"]
    ) { margin-top: 44px; }
  }
</style>
""")

# Meeting mode: larger type and KPI cards for a projector.
_MEETING_CSS = """
<style>
  html, .stMarkdown p, .stCaption p { font-size: 1.15rem; }
  h1 { font-size: 3rem !important; }
  h2 { font-size: 2.1rem !important; } h3 { font-size: 1.7rem !important; }
  [data-testid="stMetricLabel"] p { font-size: 1.25rem; }
  [data-testid="stMetricValue"] { font-size: 2.6rem !important; }
  [data-testid="stMetricDelta"] { font-size: 1.2rem; }
  [data-testid="stMetric"] { min-height: 9.6rem; }
  /* Every text of the page, not only the titles: captions, notes and alerts, tabs, choices, expanders, badges. */
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1.1rem !important; }
  [data-testid="stAlert"] p, [data-testid="stExpander"] summary p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
  button[role="tab"] p, [data-testid="stRadio"] label p, [data-testid="stWidgetLabel"] p { font-size: 1.15rem; }
  [data-testid="stProgress"] p, .stBadge, [data-testid="stBadge"] { font-size: 1.1rem; }
  [data-testid^="stBaseButton"] p { font-size: 1.1rem; }  /* 查看名单 under the cards, downloads, the share panel */
  .block-container { padding-top: 2rem; max-width: 100%; }
</style>
"""

# Streamlit's file uploader has fixed English text ("Upload", "200MB per file • …"); in Chinese the
# text is replaced through CSS so a Chinese screen stays Chinese.
_UPLOADER_ZH_CSS = """
<style>
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
  [data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
    content: "选择文件"; font-size: 0.875rem;
  }
  [data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; white-space: normal; overflow: visible; }
  [data-testid="stFileUploaderDropzoneInstructions"] span::after {
    content: "拖入或选择文件：单个不超过 200MB，支持 CSV、TXT、TSV、XLSX、XLSM、XLS、ODS"; font-size: 0.8rem;
    display: block;  /* wraps on a phone instead of ending at "TSV" */
  }
</style>
"""

MEETING_CHART_SCALE = 1.35


def run_css(lang: str, meeting: bool, uploader: bool = False) -> str:
    """The style a run adds to PAGE_CSS: meeting mode's, and on a page with a file uploader, its Chinese words."""
    return (_MEETING_CSS if meeting else "") + (_UPLOADER_ZH_CSS if uploader and lang == "zh" else "")

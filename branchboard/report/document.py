"""The report as a Word document in the layout Chinese government documents use (GB/T 9704, as committees apply it).

A4; margins 37 / 35 / 28 / 26 mm; title in 小标宋 二号 (22 pt) centred; body in 仿宋 三号 (16 pt) on a fixed 28 pt
line with a two-character first-line indent; level-1 headings in 黑体, level-2 in 楷体, both 三号; page numbers
"— 1 —" in 宋体 四号 at the foot. The fonts are named as government templates name them (方正小标宋简体,
仿宋_GB2312, 楷体_GB2312) and each has a fallback in the document's font table (宋体, 仿宋, 楷体) that Word uses
where it is not installed; LibreOffice substitutes the nearest CJK font the machine has.

Everything written here is plain text runs: a name from the data can never become a field, a style or markup.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor
from lxml import etree

from branchboard.i18n import display_width

TITLE_FONT, BODY_FONT, HEADING_FONT, SUBHEADING_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
LATIN_FONT = "Times New Roman"
# Word shows the alternative where the named font is missing (fontTable w:altName).
FALLBACKS = {TITLE_FONT: "宋体", BODY_FONT: "仿宋", SUBHEADING_FONT: "楷体", HEADING_FONT: "SimHei", PAGE_FONT: "SimSun"}
BODY_SIZE, TITLE_SIZE, TABLE_SIZE, PAGE_SIZE = Pt(16), Pt(22), Pt(12), Pt(14)
LINE = Pt(28)
PICTURE_WIDTH = Cm(15.5)
TEXT_WIDTH = Mm(210 - 28 - 26)
BLACK = RGBColor(0, 0, 0)
# Characters XML 1.0 cannot hold (a vertical tab from an Excel soft line break, say): a name holding one must not
# stop the whole report, so each becomes a space.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(" ", text)


@dataclass
class Table:
    title: str
    frame: pd.DataFrame  # display strings, headers in the reader's language
    note: str | None = None
    numeric: tuple[str, ...] = ()  # columns aligned right


@dataclass
class Figure:
    title: str
    png: bytes | None  # None when the chart could not be drawn


@dataclass
class Section:
    heading: str
    paragraphs: list[str]
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    note: str | None = None  # e.g. why the charts are missing


@dataclass
class Report:
    title: str
    front_lines: list[str]  # filters, periods, data-as-of: under the title on the first page
    sections: list[Section]
    lang: str = "zh"


def _fonts(run_or_style_element, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Name the fonts explicitly for every script, dropping theme fonts (which would win over the names)."""
    r_pr = run_or_style_element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _style(doc, name: str, east_asian: str, size, *, bold: bool = False, latin: str = LATIN_FONT) -> None:
    style = doc.styles[name]
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = BLACK
    _fonts(style.element, east_asian, latin)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _document_language(doc, lang: str) -> None:
    """The default run language (docDefaults): zh-CN for East Asian text, so Word and LibreOffice set “ ” and
    punctuation in the Chinese font, full width; the template python-docx starts from says en-US."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = r_pr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        r_pr.append(language)
    language.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-US")
    language.set(qn("w:eastAsia"), "zh-CN")


def _font_table_fallbacks(doc) -> None:
    """Add the fonts with w:altName to word/fontTable.xml so Word substitutes sensibly where one is missing."""
    part = doc.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alternative in FALLBACKS.items():
        if name in present:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), alternative)
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "modern" if name == HEADING_FONT else "roman")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number(section) -> None:
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

    def run(text: str | None = None):
        r = footer.add_run(text)
        r.font.size = PAGE_SIZE
        _fonts(r._element, PAGE_FONT)
        return r

    run("— ")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        r = run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._element.append(instr)
        elif kind == "text":
            r.text = text
        else:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            r._element.append(mark)
    run(" —")


def _setup(doc, lang: str) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    _style(doc, "Normal", BODY_FONT, BODY_SIZE)
    _style(doc, "Title", TITLE_FONT, TITLE_SIZE)
    _style(doc, "Heading 1", HEADING_FONT, BODY_SIZE)
    _style(doc, "Heading 2", SUBHEADING_FONT, BODY_SIZE)
    _style(doc, "Caption", HEADING_FONT, Pt(14))
    title = doc.styles["Title"]
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(12)
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.element.get_or_add_pPr()  # the default Title has a bottom border: remove it
    borders = title.element.pPr.find(qn("w:pBdr"))
    if borders is not None:
        title.element.pPr.remove(borders)
    for name in ("Heading 1", "Heading 2"):
        doc.styles[name].paragraph_format.keep_with_next = True
        doc.styles[name].paragraph_format.space_before = Pt(6)
    normal = doc.styles["Normal"].paragraph_format
    if lang == "zh":
        normal.first_line_indent = Pt(32)  # two characters of 三号
        # Quotation marks and dashes in the Chinese font (full width), not the Latin one.
        doc.styles["Normal"].element.rPr.rFonts.set(qn("w:hint"), "eastAsia")
    else:
        normal.space_after = Pt(8)
    _document_language(doc, lang)
    _font_table_fallbacks(doc)
    _page_number(section)


def _plain_paragraph(doc, text: str, *, style: str | None = None, center: bool = False, indent: bool = True):
    p = doc.add_paragraph(style=style)
    p.add_run(_xml_text(text))
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not indent or center:
        p.paragraph_format.first_line_indent = Pt(0)
    return p


def _row_flag(row, flag: str) -> None:
    """w:tblHeader (repeat on every page) or w:cantSplit (never break a row across pages)."""
    tr_pr = row._tr.get_or_add_trPr()
    mark = OxmlElement(flag)
    mark.set(qn("w:val"), "true")
    tr_pr.append(mark)


HALF_EM = Pt(6.5)  # one display column of 12 pt table text (a CJK character takes two; % and digits a little more)
SHORT = 14  # display columns: a status such as 3至6个月内到期, a date, a number
CELL_MARGINS = Pt(16)  # Word's default left and right cell margins (5.4 pt each), with air


def _column_widths(frame: pd.DataFrame, total: int) -> list[int]:
    """Widths in EMU: a column whose widest cell is short (a date, a number, a status) gets exactly what it needs,
    so it never wraps; the long ones (names, item lists) share the rest by their widest cell, at least a header's."""
    needs = []
    for name in frame.columns:
        header = display_width(str(name))  # a long header may wrap onto two lines; the values should not
        widest = max([min(header, 8)] + [display_width(str(v)) for v in frame[name].head(200)])
        needs.append((header, widest))
    exact = [min(w, SHORT) * HALF_EM + CELL_MARGINS for _, w in needs]  # short columns: their widest cell
    long_columns = [i for i, (_, w) in enumerate(needs) if w > SHORT]
    spare = total - sum(exact[i] for i in range(len(needs)) if i not in long_columns)
    weights = {i: needs[i][1] for i in long_columns}
    widths = list(exact)
    for i in long_columns:
        widths[i] = int(spare * weights[i] / sum(weights.values())) if spare > 0 else exact[i]
    if sum(widths) > total:  # too many short columns for the page: shrink them all alike
        widths = [int(w * total / sum(widths)) for w in widths]
    return [int(w) for w in widths]


def _table(doc, table: Table, number: int, lang: str) -> None:
    from branchboard.i18n import t

    caption = _plain_paragraph(doc, t("report.table", lang, n=number, title=table.title), style="Caption", center=True)
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(6)
    frame = table.frame
    grid = doc.add_table(rows=1, cols=len(frame.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = _column_widths(frame, TEXT_WIDTH)
    _row_flag(grid.rows[0], "w:tblHeader")
    for cell, name in zip(grid.rows[0].cells, frame.columns, strict=True):
        _cell(cell, str(name), bold=True, center=True)
    for values in frame.itertuples(index=False):
        row = grid.add_row()
        _row_flag(row, "w:cantSplit")
        cells = row.cells
        for cell, name, value in zip(cells, frame.columns, values, strict=True):
            _cell(cell, "" if value is None else str(value), right=name in table.numeric)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
    if table.note:
        _plain_paragraph(doc, table.note, indent=False).runs[0].font.size = TABLE_SIZE


def _cell(cell, text: str, *, bold: bool = False, center: bool = False, right: bool = False) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    run = p.add_run(_xml_text(text))
    run.font.size = TABLE_SIZE
    run.bold = bold
    if bold:
        _fonts(run._element, HEADING_FONT)


def _figure(doc, figure: Figure, number: int, lang: str) -> None:
    from branchboard.i18n import t

    if figure.png is None:
        return
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # an exact 28 pt line would crop the picture
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(figure.png), width=PICTURE_WIDTH)
    caption = _plain_paragraph(doc, t("report.figure", lang, n=number, title=figure.title), style="Caption", center=True)
    caption.paragraph_format.space_after = Pt(6)


def write(report: Report) -> bytes:
    """The .docx file's bytes."""
    doc = Document()
    _setup(doc, report.lang)
    doc.core_properties.title = _xml_text(report.title)
    doc.core_properties.language = "zh-CN" if report.lang == "zh" else "en"
    _plain_paragraph(doc, report.title, style="Title", center=True)
    for line in report.front_lines:
        p = _plain_paragraph(doc, line, center=True)
        _fonts(p.runs[0]._element, SUBHEADING_FONT)
        p.runs[0].font.size = Pt(14)
    figure_number = table_number = 0
    for section in report.sections:
        _plain_paragraph(doc, section.heading, style="Heading 1", indent=False)
        for text in section.paragraphs:
            _plain_paragraph(doc, text)
        if section.note:
            _plain_paragraph(doc, section.note)
        for figure in section.figures:
            if figure.png is not None:
                figure_number += 1
                _figure(doc, figure, figure_number, report.lang)
        for table in section.tables:
            table_number += 1
            _table(doc, table, table_number, report.lang)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

"""The self-evaluation as a Word document, made with python-docx from a frozen version's snapshot.

Councils finish and share documents in Word, so it is built to be edited and read aloud: the
document's title and language are set; headings use Word's own Heading styles (1 for each
section, 2 for each of the three questions); tables have a header row that repeats on each
page; each chart is an image with the chart's sentence as its alternative text; and the evidence
is an appendix, each item numbered and linked to its source in the service.
"""

import io

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from havering_improve.mail import site_url
from themes.charts import trend_chart_summary

from .charts import chart_png
from .snapshot import trend_chart


def _header_row(table, titles: list[str]) -> None:
    """The first row as the table's header: bold, and repeated at the top of each page (Word's
    "Repeat as header row", which screen readers also announce as column headers)."""
    row = table.rows[0]
    for cell, title in zip(row.cells, titles, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(title).bold = True
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _hyperlink(paragraph, url: str, text: str) -> None:
    part = paragraph.part
    rel = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    style = OxmlElement("w:rPr")
    rstyle = OxmlElement("w:rStyle")
    rstyle.set(qn("w:val"), "Hyperlink")
    style.append(rstyle)
    run.append(style)
    body = OxmlElement("w:t")
    body.text = text
    run.append(body)
    link.append(run)
    paragraph._p.append(link)


def _paragraphs(document, text: str) -> None:
    for line in (ln for ln in text.splitlines() if ln.strip()):
        document.add_paragraph(line)


def _claims(document, title: str, claims: list[dict]) -> None:
    if not claims:
        return
    document.add_heading(title, level=3)
    for claim in claims:
        paragraph = document.add_paragraph(claim["sentence"], style="List Bullet")
        if claim["refs"]:
            paragraph.add_run(" (evidence " + ", ".join(f"E{r}" for r in claim["refs"]) + ")")
        else:
            flag = paragraph.add_run(" [No evidence linked]")
            flag.bold = True
            flag.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _section(document, section: dict) -> None:
    document.add_heading(section["title"], level=1)
    document.add_heading("What do we know about the quality and impact of practice?", level=2)
    _paragraphs(document, section["what_we_know"])
    _claims(document, "Strengths", section["strengths"])
    _claims(document, "Areas for improvement", section["improvements"])
    document.add_heading("How do we know it?", level=2)
    _paragraphs(document, section["how_we_know"])
    if section["no_recent_evidence"]:
        document.add_paragraph("No evidence for this area in the last twelve months.").runs[
            0
        ].bold = True
    for item in section["evidence"]:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"E{item['ref']}. ").bold = True
        paragraph.add_run(item["statement"])
        if item["narrative"]:
            document.add_paragraph(item["narrative"])
        if item["chart"]:
            chart = trend_chart(item["chart"])
            document.add_picture(io.BytesIO(chart_png(chart)), width=Cm(15))
            inline = document.inline_shapes[-1]._inline
            inline.docPr.set("descr", trend_chart_summary(chart))
            inline.docPr.set("title", chart.name)
    document.add_heading("What are our plans for the next 12 months?", level=2)
    _paragraphs(document, section["plans_intro"])
    if section["plans"]:
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        _header_row(table, ["Plan", "Who owns it", "Due"])
        for plan in section["plans"]:
            cells = table.add_row().cells
            cells[0].text, cells[1].text, cells[2].text = plan["text"], plan["owner"], plan["due"]
        _widths(table, Cm(9.5), Cm(4), Cm(2.5))


def _widths(table, *widths) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _appendix(document, snapshot: dict) -> None:
    document.add_heading("Appendix: the evidence and where to find it", level=1)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    _header_row(table, ["Ref", "Evidence", "Source"])
    for section in snapshot["sections"]:
        for item in section["evidence"]:
            cells = table.add_row().cells
            cells[0].text = f"E{item['ref']}"
            cells[1].text = f"{item['statement']} ({item['kind']}, {item['dated']})"
            url = site_url(item["link"])
            _hyperlink(cells[2].paragraphs[0], url, url)
    _widths(table, Cm(1.5), Cm(9.5), Cm(5))


def build_docx(snapshot: dict, *, number: int, made_on: str, kind: str) -> bytes:
    document = Document()
    title = f"{snapshot['programme']}: self-evaluation {snapshot['year']}"
    document.core_properties.title = title
    document.core_properties.language = "en-GB"
    document.core_properties.author = snapshot["local_authority"]
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(11)
    document.add_heading(title, level=0)
    signed = (
        f"Signed off by {snapshot['reviewer']}"
        + (f", {snapshot['reviewer_title']}" if snapshot["reviewer_title"] else "")
        + f", on {made_on}."
        if kind == "signed_off"
        else f"Version {number}, {made_on}: submitted for review by {snapshot['reviewer']}."
    )
    document.add_paragraph(f"Version {number}. Evidence up to {snapshot['as_of_shown']}. {signed}")
    for section in snapshot["sections"]:
        _section(document, section)
    _appendix(document, snapshot)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

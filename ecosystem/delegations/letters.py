"""The decision sending a delegation, as an administrative document of Decree 30/2020/NĐ-CP.

A decision ("Quyết định") of the department has, in this order: the issuing body under its parent body and the
national motto side by side; the number and symbol under the issuing body, the place and date under the motto;
the document's kind and subject; the signing authority; the legal bases ("Căn cứ ..."); the articles
("Điều 1.", "Điều 2." ...); then "Nơi nhận" beside the signature block, whose first line is "KT. GIÁM ĐỐC" only
when a deputy signs on the director's behalf. The letter is Vietnamese whatever the interface language: it is
the department's official document. `decision_letter` builds it once; the page and the DOCX only lay it out.

The issuing body comes from the configuration (DEPARTMENT_PARENT, DEPARTMENT_NAME, DEPARTMENT_SYMBOL,
DEPARTMENT_PLACE, DEPARTMENT_NAME_IN_TEXT, PROVINCE_IN_TEXT), Thái Nguyên's Department of Science and Technology
by default. The legal bases are the usual ones; the department adjusts them in the DOCX before registering it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from flask import current_app

from ecosystem.core.localtime import LOCAL_ZONE
from ecosystem.delegations import rosters
from ecosystem.delegations.models import Application, DelegationCall
from ecosystem.timeutil import utcnow

DEFAULT_BODY = {
    "DEPARTMENT_PARENT": "UBND TỈNH THÁI NGUYÊN",
    "DEPARTMENT_NAME": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "DEPARTMENT_SYMBOL": "SKHCN",
    "DEPARTMENT_PLACE": "Thái Nguyên",
    # The same bodies as written inside a sentence.
    "DEPARTMENT_NAME_IN_TEXT": "Sở Khoa học và Công nghệ",
    "PROVINCE_IN_TEXT": "tỉnh Thái Nguyên",
}
MOTTO_NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DIRECTOR = "GIÁM ĐỐC"
DEPUTY = "PHÓ GIÁM ĐỐC"
FONT = "Times New Roman"


@dataclass(frozen=True)
class Article:
    heading: str  # "Điều 1."
    text: str
    items: tuple[str, ...] = ()  # the delegation's units and people, under Article 1


@dataclass(frozen=True)
class DecisionLetter:
    parent_body: str
    issuing_body: str
    number_line: str
    place_date: str
    kind: str
    subject: str
    authority: str
    bases: tuple[str, ...]
    articles: tuple[Article, ...]
    recipients: tuple[str, ...]
    signature_lines: tuple[str, ...]  # ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC") or ("GIÁM ĐỐC",)
    signer_name: str
    people: int = 0
    units: int = 0
    nation = MOTTO_NATION  # the national motto header, the same on every letter
    motto = MOTTO


def _body(key: str) -> str:
    return str(current_app.config.get(key) or DEFAULT_BODY[key])


def number_line(call: DelegationCall) -> str:
    """"Số: 123/QĐ-SKHCN", or the blank the department fills in by hand: "Số:      /QĐ-SKHCN"."""
    if call.decision_number:
        return f"Số: {call.decision_number}"
    return f"Số:       /QĐ-{_body('DEPARTMENT_SYMBOL')}"


def place_date(place: str, when: date | None, year: int | None = None) -> str:
    """"Thái Nguyên, ngày 05 tháng 3 năm 2026": a day below 10 and the months 1 and 2 take a leading zero."""
    if when is None:
        return f"{place}, ngày      tháng      năm {year or utcnow().year}"
    month = f"{when.month:02d}" if when.month <= 2 else str(when.month)
    return f"{place}, ngày {when.day:02d} tháng {month} năm {when.year}"


def _vietnamese_date(value) -> str:
    local = value.astimezone(LOCAL_ZONE)
    return f"{local.day:02d}/{local.month:02d}/{local.year}"


def _unit_line(application: Application) -> str:
    people = "; ".join(
        traveller.legal_name + (f" ({traveller.role})" if traveller.role else "")
        for traveller in application.travellers
    )
    line = f"{application.applicant_name} – {application.product_name}, {rosters.category_label(application.category)}"
    allocation = rosters.allocation_label(application)
    line += f", {allocation}" if allocation != rosters.NO_ALLOCATION else ""
    return f"{line}: {people}." if people else f"{line}."


def decision_letter(call: DelegationCall, applications: list[Application] | None = None) -> DecisionLetter:
    applications = rosters.accepted_applications(call) if applications is None else applications
    people = sum(len(application.travellers) for application in applications)
    department = _body("DEPARTMENT_NAME")
    department_text = _body("DEPARTMENT_NAME_IN_TEXT")
    province = _body("PROVINCE_IN_TEXT")
    parent = _body("DEPARTMENT_PARENT")
    event = (f"{call.name} tại {call.host_city} từ ngày {_vietnamese_date(call.event_starts_on)} "
             f"đến ngày {_vietnamese_date(call.event_ends_on)}")
    signature = (f"KT. {DIRECTOR}", DEPUTY) if call.decision_signed_on_behalf else (DIRECTOR,)
    return DecisionLetter(
        parent_body=parent,
        issuing_body=department,
        number_line=number_line(call),
        place_date=place_date(_body("DEPARTMENT_PLACE"), call.decision_date),
        kind="QUYẾT ĐỊNH",
        subject=f"Về việc cử đoàn {province} tham gia {call.name}",
        authority=f"{DIRECTOR} {department}",
        bases=(
            f"Căn cứ Quyết định của Ủy ban nhân dân {province} quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu "
            f"tổ chức của {department_text};",
            f"Căn cứ thông báo của Ban Tổ chức {call.name} về việc mời tham gia;",
            f"Căn cứ kết quả xét chọn hồ sơ đăng ký tham gia đoàn {province};",
            "Theo đề nghị của Hội đồng xét chọn.",
        ),
        articles=(
            Article("Điều 1.", f"Cử {len(applications)} đơn vị với {people} người tham gia {event}, gồm:",
                    tuple(_unit_line(application) for application in applications)),
            Article("Điều 2.", "Các đơn vị và cá nhân có tên tại Điều 1 thực hiện theo hướng dẫn của Ban Tổ chức, "
                               f"báo cáo kết quả tham gia về {department_text} sau khi kết thúc sự kiện."),
            Article("Điều 3.", "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Trưởng các phòng, "
                               "đơn vị có liên quan và các đơn vị, cá nhân có tên tại Điều 1 chịu trách nhiệm thi "
                               "hành Quyết định này./."),
        ),
        recipients=("Như Điều 3;", f"Ủy ban nhân dân {province} (b/c);", "Giám đốc, các Phó Giám đốc Sở;",
                    "Lưu: VT."),
        signature_lines=signature,
        signer_name=call.decision_signer_name or "",
        people=people,
        units=len(applications),
    )


# ---------------------------------------------------------------------------
# DOCX (python-docx): A4, Times New Roman, the margins and sizes of Decree 30
# ---------------------------------------------------------------------------


def _paragraph(container, text: str = "", *, bold=False, italic=False, size=14, align="left", space_after=0,
               first_line_indent=None, underline=False):
    paragraph = container.add_paragraph()
    paragraph.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                           "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
    if first_line_indent is not None:
        paragraph.paragraph_format.first_line_indent = Cm(first_line_indent)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        run.font.size = Pt(size)
        run.font.name = FONT
    return paragraph


def _run(paragraph, text: str, *, bold=False, italic=False, size=14):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    return run


def _two_columns(document, widths_cm: tuple[float, float]):
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    for cell, width in zip(table.rows[0].cells, widths_cm, strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0].text = ""
    return table.rows[0].cells


def _drop_first_empty(cell) -> None:
    first = cell.paragraphs[0]
    if not first.text and len(cell.paragraphs) > 1:
        first._element.getparent().remove(first._element)


def decision_docx(letter: DecisionLetter) -> bytes:
    """The letter as a Word document the department can edit and register."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)

    left, right = _two_columns(document, (6.5, 10))
    _paragraph(left, letter.parent_body, size=13, align="center")
    _paragraph(left, letter.issuing_body, bold=True, size=13, align="center", underline=False)
    _paragraph(left, "", size=6, align="center")
    _paragraph(left, letter.number_line, size=13, align="center")
    _drop_first_empty(left)
    _paragraph(right, MOTTO_NATION, bold=True, size=13, align="center")
    _paragraph(right, MOTTO, bold=True, size=14, align="center")
    _paragraph(right, "", size=6, align="center")
    _paragraph(right, letter.place_date, italic=True, size=14, align="center")
    _drop_first_empty(right)

    _paragraph(document, "", size=8)
    _paragraph(document, letter.kind, bold=True, size=14, align="center")
    _paragraph(document, letter.subject, bold=True, size=14, align="center", space_after=12)
    _paragraph(document, letter.authority, bold=True, size=14, align="center", space_after=6)
    for basis in letter.bases:
        _paragraph(document, basis, italic=True, size=14, align="justify", first_line_indent=1, space_after=3)
    _paragraph(document, "QUYẾT ĐỊNH:", bold=True, size=14, align="center", space_after=6)
    for article in letter.articles:
        paragraph = _paragraph(document, align="justify", first_line_indent=1, space_after=3)
        _run(paragraph, article.heading + " ", bold=True)
        _run(paragraph, article.text)
        for number, item in enumerate(article.items, start=1):
            _paragraph(document, f"{number}. {item}", size=14, align="justify", first_line_indent=1, space_after=3)

    _paragraph(document, "", size=8)
    recipients, signature = _two_columns(document, (7.5, 9))
    _paragraph(recipients, "Nơi nhận:", bold=True, italic=True, size=12)
    for recipient in letter.recipients:
        _paragraph(recipients, f"- {recipient}", size=11)
    _drop_first_empty(recipients)
    for line in letter.signature_lines:
        _paragraph(signature, line, bold=True, size=14, align="center")
    for _ in range(4):
        _paragraph(signature, "", size=14)
    _paragraph(signature, letter.signer_name, bold=True, size=14, align="center")
    _drop_first_empty(signature)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

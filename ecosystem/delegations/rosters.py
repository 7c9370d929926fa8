"""The delegation's roster: one row per travelling person of the accepted applications, for the organiser.

The column headers are Vietnamese whatever the interface language: the organiser's spreadsheet format.
CSV is UTF-8 with a BOM (Excel then reads Vietnamese correctly); XLSX has the list and a summary sheet.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ecosystem.clubs.models import Team
from ecosystem.core.exports import append_row, csv_bytes
from ecosystem.delegations import allocations, calls
from ecosystem.delegations.models import Allocation, Application, ApplicationStatus, DelegationCall, Traveller
from ecosystem.delegations.review import ranking
from ecosystem.extensions import db
from ecosystem.startups.models import Startup

HEADERS = (
    "Đoàn", "Phân bổ", "Startup/Nhóm", "Sản phẩm", "Hạng mục", "Họ và tên (theo CCCD/hộ chiếu)", "Vai trò",
    "Điện thoại", "E-mail", "Nhu cầu",
)
SUMMARY_HEADERS = ("Phân bổ", "Hạng mục", "Số hồ sơ", "Số người")
NO_ALLOCATION = "Chưa phân bổ"


@dataclass(frozen=True)
class RosterRow:
    delegation: str
    allocation: str
    applicant: str
    product: str
    category: str
    legal_name: str
    role: str
    phone: str
    email: str
    needs: str

    def values(self) -> tuple[str, ...]:
        return (self.delegation, self.allocation, self.applicant, self.product, self.category, self.legal_name,
                self.role, self.phone, self.email, self.needs)


@dataclass(frozen=True)
class LogisticsTotals:
    applications: int
    travel_vnd: int
    lodging_vnd: int

    @property
    def total_vnd(self) -> int:
        return self.travel_vnd + self.lodging_vnd


def _sort_key(application: Application):
    allocation = application.allocation
    return (
        allocation is None,
        allocation.position if allocation else 0,
        allocation.name.casefold() if allocation else "",
        application.applicant_name.casefold(),
        application.id,
    )


def accepted_applications(call: DelegationCall) -> list[Application]:
    """The accepted applications, by allocation (in the call's order), then applicant name."""
    applications = db.session.scalars(
        select(Application)
        .where(Application.call_id == call.id, Application.status == ApplicationStatus.ACCEPTED)
        .options(
            selectinload(Application.allocation).selectinload(Allocation.unit),
            selectinload(Application.startup).selectinload(Startup.members),
            selectinload(Application.team).selectinload(Team.club),
            selectinload(Application.travellers).selectinload(Traveller.user),
        )
    )
    return sorted(applications, key=_sort_key)


def category_label(category: str) -> str:
    """In Vietnamese whatever the interface language, like the headers: the organiser's format."""
    with force_locale("vi"):
        return calls.category_label(category)


def allocation_label(application: Application) -> str:
    return allocations.allocation_label(application.allocation, NO_ALLOCATION)


def needs_text(application: Application, traveller: Traveller | None = None) -> str:
    parts = []
    if application.booth_size:
        parts.append(f"Gian hàng {application.booth_size}")
    if application.needs_power:
        parts.append("Cần điện")
    if application.needs_accommodation:
        parts.append("Cần chỗ ở")
    if application.other_needs:
        parts.append(application.other_needs)
    if traveller is not None and traveller.dietary_needs:
        parts.append(f"Ăn uống: {traveller.dietary_needs}")
    return "; ".join(parts)


def roster_rows(call: DelegationCall, applications: list[Application] | None = None) -> list[RosterRow]:
    applications = accepted_applications(call) if applications is None else applications
    rows = []
    for application in applications:
        for traveller in application.travellers:
            rows.append(RosterRow(
                call.name, allocation_label(application), application.applicant_name, application.product_name,
                category_label(application.category), traveller.legal_name, traveller.role or "",
                traveller.phone, traveller.user.email, needs_text(application, traveller),
            ))
    return rows


def summary(applications: list[Application]) -> list[tuple[str, str, int, int]]:
    """(allocation, category, applications, people) for every pair present, in roster order."""
    applications_count: Counter = Counter()
    people: Counter = Counter()
    order: list[tuple[str, str]] = []
    for application in applications:
        key = (allocation_label(application), category_label(application.category))
        if key not in applications_count:
            order.append(key)
        applications_count[key] += 1
        people[key] += len(application.travellers)
    return [(allocation, category, applications_count[(allocation, category)], people[(allocation, category)])
            for allocation, category in order]


def logistics_totals(applications: list[Application]) -> LogisticsTotals:
    return LogisticsTotals(
        len(applications),
        sum(application.travel_cost_vnd or 0 for application in applications),
        sum(application.lodging_cost_vnd or 0 for application in applications),
    )


def roster_csv(call: DelegationCall) -> bytes:
    return csv_bytes([HEADERS, *(row.values() for row in roster_rows(call))])


def roster_xlsx(call: DelegationCall) -> bytes:
    applications = accepted_applications(call)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách đoàn"
    append_row(sheet, HEADERS)
    for row in roster_rows(call, applications):
        append_row(sheet, row.values())
    totals = workbook.create_sheet("Tổng hợp")
    append_row(totals, SUMMARY_HEADERS)
    for allocation, category, count, people in summary(applications):
        append_row(totals, (allocation, category, count, people))
    for worksheet in (sheet, totals):
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        worksheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJ", (24, 24, 28, 28, 14, 30, 16, 14, 28, 40), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


RANKING_HEADERS = ("Hạng", "Startup/Nhóm", "Sản phẩm", "Hạng mục", "Phân bổ", "Trạng thái",
                   "Điểm trung bình (có trọng số)", "Độ lệch", "Số người chấm")


def ranking_xlsx(call: DelegationCall) -> bytes:
    """The score summary for the selection committee: the ranked list with each criterion's mean."""
    criteria = list(call.criteria_items)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Bảng tổng hợp điểm"
    append_row(sheet, [*RANKING_HEADERS, *(f"{criterion.name} (×{criterion.weight})" for criterion in criteria)])
    with force_locale("vi"):
        for rank, row in enumerate(ranking(call), start=1):
            application = row.application
            append_row(sheet, (
                rank, application.applicant_name, application.product_name, category_label(application.category),
                allocation_label(application), calls.application_status_label(application.status),
                round(row.mean, 2) if row.mean is not None else None,
                round(row.spread, 2) if row.spread is not None else None, row.reviewers,
                *(round(row.criterion_means[criterion.id], 2) if criterion.id in row.criterion_means else None
                  for criterion in criteria),
            ))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

"""Travel and lodging of the accepted applications, entered by coordinators, and the settlement report.

The settlement report groups the costs by allocation (the department settles each unit's share) and
totals them for the delegation; its XLSX has Vietnamese headers like the roster.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font

from ecosystem.auth.models import User
from ecosystem.auth.permissions import can
from ecosystem.core.exports import append_row
from ecosystem.delegations.models import PLACE_STATUSES, Application, DelegationCall
from ecosystem.delegations.policies import DelegationError, checked_text
from ecosystem.delegations.rosters import accepted_applications, allocation_label
from ecosystem.extensions import db

ARRANGEMENTS_MAX = 5_000
COST_MAX_VND = 10_000_000_000

SETTLEMENT_HEADERS = (
    "Phân bổ", "Startup/Nhóm", "Sản phẩm", "Số người", "Đi lại (đồng)", "Lưu trú (đồng)", "Tổng (đồng)",
    "Phương án đi lại, lưu trú",
)


def _dots(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def set_logistics(application: Application, arrangements: str | None, travel_cost_vnd: int | None,
                  lodging_cost_vnd: int | None, coordinator: User) -> None:
    """Travel and lodging arrangements and costs (VND) of an accepted application. Commits."""
    if not can(coordinator, "delegation.manage", application.call):
        raise DelegationError(_l("Only the department's coordinators enter the logistics."))
    if application.status not in PLACE_STATUSES:
        raise DelegationError(_l("Logistics are entered for accepted applications only."))
    for name, value in (("travel_cost_vnd", travel_cost_vnd), ("lodging_cost_vnd", lodging_cost_vnd)):
        if value is None or not 0 <= value <= COST_MAX_VND:
            raise DelegationError(_l("A cost is a whole number of đồng from 0 to %(max)s.",
                                     max=_dots(COST_MAX_VND)), name)
    application.travel_arrangements = checked_text(
        arrangements, ARRANGEMENTS_MAX, _l("At most %(max)d characters.", max=ARRANGEMENTS_MAX),
        "travel_arrangements") or None
    application.travel_cost_vnd, application.lodging_cost_vnd = travel_cost_vnd, lodging_cost_vnd
    db.session.commit()


@dataclass
class CostLine:
    """The costs of one allocation (or of the whole delegation)."""

    name: str
    applications: list[Application] = field(default_factory=list)
    travel_vnd: int = 0
    lodging_vnd: int = 0
    people: int = 0

    @property
    def total_vnd(self) -> int:
        return self.travel_vnd + self.lodging_vnd

    def add(self, application: Application) -> None:
        self.applications.append(application)
        self.travel_vnd += application.travel_cost_vnd or 0
        self.lodging_vnd += application.lodging_cost_vnd or 0
        self.people += len(application.travellers)


@dataclass
class Settlement:
    lines: list[CostLine]
    total: CostLine

    @property
    def missing(self) -> list[Application]:
        """Accepted applications whose logistics nobody has entered yet."""
        return [application for line in self.lines for application in line.applications
                if not application.travel_arrangements and not application.travel_cost_vnd
                and not application.lodging_cost_vnd]


def settlement(call: DelegationCall, applications: list[Application] | None = None) -> Settlement:
    """Costs per allocation, in roster order, and the delegation's total."""
    applications = accepted_applications(call) if applications is None else applications
    lines: dict[str, CostLine] = {}
    total = CostLine(call.name)
    for application in applications:
        name = allocation_label(application)
        lines.setdefault(name, CostLine(name)).add(application)
        total.add(application)
    return Settlement(list(lines.values()), total)


def settlement_xlsx(call: DelegationCall) -> bytes:
    report = settlement(call)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Quyết toán"
    append_row(sheet, (f"Quyết toán chi phí đoàn {call.name}",))
    append_row(sheet, SETTLEMENT_HEADERS)
    for line in report.lines:
        for application in line.applications:
            append_row(sheet, (
                line.name, application.applicant_name, application.product_name, len(application.travellers),
                application.travel_cost_vnd or 0, application.lodging_cost_vnd or 0,
                (application.travel_cost_vnd or 0) + (application.lodging_cost_vnd or 0),
                application.travel_arrangements or "",
            ))
        append_row(sheet, [f"Cộng {line.name}", "", "", line.people, line.travel_vnd, line.lodging_vnd,
                           line.total_vnd, ""])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    append_row(sheet, ["Tổng cộng", "", "", report.total.people, report.total.travel_vnd,
                       report.total.lodging_vnd, report.total.total_vnd, ""])
    for row in (sheet[1], sheet[2], sheet[sheet.max_row]):
        for cell in row:
            cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=3, min_col=5, max_col=7):
        for cell in row:
            cell.number_format = "#,##0"
    sheet.freeze_panes = "A3"
    for column, width in zip("ABCDEFGH", (24, 28, 28, 10, 16, 16, 16, 48), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

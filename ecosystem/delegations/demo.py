"""Demo data for Techfest delegations: the 2022 delegations (closed, with rosters) and one open call.

Idempotent: a call that already exists (by its slug) is left alone. Needs the demo users, startups and
directory; what is missing is skipped with a printed line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import User
from ecosystem.core.text import make_slug
from ecosystem.delegations.calls import refresh_search_columns
from ecosystem.delegations.models import (
    Allocation,
    Application,
    ApplicationStatus,
    CallReviewer,
    CallStatus,
    Category,
    Criterion,
    DelegationCall,
    Traveller,
)
from ecosystem.directory.models import Component, ComponentKind
from ecosystem.extensions import db
from ecosystem.startups.models import Startup
from ecosystem.timeutil import utcnow

COORDINATOR = "dieuphoi@demo.example"
CLUB_LEADER = "clb@demo.example"
MENTOR = "chuyengia@demo.example"
OPEN_POOL = "Nhóm mở (hồ sơ tự do)"

RUBRIC = (
    ("Tính đổi mới sáng tạo của sản phẩm", 3),
    ("Tiềm năng thị trường và khả năng mở rộng", 3),
    ("Năng lực đội ngũ", 2),
    ("Mức độ sẵn sàng trưng bày, gọi vốn", 2),
)

CRITERIA_TEXT = (
    "- Sản phẩm đã có khách hàng hoặc bản thử nghiệm chạy thật\n"
    "- Đội ngũ có ít nhất một người trình bày được bằng tiếng Anh (với hạng mục thi pitching)\n"
    "- Ưu tiên sản phẩm gắn với thế mạnh của tỉnh: chè, nông sản, giáo dục, chuyển đổi số"
)
DOCUMENTS_TEXT = "Hồ sơ giới thiệu sản phẩm (pitch deck) dạng PDF, tối đa 10 MB."


@dataclass(frozen=True)
class DemoEntry:
    startup: str
    product: str
    category: Category
    allocation: int  # index in the call's allocations
    travel_vnd: int
    lodging_vnd: int
    arrangements: str
    needs: str | None = None
    # Reported after the event: contacts, MoUs, investment offers, awards (None: not reported).
    outcomes: tuple[int, int, int, str | None] | None = None


@dataclass(frozen=True)
class PastCall:
    name: str
    host_city: str
    starts: tuple[int, int, int]
    days: int
    description: str
    booths: int
    places: int
    allocations: tuple[tuple[str, int, int], ...]
    entries: tuple[DemoEntry, ...] = field(default_factory=tuple)


PAST_CALLS = (
    PastCall(
        "Techfest Việt Nam 2022", "Lai Châu", (2022, 12, 9), 3,
        "Ngày hội khởi nghiệp đổi mới sáng tạo quốc gia năm 2022 tổ chức tại tỉnh Lai Châu. "
        "Đoàn Thái Nguyên mang sản phẩm chè, nông sản sạch và giải pháp truy xuất nguồn gốc "
        "tham gia khu trưng bày của các địa phương và vòng thi gọi vốn.",
        3, 8, (("Nhóm mở (hồ sơ tự do)", 3, 8),),
        (
            DemoEntry("Chè Tân Cương Xanh", "Chè nõn tôm Tân Cương có mã QR truy xuất", Category.BOOTH, 0,
                      4_800_000, 3_600_000, "Đi chung xe của Sở, ở nhà khách tỉnh Lai Châu 2 đêm.",
                      "Cần bàn trưng bày và ấm pha chè mời khách",
                      (42, 2, 1, "Top 10 gian hàng được yêu thích nhất")),
            DemoEntry("Nông sản Đại Từ", "Rau VietGAP cho bếp ăn trường học", Category.PITCHING, 0,
                      2_400_000, 1_800_000, "Đi chung xe của Sở, ở ghép phòng với đoàn.",
                      outcomes=(18, 1, 0, None)),
            DemoEntry("Tem Truy Xuất ATK", "Tem truy xuất nguồn gốc cho sản phẩm OCOP", Category.BOOTH, 0,
                      2_400_000, 1_800_000, "Đi chung xe của Sở.", "Cần màn hình trình chiếu"),
        ),
    ),
    PastCall(
        "Techfest Hải Phòng 2022", "Hải Phòng", (2022, 11, 18), 2,
        "Sự kiện khởi nghiệp đổi mới sáng tạo vùng Duyên hải Bắc Bộ. Đoàn Thái Nguyên tập trung vào "
        "các sản phẩm giáo dục và công nghệ của sinh viên.",
        2, 5, (("Khối các trường đại học", 1, 3), ("Nhóm mở (hồ sơ tự do)", 1, 2)),
        (
            DemoEntry("Lab Robot Nhí", "Bộ lắp ráp robot cho học sinh tiểu học", Category.BOOTH, 0,
                      1_200_000, 900_000, "Xe khách Thái Nguyên – Hải Phòng, khách sạn gần trung tâm hội nghị.",
                      outcomes=(25, 1, 1, "Giải Ba vòng thi sản phẩm giáo dục")),
            DemoEntry("Học Cùng TNU", "Nền tảng học nhóm cho sinh viên", Category.PITCHING, 1,
                      1_200_000, 900_000, "Xe khách Thái Nguyên – Hải Phòng."),
        ),
    ),
    PastCall(
        "Techfest Vĩnh Phúc 2022", "Vĩnh Phúc", (2022, 9, 23), 2,
        "Ngày hội khởi nghiệp của tỉnh Vĩnh Phúc mở rộng cho các tỉnh trung du và miền núi phía Bắc. "
        "Đoàn Thái Nguyên giới thiệu nông sản đặc sản và sản phẩm OCOP.",
        2, 4, (("Nhóm mở (hồ sơ tự do)", 2, 4),),
        (
            DemoEntry("Nấm Sạch Định Hóa", "Nấm sò và nấm linh chi sấy khô", Category.BOOTH, 0,
                      800_000, 0, "Đi trong ngày bằng xe của Sở.", outcomes=(12, 0, 0, None)),
            DemoEntry("Hồng Trà Phú Lương", "Hồng trà lên men tự nhiên", Category.EXHIBITION, 0,
                      800_000, 0, "Đi trong ngày bằng xe của Sở."),
        ),
    ),
)

OPEN_APPLICATIONS = (
    ("Chè Tân Cương Xanh", "Trà túi lọc Tân Cương cho khách sạn", Category.BOOTH, 2),
    ("Lab Robot Nhí", "Robot dạy lập trình cho học sinh vùng cao", Category.PITCHING, 0),
)


def _at(year: int, month: int, day: int, hour: int = 1) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _startup(name: str) -> Startup | None:
    return db.session.scalar(
        select(Startup).where(Startup.name == name).options(selectinload(Startup.members))
    )


def _phone(user: User, index: int) -> str:
    return user.phone or f"0912 {300 + user.id % 600:03d} {100 + index:03d}"


def _travellers(startup: Startup, limit: int = 2) -> list[Traveller]:
    members = sorted(startup.members, key=lambda member: (member.role != "owner", member.id))[:limit]
    return [
        Traveller(user_id=member.user.id, legal_name=member.user.full_name,
                  role=member.title or ("Người đại diện" if member.role == "owner" else "Thành viên"),
                  phone=_phone(member.user, index))
        for index, member in enumerate(members)
    ]


def _rubric(call: DelegationCall) -> None:
    for position, (name, weight) in enumerate(RUBRIC):
        call.criteria_items.append(Criterion(name=name, weight=weight, position=position))


def _past_call(demo: PastCall, coordinator: User | None) -> tuple[int, int]:
    """Create the closed call with its roster. Returns (applications, travellers)."""
    starts = _at(*demo.starts)
    call = DelegationCall(
        slug=make_slug(demo.name), name=demo.name, host_city=demo.host_city,
        event_starts_on=starts, event_ends_on=starts + timedelta(days=demo.days - 1),
        description=demo.description, criteria=CRITERIA_TEXT, required_documents=DOCUMENTS_TEXT,
        applications_open_at=starts - timedelta(days=60), applications_close_at=starts - timedelta(days=30),
        roster_locked_at=starts - timedelta(days=10), roster_lock_announced_at=starts - timedelta(days=10),
        total_booths=demo.booths, total_places=demo.places,
        status=CallStatus.CLOSED, created_by_id=coordinator.id if coordinator else None,
        created_at=starts - timedelta(days=75),
    )
    for position, (name, booths, places) in enumerate(demo.allocations):
        call.allocations.append(Allocation(name=name, booths=booths, places=places, position=position,
                                           is_open_pool=name == OPEN_POOL))
    _rubric(call)
    refresh_search_columns(call)
    db.session.add(call)
    db.session.flush()
    applications = travellers = 0
    used = {index: [0, 0] for index in range(len(demo.allocations))}  # booths, places taken per allocation
    for entry in demo.entries:
        startup = _startup(entry.startup)
        if startup is None or not startup.members:
            continue
        allocation = call.allocations[entry.allocation]
        application = Application(
            call=call, startup=startup, allocation=allocation, product_name=entry.product,
            product_description=startup.tagline, category=entry.category,
            booth_size="3 m × 3 m" if entry.category == Category.BOOTH else None,
            needs_power=entry.category == Category.BOOTH, needs_accommodation=entry.lodging_vnd > 0,
            other_needs=entry.needs, status=ApplicationStatus.ACCEPTED,
            submitted_at=starts - timedelta(days=40), decided_at=starts - timedelta(days=25),
            decided_by_id=coordinator.id if coordinator else None,
            decision_message="Chúc mừng đơn vị đã được chọn vào đoàn của tỉnh.",
            travel_arrangements=entry.arrangements, travel_cost_vnd=entry.travel_vnd,
            lodging_cost_vnd=entry.lodging_vnd, submitted_by_id=startup.members[0].user_id,
        )
        if entry.outcomes:
            (application.outcome_contacts, application.outcome_mous, application.outcome_investment_offers,
             application.outcome_awards) = entry.outcomes
            application.outcomes_reported_at = call.event_ends_on + timedelta(days=7)
        booth = 1 if entry.category == Category.BOOTH else 0
        people = _travellers(startup, limit=min(2, allocation.places))
        # The demo obeys the quotas like real decisions do.
        taken = used[entry.allocation]
        if taken[0] + booth > allocation.booths or taken[1] + len(people) > allocation.places:
            continue
        taken[0], taken[1] = taken[0] + booth, taken[1] + len(people)
        application.travellers.extend(people)
        db.session.add(application)
        db.session.flush()
        applications += 1
        travellers += len(people)
    return applications, travellers


def _open_call(coordinator: User | None) -> tuple[DelegationCall | None, str]:
    now = utcnow()
    starts = (now + timedelta(days=45)).replace(hour=1, minute=0, second=0, microsecond=0)
    name = f"Techfest Việt Nam {starts.year}"
    slug = make_slug(name)
    if db.session.scalar(select(DelegationCall.id).where(DelegationCall.slug == slug)) is not None:
        return None, name
    call = DelegationCall(
        slug=slug, name=name, host_city="Hà Nội", event_starts_on=starts, event_ends_on=starts + timedelta(days=2),
        description=(
            "Sở Khoa học và Công nghệ tuyển chọn các startup và nhóm sinh viên tham gia đoàn của tỉnh "
            "Thái Nguyên tại Techfest Việt Nam. Đoàn có gian hàng chung của tỉnh, suất thi gọi vốn và "
            "khu trưng bày sản phẩm.\n\nSở hỗ trợ chi phí đi lại và lưu trú cho thành viên được chọn."
        ),
        criteria=CRITERIA_TEXT, required_documents=DOCUMENTS_TEXT,
        applications_open_at=now - timedelta(days=3), applications_close_at=now + timedelta(days=21),
        roster_locked_at=starts - timedelta(days=7), total_booths=6, total_places=15, status=CallStatus.OPEN,
        created_by_id=coordinator.id if coordinator else None,
    )
    university = db.session.scalar(
        select(Component).where(Component.kind == ComponentKind.UNIVERSITY, Component.name.contains("Nông Lâm"))
    ) or db.session.scalar(select(Component).where(Component.kind == ComponentKind.UNIVERSITY).order_by(Component.id))
    incubator = db.session.scalar(
        select(Component).where(Component.kind == ComponentKind.INCUBATOR).order_by(Component.id)
    )
    leader = _user(CLUB_LEADER)
    position = 0
    if university is not None:
        call.allocations.append(Allocation(name=university.name, unit=university, representative=leader,
                                           booths=2, places=5, position=position))
        position += 1
    if incubator is not None:
        call.allocations.append(Allocation(name=incubator.name, unit=incubator, booths=2, places=4,
                                           position=position))
        position += 1
    call.allocations.append(Allocation(name=OPEN_POOL, is_open_pool=True, booths=2, places=6, position=position))
    _rubric(call)
    refresh_search_columns(call)
    mentor = _user(MENTOR)
    if mentor is not None:
        call.reviewers.append(CallReviewer(user=mentor))
    db.session.add(call)
    db.session.flush()
    for startup_name, product, category, allocation_index in OPEN_APPLICATIONS:
        startup = _startup(startup_name)
        if startup is None or not startup.members:
            continue
        allocation = call.allocations[min(allocation_index, len(call.allocations) - 1)]
        db.session.add(Application(
            call=call, startup=startup, allocation=allocation, product_name=product,
            product_description=startup.tagline, category=category,
            booth_size="3 m × 3 m" if category == Category.BOOTH else None, needs_power=category == Category.BOOTH,
            needs_accommodation=True, status=ApplicationStatus.SUBMITTED, submitted_at=now - timedelta(days=1),
            submitted_by_id=startup.members[0].user_id, travellers=_travellers(startup),
        ))
    db.session.flush()
    return call, name


def seed() -> list[str]:
    """Create what is missing; return lines to print."""
    coordinator = _user(COORDINATOR)
    lines = []
    if db.session.scalar(select(Startup.id).limit(1)) is None:
        lines.append("Delegations: no demo startups, the 2022 delegations are skipped (seed startups first).")
    else:
        created = applications = travellers = 0
        for demo in PAST_CALLS:
            if db.session.scalar(select(DelegationCall.id).where(DelegationCall.slug == make_slug(demo.name))):
                continue
            added, people = _past_call(demo, coordinator)
            created, applications, travellers = created + 1, applications + added, travellers + people
        lines.append(f"Delegations: {created} past calls created with {applications} accepted applications "
                     f"and {travellers} travellers.")
    call, name = _open_call(coordinator)
    lines.append(f"Delegations: open call “{name}” " + ("created." if call is not None else "already there."))
    db.session.commit()
    return lines

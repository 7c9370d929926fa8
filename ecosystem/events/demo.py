"""Demo data for the events domain: upcoming and past events of the Thái Nguyên ecosystem.

The department's coordinator creates them; demo users register through the same
service as the pages (`events.registration.register`). Safe to run again: an event
whose title exists is left as it is, and nobody is registered twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, has_request_context
from sqlalchemy import select

from ecosystem.auth.models import Role, User
from ecosystem.auth.services import create_confirmed_user, find_user_by_email
from ecosystem.core.localtime import to_local, to_utc
from ecosystem.events import management, ticket_types
from ecosystem.events.models import ACTIVE_STATUSES, Event, EventStatus, Registration
from ecosystem.events.registration import register
from ecosystem.events.registration_checks import AttendeeRequest, RegistrationError
from ecosystem.extensions import db
from ecosystem.places.models import Locality
from ecosystem.timeutil import utcnow

COORDINATOR = "dieuphoi@demo.example"  # created by auth/demo.py
ATTENDEES = [
    "sangly@demo.example", "clb@demo.example", "chuyengia@demo.example", "sv.tuan@demo.example",
    "sv.ngocanh@demo.example", "sv.hung@demo.example", "nguyen.thu.trang@demo.example",
    "hoang.van.duc@demo.example", "le.minh.chau@demo.example",
]


@dataclass
class DemoEvent:
    title: str
    kind: str
    in_days: int  # from today; negative for past events
    hour: int
    hours: float
    summary: str
    description: str
    venue_name: str | None
    address: str | None
    locality: str | None = None
    online_url: str | None = None
    tickets: list[dict] = field(default_factory=lambda: [{"name": "Vé tham dự", "capacity": 80}])
    questions: list[dict] = field(default_factory=list)
    bank: tuple[str, str, str] | None = None
    attendees: int = 4  # how many demo users register


EVENTS = [
    DemoEvent(
        title="Workshop: Xây dựng mô hình kinh doanh cho startup nông nghiệp",
        kind="workshop", in_days=12, hour=8, hours=3.5,
        summary="Buổi thực hành Business Model Canvas cùng chuyên gia, dành cho các nhóm khởi nghiệp chè, "
                "nông sản và OCOP.",
        description=(
            "Sở Khoa học và Công nghệ tổ chức buổi workshop thực hành cho các nhóm khởi nghiệp "
            "trong lĩnh vực nông nghiệp công nghệ cao.\n\n"
            "## Nội dung\n\n"
            "- Xác định khách hàng mục tiêu cho sản phẩm chè và nông sản đặc sản\n"
            "- Điền Business Model Canvas theo nhóm\n"
            "- Góp ý trực tiếp từ chuyên gia và các doanh nghiệp đi trước\n\n"
            "Mỗi nhóm nên mang theo máy tính và thông tin về sản phẩm của mình."
        ),
        venue_name="Hội trường Sở Khoa học và Công nghệ", address="Số 513 đường Phan Đình Phùng",
        locality="Phường Phan Đình Phùng",
        questions=[{"label": "Sản phẩm hoặc ý tưởng của nhóm bạn", "kind": "text", "required": True}],
    ),
    DemoEvent(
        title="Đêm Pitching khởi nghiệp Thái Nguyên tháng 12",
        kind="pitching", in_days=20, hour=18, hours=3,
        summary="Tám đội khởi nghiệp trình bày trước hội đồng nhà đầu tư thiên thần và quỹ đầu tư.",
        description=(
            "Mỗi đội có 5 phút trình bày và 5 phút trả lời câu hỏi của hội đồng. Khán giả được bình chọn "
            "đội ấn tượng nhất.\n\nSau phần thi là giao lưu kết nối giữa các startup và nhà đầu tư."
        ),
        venue_name="Trung tâm Hỗ trợ khởi nghiệp đổi mới sáng tạo", address="Đường Z115, phường Quyết Thắng",
        tickets=[{"name": "Khán giả", "capacity": 120},
                 {"name": "Đội thi", "capacity": 8, "requires_approval": True, "audience": "startups"}],
        questions=[{"label": "Bạn biết đến sự kiện qua đâu?", "kind": "choice",
                    "choices": "Facebook của Sở\nCâu lạc bộ khởi nghiệp\nBạn bè giới thiệu\nKhác"}],
    ),
    DemoEvent(
        title="Demo Day sinh viên khởi nghiệp 2026",
        kind="demo-day", in_days=35, hour=8, hours=8,
        summary="Các nhóm sinh viên giới thiệu sản phẩm mẫu tại Đại học Thái Nguyên.",
        description=(
            "Ngày hội trình diễn sản phẩm của các câu lạc bộ khởi nghiệp trong các trường đại học. "
            "Gian trưng bày mở cửa cả ngày; buổi chiều có phần trao giải do doanh nghiệp tài trợ."
        ),
        venue_name="Nhà điều hành Đại học Thái Nguyên", address="Phường Tân Thịnh",
        tickets=[{"name": "Vé khách mời", "capacity": 300},
                 {"name": "Gian trưng bày cho nhóm sinh viên", "capacity": 30, "audience": "students"}],
        questions=[{"label": "Bạn có cần xác nhận tham dự cho nhà trường không?", "kind": "yes-no"}],
    ),
    DemoEvent(
        title="Techfest Thái Nguyên 2026",
        kind="techfest", in_days=60, hour=8, hours=9,
        summary="Ngày hội khởi nghiệp đổi mới sáng tạo của tỉnh: triển lãm, hội thảo, kết nối đầu tư.",
        description=(
            "Techfest Thái Nguyên 2026 là sự kiện vệ tinh của Techfest Việt Nam, quy tụ startup, nhà đầu tư, "
            "trường đại học, doanh nghiệp và các tổ chức hỗ trợ khởi nghiệp trong tỉnh.\n\n"
            "## Chương trình\n\n"
            "- Buổi sáng: khai mạc, triển lãm sản phẩm đổi mới sáng tạo\n"
            "- Buổi chiều: hội thảo chuyên đề chuyển đổi số và nông nghiệp công nghệ cao\n"
            "- Cuối ngày: vòng gọi vốn và kết nối đầu tư"
        ),
        venue_name="Trung tâm Hội nghị tỉnh Thái Nguyên", address="Đường Hoàng Văn Thụ",
        online_url="https://techfest.example.vn/thai-nguyen-2026",
        tickets=[{"name": "Vé tham quan", "capacity": 1000}, {"name": "Vé doanh nghiệp", "capacity": 50}],
        attendees=6,
    ),
    DemoEvent(
        title="Khoá đào tạo Gọi vốn và quản trị tài chính cho startup",
        kind="training", in_days=27, hour=8, hours=7,
        summary="Một ngày đào tạo chuyên sâu: định giá, điều khoản đầu tư, dòng tiền. Có tài liệu và chứng nhận.",
        description=(
            "Khoá học do giảng viên của chương trình hỗ trợ khởi nghiệp quốc gia giảng dạy.\n\n"
            "Học phí đã gồm tài liệu, ăn trưa và giấy chứng nhận. Chuyển khoản theo mã QR trên trang "
            "thanh toán; ban tổ chức xác nhận trong ngày làm việc."
        ),
        venue_name="Phòng đào tạo Sở Khoa học và Công nghệ", address="Số 513 đường Phan Đình Phùng",
        tickets=[{"name": "Học viên", "price_vnd": 300_000, "capacity": 40}],
        bank=("970415", "113000123456", "SO KHOA HOC VA CONG NGHE THAI NGUYEN"),
        attendees=2,
    ),
    DemoEvent(
        title="Cà phê kết nối khởi nghiệp tháng 9",
        kind="networking", in_days=-70, hour=15, hours=2,
        summary="Buổi gặp gỡ thân mật giữa các nhà sáng lập, cố vấn và cán bộ hỗ trợ khởi nghiệp.",
        description="Chia sẻ kinh nghiệm bán hàng chè Tân Cương trên sàn thương mại điện tử.",
        venue_name="Không gian khởi nghiệp sáng tạo", address="Đường Cách Mạng Tháng Tám",
    ),
    DemoEvent(
        title="Hội thảo Chuyển đổi số cho hợp tác xã",
        kind="conference", in_days=-40, hour=8, hours=4,
        summary="Các hợp tác xã chia sẻ cách dùng truy xuất nguồn gốc và bán hàng trực tuyến.",
        description="Hội thảo có sự tham gia của các hợp tác xã chè, miến dong và gạo nếp vải.",
        venue_name="Hội trường Liên minh Hợp tác xã tỉnh", address="Đường Hoàng Văn Thụ",
    ),
]


def _coordinator() -> User:
    user = find_user_by_email(COORDINATOR)
    if user is None:
        user = create_confirmed_user(COORDINATOR, "demo-only-not-used", "Nguyễn Thị Lan (Sở KH&CN)",
                                     {Role.COORDINATOR})
        db.session.commit()
    return user


def _local(days: int, hour: int) -> datetime:
    today = to_local(utcnow())
    return (today + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def _create(coordinator: User, demo: DemoEvent) -> Event:
    starts = _local(demo.in_days, demo.hour)
    locality_id = None
    if demo.locality:
        locality_id = db.session.scalar(select(Locality.id).where(Locality.name == demo.locality))
    bank = demo.bank or (None, None, None)
    event = management.create_event(coordinator, management.EventData(
        title=demo.title, kind=demo.kind, starts_at=starts, ends_at=starts + timedelta(hours=demo.hours),
        summary=demo.summary, description=demo.description, venue_name=demo.venue_name, address=demo.address,
        locality_id=locality_id, online_url=demo.online_url,
        refund_deadline=starts - timedelta(days=3) if demo.bank else None,
        bank_bin=bank[0], bank_account_number=bank[1], bank_account_name=bank[2],
    ))
    for ticket in demo.tickets:
        ticket_types.add_ticket_type(event, ticket_types.TicketTypeData(**ticket))
    for question in demo.questions:
        ticket_types.add_question(event, ticket_types.QuestionData(**question))
    management.publish_event(event)
    return event


def _demo_answer(question) -> str:
    if question.kind == "yes-no":
        return "yes"
    if question.kind == "choice":
        return question.choice_list[0]
    return "Trà xanh Tân Cương đóng gói truy xuất nguồn gốc"


def _register_demo_users(event: Event, count: int) -> int:
    """Register the first `count` demo users not registered yet (past events: written directly)."""
    registered = 0
    ticket_type = event.ticket_types[0]
    answers = {question.id: _demo_answer(question) for question in event.questions}
    for email in ATTENDEES[:count]:
        user = find_user_by_email(email)
        if user is None:
            continue
        exists = db.session.scalar(select(Registration.id).where(
            Registration.event_id == event.id, Registration.attendee_id == user.id,
            Registration.status.in_(ACTIVE_STATUSES)))
        if exists:
            continue
        try:
            register(event, user, [AttendeeRequest(user, ticket_type.id, answers)])
        except RegistrationError:
            db.session.rollback()
            continue
        registered += 1
    return registered


def _past(event: Event, demo: DemoEvent) -> None:
    """Move an event that just took registrations into the past (the register service refuses past events)."""
    starts = to_utc(_local(demo.in_days, demo.hour))
    event.starts_at = starts
    event.ends_at = starts + timedelta(hours=demo.hours)
    db.session.commit()


def seed() -> list[str]:
    """Create what is missing; return lines to print."""
    coordinator = _coordinator()
    created = registrations = 0
    base_url = current_app.config.get("PUBLIC_BASE_URL") or "http://localhost:5000"
    for demo in EVENTS:
        event = db.session.scalar(select(Event).where(Event.title == demo.title))
        if event is not None:
            continue
        if demo.in_days < 0:
            # Registrations are taken while the event is upcoming, then it moves to its real date.
            future = DemoEvent(**{**demo.__dict__, "in_days": 5})
            event = _create(coordinator, future)
        else:
            event = _create(coordinator, demo)
        created += 1
        if has_request_context():
            registrations += _register_demo_users(event, demo.attendees)
        else:
            with current_app.test_request_context(base_url=base_url):
                registrations += _register_demo_users(event, demo.attendees)
        if demo.in_days < 0:
            _past(event, demo)
    total = db.session.scalar(select(db.func.count()).select_from(Event).where(
        Event.status == EventStatus.PUBLISHED))
    return [f"Events: {created} created ({total} published in all), {registrations} registrations added."]

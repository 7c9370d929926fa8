"""API tests: a test client that checks every answer against the OpenAPI document, and a catalogue.

The catalogue has public, hidden, verified and out-of-province startups; approved, pending and
rejected directory components; people whose e-mail addresses and phones must never appear.
The event catalogue has published, online, cancelled, draft and past events, one attendee and a
bank account that must never appear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from ecosystem.auth.models import Role, User
from ecosystem.core.localtime import to_local
from ecosystem.directory.queries import get_component
from ecosystem.directory.services import link_startup
from ecosystem.events import management
from ecosystem.events.models import Event
from ecosystem.events.registration import register
from ecosystem.events.registration_checks import AttendeeRequest
from ecosystem.extensions import db
from tests.api.openapi_responses import OpenAPICheckingClient
from tests.factories import StartupRef, locality_id, make_component, make_startup, make_user
from tests.factories.directory import ComponentRef
from tests.factories.events import EventRef, make_event
from tests.factories.users import UserRef

PRIVATE_EMAIL = "chu.rieng.tu@example.com"
PRIVATE_PHONE = "0912345678"


@pytest.fixture
def client(app):
    """The test client of the API tests: each /api/v1 answer must match the OpenAPI document.

    It asks for English messages (Accept-Language), which the tests compare."""
    checking_client = OpenAPICheckingClient(app, app.response_class, use_cookies=True)
    checking_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return checking_client


@dataclass(frozen=True)
class Catalogue:
    founder: UserRef
    coordinator: UserRef
    nong_san: StartupRef  # public, verified, Xã Đại Từ, agritech
    tra_tan_cuong: StartupRef  # public, Xã Tân Cương, food-ocop
    hidden: StartupRef  # hidden profile
    ha_noi: StartupRef  # public, another province
    incubator: ComponentRef  # approved, supports nong_san (public) and hidden
    fund: ComponentRef  # approved investor
    pending: ComponentRef  # a suggestion waiting for review
    rejected: ComponentRef


def build_catalogue(app) -> Catalogue:
    founder = make_user(app, roles=(Role.FOUNDER,), email=PRIVATE_EMAIL, full_name="Trần Thị Sáng Lập")
    with app.app_context():
        db.session.get(User, founder.id).phone = PRIVATE_PHONE
        db.session.commit()
    coordinator = make_user(app, roles=(Role.COORDINATOR,), email="dieu.phoi@example.com")
    nong_san = make_startup(
        app, founder, locality="Xã Đại Từ", verified_by=coordinator,
        name="Nông sản Đại Từ", tagline="Chè và nông sản sạch từ Đại Từ", sector="agritech", stage="mvp",
        description="Kết nối **nông dân** Đại Từ với người mua ở Thái Nguyên.", founded_year=2021,
        website="https://nongsandaitu.vn", contact_email="lienhe@nongsandaitu.vn", contact_phone="0208123456",
        tax_code="4601234567",
    )
    tra_tan_cuong = make_startup(
        app, founder, locality="Xã Tân Cương", name="Trà Tân Cương Online", tagline="Trà đặc sản bán trực tuyến",
        sector="food-ocop", stage="growth", founded_year=2019,
    )
    hidden = make_startup(
        app, founder, name="Dự án Bí Mật Đại Từ", sector="agritech", stage="idea", is_public=False,
        locality="Xã Đại Từ",
    )
    ha_noi = make_startup(
        app, founder, name="Fintech Hồ Tây", sector="fintech", stage="early-revenue", province="Hà Nội",
        locality_text="Phường Tây Hồ",
    )
    suggester = founder  # (every account made costs a password hash: keep them few)
    incubator = make_component(
        app, "incubator", name="Vườn ươm Đại học Thái Nguyên", services=["Ươm tạo", "Đào tạo khởi nghiệp"],
        description="Ươm tạo các dự án của sinh viên.", locality_id=locality_id(app, "Phường Quyết Thắng"),
        address="Phường Quyết Thắng, Thái Nguyên", website="https://vuonuom.tnu.edu.vn",
        contact_email="vuonuom@tnu.edu.vn",
    )
    fund = make_component(app, "investor", name="Quỹ Đầu tư Khởi nghiệp Việt", services=["Đầu tư thiên thần"])
    pending = make_component(app, "coworking", status="pending", suggested_by=suggester.id,
                             name="Không gian Sáng tạo Chờ Duyệt")
    rejected = make_component(app, "media", status="rejected", suggested_by=suggester.id,
                              name="Báo Khởi Nghiệp Bị Từ Chối")
    with app.app_context():
        component = get_component(incubator.id)
        link_startup(component, nong_san.id)
        link_startup(component, hidden.id)
    return Catalogue(founder, coordinator, nong_san, tra_tan_cuong, hidden, ha_noi, incubator, fund, pending,
                     rejected)


@pytest.fixture
def catalogue(app) -> Catalogue:
    return build_catalogue(app)


# --- events -----------------------------------------------------------------------------------------

BANK_ACCOUNT_NUMBER = "0123456789012"
ATTENDEE_EMAIL = "nguoi.tham.du@example.com"


@dataclass(frozen=True)
class EventCatalogue:
    coordinator: UserRef
    techfest: EventRef  # published, Xã Đại Từ, free and paid tickets, overall capacity 30, one attendee, bank account
    online: EventRef  # published, online only, registration not open yet, in 5 days
    cancelled: EventRef  # cancelled, in 8 days
    draft: EventRef  # never public
    past: EventRef  # published, ended 10 days ago
    locality_id: int  # Xã Đại Từ


def build_event_catalogue(app, coordinator: UserRef | None = None) -> EventCatalogue:
    coordinator = coordinator or make_user(app, roles=(Role.COORDINATOR,), email="su.kien@example.com")
    dai_tu = locality_id(app, "Xã Đại Từ")
    techfest = make_event(
        app, coordinator, in_days=20, title="Techfest Thái Nguyên 2026", kind="techfest",
        summary="Ngày hội khởi nghiệp đổi mới sáng tạo của tỉnh.", venue_name="Nhà văn hoá Đại Từ",
        address="Tổ dân phố Đình", locality_id=dai_tu, capacity=30, bank_bin="970436",
        bank_account_number=BANK_ACCOUNT_NUMBER, bank_account_name="SO KHOA HOC VA CONG NGHE",
        tickets=[{"name": "Vé tham dự", "capacity": 50}, {"name": "Gian hàng", "capacity": 10, "price_vnd": 500_000}],
    )
    opens = to_local(datetime.now().astimezone()) + timedelta(days=2)
    online = make_event(
        app, coordinator, in_days=5, title="Hội thảo trực tuyến gọi vốn", kind="workshop", venue_name=None,
        address=None, online_url="https://meet.example.vn/goi-von", registration_opens_at=opens,
        tickets=[{"name": "Vé học viên", "capacity": 100, "price_vnd": 150_000}],
    )
    cancelled = make_event(app, coordinator, in_days=8, title="Đêm gọi vốn đã huỷ", kind="pitching")
    draft = make_event(app, coordinator, in_days=12, title="Bản nháp Bí Mật", kind="conference", publish=False)
    past = make_event(app, coordinator, in_days=-10, title="Giao lưu khởi nghiệp tháng trước", kind="networking")
    attendee = make_user(app, email=ATTENDEE_EMAIL, full_name="Lê Thị Tham Dự")
    with app.app_context():
        user = db.session.get(User, attendee.id)
        register(db.session.get(Event, techfest.id), user, [AttendeeRequest(user, techfest.ticket_type_ids[0])])
        management.cancel_event(db.session.get(Event, cancelled.id))
    return EventCatalogue(coordinator, techfest, online, cancelled, draft, past, dai_tu)


@pytest.fixture
def event_catalogue(app) -> EventCatalogue:
    return build_event_catalogue(app)

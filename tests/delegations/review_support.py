"""Calls and applications for the review and roster tests, built directly with the ORM models."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from ecosystem.auth.models import Role
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
    Score,
    Traveller,
)
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow
from tests.factories.startups import StartupRef, make_startup
from tests.factories.users import UserRef, make_user

_sequence = itertools.count(1)


@dataclass(frozen=True)
class CallRef:
    id: int
    slug: str
    criteria: tuple[int, ...]
    allocations: tuple[int, ...]


def make_call(app, *, criteria=(("Đổi mới sáng tạo", 2), ("Tiềm năng thị trường", 1)),
              allocations=(("Đại học Thái Nguyên", 4, 10), ("Nhóm mở", 4, 10)), reviewers=(),
              name: str | None = None) -> CallRef:
    number = next(_sequence)
    now = utcnow()
    with app.app_context():
        call = DelegationCall(
            slug=f"techfest-thu-nghiem-{number}", name=name or f"Techfest Thử nghiệm {number}", host_city="Hà Nội",
            event_starts_on=now + timedelta(days=60), event_ends_on=now + timedelta(days=62),
            applications_open_at=now - timedelta(days=5), applications_close_at=now + timedelta(days=20),
            total_booths=sum(row[1] for row in allocations), total_places=sum(row[2] for row in allocations),
            status=CallStatus.OPEN,
        )
        for position, (criterion, weight) in enumerate(criteria):
            call.criteria_items.append(Criterion(name=criterion, weight=weight, position=position))
        for position, (allocation, booths, places) in enumerate(allocations):
            call.allocations.append(Allocation(name=allocation, booths=booths, places=places, position=position,
                                               is_open_pool=allocation == "Nhóm mở"))
        for reviewer in reviewers:
            call.reviewers.append(CallReviewer(user_id=reviewer.id))
        refresh_search_columns(call)
        db.session.add(call)
        db.session.commit()
        return CallRef(call.id, call.slug, tuple(c.id for c in call.criteria_items),
                       tuple(a.id for a in call.allocations))


def make_application(app, call: CallRef, *, startup: StartupRef | None = None, allocation: int | None = None,
                     status: ApplicationStatus = ApplicationStatus.SUBMITTED, category: Category = Category.BOOTH,
                     product: str = "Máy sấy nông sản", travellers=None, travel_cost: int = 0,
                     lodging_cost: int = 0) -> tuple[int, StartupRef]:
    """An application of `startup` (a new one by default); `travellers`: (UserRef, legal name, phone) tuples,
    the owner alone by default."""
    startup = startup or make_startup(app)
    travellers = travellers if travellers is not None else [(startup.owner, "Nguyễn Thị Hoà", "0912345678")]
    with app.app_context():
        application = Application(
            call_id=call.id, startup_id=startup.id, allocation_id=allocation, product_name=product,
            product_description="Sấy chè và nông sản bằng năng lượng mặt trời.", category=category,
            status=status, submitted_at=utcnow(), booth_size="3x3", needs_power=True,
            travel_cost_vnd=travel_cost, lodging_cost_vnd=lodging_cost,
        )
        for user, legal_name, phone in travellers:
            application.travellers.append(Traveller(user_id=user.id, legal_name=legal_name, phone=phone,
                                                    role="Trưởng nhóm", dietary_needs="Ăn chay"))
        db.session.add(application)
        db.session.commit()
        return application.id, startup


def add_scores(app, application_id: int, reviewer: UserRef, values: dict[int, int]) -> None:
    with app.app_context():
        for criterion_id, value in values.items():
            db.session.add(Score(application_id=application_id, reviewer_id=reviewer.id,
                                 criterion_id=criterion_id, value=value))
        db.session.commit()


def coordinator(app) -> UserRef:
    return make_user(app, roles=(Role.COORDINATOR,))


def mentor(app) -> UserRef:
    return make_user(app, roles=(Role.MENTOR,))


def rubric_form(rows, reviewers=()) -> dict[str, str]:
    """The rubric form as the browser posts it: `rows` of (criterion id or None, name, weight), or with a fourth
    item True to tick "remove"."""
    data = {"reviewers": "\n".join(reviewers)}
    for index, row in enumerate(rows):
        criterion_id, name, weight, *remove = row
        data[f"criteria-{index}-id"] = "" if criterion_id is None else str(criterion_id)
        data[f"criteria-{index}-name"] = name
        data[f"criteria-{index}-weight"] = str(weight)
        if remove and remove[0]:
            data[f"criteria-{index}-remove"] = "y"
    return data


def english(forms) -> None:
    forms.post("/language", {"lang": "en"}, form_page="/")


def seed_delegation(app):
    """Two allocations; accepted, reserve, rejected, submitted and withdrawn applications."""
    call = make_call(app, name="Techfest Việt Nam 2022",
                     allocations=(("Đại học Thái Nguyên", 4, 10), ("Nhóm mở", 4, 10)))
    university, open_pool = call.allocations
    tea = make_startup(app, name="Trà Tân Cương Xanh")
    second_member = make_user(app, full_name="Lê Văn Bình")
    make_application(app, call, startup=tea, allocation=open_pool, status=ApplicationStatus.ACCEPTED,
                     product="Trà xanh sấy lạnh", category=Category.PITCHING, travel_cost=1_500_000,
                     lodging_cost=2_000_000,
                     travellers=[(tea.owner, "Nguyễn Thị Hoà", "0912345678"), (second_member, "Lê Văn Bình",
                                                                                     "=1+1")])
    rice = make_startup(app, name="Gạo Đại Từ")
    make_application(app, call, startup=rice, allocation=university, status=ApplicationStatus.ACCEPTED,
                     product="Gạo hữu cơ", travellers=[(rice.owner, "Đặng Quốc Việt", "0987654321")],
                     travel_cost=500_000)
    for status in (ApplicationStatus.RESERVE, ApplicationStatus.REJECTED, ApplicationStatus.SUBMITTED,
                   ApplicationStatus.WITHDRAWN, ApplicationStatus.OFFERED):
        other = make_startup(app)
        make_application(app, call, startup=other, allocation=university, status=status,
                         travellers=[(other.owner, f"Không đi {status}", "0900000000")])
    return call


def make_offer(app, expires_in: timedelta = timedelta(days=2)) -> tuple[int, StartupRef]:
    """A reserve offered a freed place in a new call, the offer ending `expires_in` from now."""
    call = make_call(app, allocations=(("Nhóm mở", 2, 4),))
    startup = make_startup(app)
    application_id, _ = make_application(app, call, startup=startup, allocation=call.allocations[0],
                                         status=ApplicationStatus.OFFERED)
    with app.app_context():
        db.session.get(Application, application_id).offer_expires_at = utcnow() + expires_in
        db.session.commit()
    return application_id, startup

"""Quotas: allocations never exceed the totals; the last place goes to one coordinator only."""

import threading
import time
from datetime import timedelta
from functools import partial

import pytest

from ecosystem.auth.models import Role, User
from ecosystem.delegations import decisions
from ecosystem.delegations.models import (
    Allocation,
    Application,
    ApplicationStatus,
    Category,
    DelegationCall,
    Traveller,
)
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow
from tests.concurrency import at_hook, race, without_row_locks
from tests.factories import make_startup, make_user


def make_call(app, booths=1, places=2, allocation_booths=1, allocation_places=2) -> int:
    with app.app_context():
        now = utcnow()
        call = DelegationCall(
            slug=f"techfest-{now.timestamp()}", name="Techfest Việt Nam 2026", host_city="Hà Nội",
            event_starts_on=now + timedelta(days=60), event_ends_on=now + timedelta(days=62),
            applications_open_at=now - timedelta(days=1), applications_close_at=now + timedelta(days=20),
            total_booths=booths, total_places=places, status="open",
            allocations=[Allocation(name="Quỹ mở", is_open_pool=True, booths=allocation_booths,
                                    places=allocation_places)],
        )
        db.session.add(call)
        db.session.commit()
        return call.id


def make_application(app, call_id: int, travellers: int = 2, category=Category.BOOTH) -> int:
    owner = make_user(app, roles=(Role.FOUNDER,))
    startup = make_startup(app, owner=owner)
    with app.app_context():
        call = db.session.get(DelegationCall, call_id)
        application = Application(
            call_id=call_id, startup_id=startup.id, allocation_id=call.allocations[0].id,
            product_name="Máy sấy chè năng lượng mặt trời", category=category, status=ApplicationStatus.SUBMITTED,
            submitted_at=utcnow(),
            travellers=[Traveller(user_id=(owner.id if number == 0 else make_user(app).id),
                                  legal_name=f"Người đi {number}", phone="0912345678")
                        for number in range(travellers)],
        )
        db.session.add(application)
        db.session.commit()
        return application.id


def status_of(app, application_id: int) -> str:
    with app.app_context():
        return db.session.get(Application, application_id).status


def test_allocations_above_the_totals_are_refused(app):
    call_id = make_call(app, booths=2, places=4)
    with app.test_request_context():
        call = db.session.get(DelegationCall, call_id)
        with pytest.raises(decisions.QuotaFull):
            decisions.set_allocations(call, [decisions.AllocationRow("ĐH Thái Nguyên", 1, 3),
                                             decisions.AllocationRow("Quỹ mở", 1, 2, is_open_pool=True)])
        db.session.rollback()
        kept = decisions.set_allocations(call, [decisions.AllocationRow("ĐH Thái Nguyên", 1, 2),
                                                decisions.AllocationRow("Quỹ mở", 1, 2, is_open_pool=True)])
        assert [(allocation.name, allocation.booths, allocation.places) for allocation in kept] == [
            ("ĐH Thái Nguyên", 1, 2), ("Quỹ mở", 1, 2)]


def test_accepting_beyond_the_quota_is_refused_then_a_withdrawal_offers_the_place(app, mailbox, deliver_mail):
    call_id = make_call(app)
    first, second = make_application(app, call_id), make_application(app, call_id)
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    with app.test_request_context():
        by = db.session.get(User, coordinator.id)
        decisions.accept_application(db.session.get(Application, first), by)
        with pytest.raises(decisions.QuotaFull):
            decisions.accept_application(db.session.get(Application, second), by)
        decisions.reserve_application(db.session.get(Application, second), 1, by)
        offered = decisions.withdraw_application(db.session.get(Application, first), by)
        assert offered.id == second
    assert status_of(app, second) == ApplicationStatus.OFFERED
    with app.test_request_context():
        assert decisions.expire_offers(utcnow() + timedelta(days=4)) == 1
    assert status_of(app, second) == ApplicationStatus.WITHDRAWN
    deliver_mail()
    assert len(mailbox.messages) >= 3  # accepted, reserve, offer


def race_to_accept(app, application_ids: list[int], coordinator_ids: list[int]) -> list[Exception]:
    errors: list[Exception] = []
    start = threading.Barrier(len(application_ids))

    def accept(application_id: int, coordinator_id: int) -> None:
        with app.test_request_context():
            try:
                application = db.session.get(Application, application_id)
                coordinator = db.session.get(User, coordinator_id)
                start.wait(30)
                decisions.accept_application(application, coordinator)
            except Exception as error:  # noqa: BLE001 - asserted by the caller
                errors.append(error)
            finally:
                db.session.remove()

    race(*[partial(accept, *pair) for pair in zip(application_ids, coordinator_ids, strict=True)], timeout=60)
    return errors


@pytest.fixture
def slow_counting(monkeypatch):
    at_hook(monkeypatch, "delegations.quota_counted", lambda: time.sleep(0.05))


@pytest.mark.postgresql
@pytest.mark.committing
def test_two_coordinators_accepting_the_last_place_at_once_one_wins(app, slow_counting):
    call_id = make_call(app)
    applications = [make_application(app, call_id), make_application(app, call_id)]
    coordinators = [make_user(app, roles=(Role.COORDINATOR,)).id for _ in range(2)]
    errors = race_to_accept(app, applications, coordinators)
    assert len(errors) == 1 and isinstance(errors[0], decisions.QuotaFull)
    assert sorted(status_of(app, application_id) for application_id in applications) == [
        ApplicationStatus.ACCEPTED, ApplicationStatus.SUBMITTED]


@pytest.mark.postgresql
@pytest.mark.committing
def test_negative_control_without_the_lock_both_coordinators_over_accept(app, slow_counting, monkeypatch):
    without_row_locks(monkeypatch, "delegations.quota")
    call_id = make_call(app)
    applications = [make_application(app, call_id), make_application(app, call_id)]
    coordinators = [make_user(app, roles=(Role.COORDINATOR,)).id for _ in range(2)]
    race_to_accept(app, applications, coordinators)
    assert [status_of(app, application_id) for application_id in applications] == [ApplicationStatus.ACCEPTED] * 2

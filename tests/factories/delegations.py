"""Factories for the delegations domain: calls with their allocations, built through the services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from ecosystem.auth.models import Role, User
from ecosystem.delegations import allocations as call_allocations
from ecosystem.delegations import calls
from ecosystem.delegations.models import CallStatus, DelegationCall
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow
from tests.factories.users import UserRef, make_user

__all__ = ["CallRef", "make_call"]

_sequence = itertools.count(1)


@dataclass(frozen=True)
class CallRef:
    id: int
    slug: str
    name: str
    coordinator: UserRef
    allocation_ids: tuple[int, ...]


def make_call(app, coordinator: UserRef | None = None, *, status: str = CallStatus.OPEN, opens_in_days: int = -1,
              closes_in_days: int = 14, allocations: list[dict] | None = None, **fields) -> CallRef:
    """A call created by `coordinator` (a new one by default), its window `opens_in_days` .. `closes_in_days`.

    `allocations`: dicts of `call_allocations.AllocationInput` fields; one open pool taking the whole quota by default.
    """
    coordinator = coordinator or make_user(app, roles=(Role.COORDINATOR,))
    now = utcnow()
    values = {
        "name": f"Techfest Thử nghiệm {next(_sequence)}",
        "host_city": "Hà Nội",
        "event_starts_on": now + timedelta(days=40),
        "event_ends_on": now + timedelta(days=42),
        "applications_open_at": now + timedelta(days=opens_in_days),
        "applications_close_at": now + timedelta(days=closes_in_days),
        "description": "Đoàn khởi nghiệp tỉnh Thái Nguyên tham dự Techfest.",
        "total_booths": 10,
        "total_places": 30,
        "status": status,
        **fields,
    }
    if allocations is None:
        allocations = [{"name": "Gọi mở", "booths": values["total_booths"], "places": values["total_places"],
                        "is_open_pool": True}]
    with app.app_context():
        coordinator_user = db.session.get(User, coordinator.id)
        call = calls.create_call(coordinator_user, calls.CallData(**values))
        if allocations:
            call_allocations.save_allocations(call, [call_allocations.AllocationInput(**row) for row in allocations])
        call = db.session.get(DelegationCall, call.id)
        return CallRef(call.id, call.slug, call.name, coordinator, tuple(a.id for a in call.allocations))

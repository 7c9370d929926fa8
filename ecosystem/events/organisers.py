"""Who organises which event, asked of the events domain.

Higher domains (payments, ...) call these instead of querying `EventOrganiser` themselves.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from ecosystem.events.models import EventOrganiser
from ecosystem.extensions import db


def organised_event_ids(user_id: int) -> Select:
    """A selectable of the ids of the events `user_id` organises (for `... .in_(organised_event_ids(id))`)."""
    return select(EventOrganiser.event_id).where(EventOrganiser.user_id == user_id)


def is_organiser(user_id: int, event_id: int) -> bool:
    return db.session.scalar(
        select(EventOrganiser.id).where(EventOrganiser.event_id == event_id, EventOrganiser.user_id == user_id)
    ) is not None


def organises_any(user_id: int) -> bool:
    return db.session.scalar(select(EventOrganiser.id).where(EventOrganiser.user_id == user_id).limit(1)) is not None

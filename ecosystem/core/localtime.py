"""Local time: the database keeps UTC, people type and read Asia/Ho_Chi_Minh wall time."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def to_utc(moment: datetime | None) -> datetime | None:
    """A time as an aware UTC datetime: a naive one is wall time in Vietnam, an aware one keeps its own zone."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_ZONE)
    return moment.astimezone(UTC)


def to_local(moment: datetime | None) -> datetime | None:
    """An aware datetime as naive Vietnam wall time (what the forms show)."""
    if moment is None:
        return None
    return moment.astimezone(LOCAL_ZONE).replace(tzinfo=None)

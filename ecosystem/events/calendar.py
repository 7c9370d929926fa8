"""iCalendar files: one event (`/events/<slug>.ics`, ticket e-mails) and the feed of published events."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar
from icalendar import Event as CalendarEvent
from sqlalchemy import select

from ecosystem.core.markdown import render_markdown
from ecosystem.core.urls import external_url
from ecosystem.events.models import Event, EventStatus
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow

PRODUCT_ID = "-//Thai Nguyen Startup Ecosystem//Events//EN"
FEED_LIMIT = 500


def _uid_domain() -> str:
    base = current_app.config.get("PUBLIC_BASE_URL") or ""
    return urlsplit(base).hostname or "ecosystem.local"


def event_uid(event: Event) -> str:
    """Stable for the life of the event (not the slug, which an organiser may change)."""
    return f"event-{event.id}@{_uid_domain()}"


def plain_description(event: Event) -> str:
    """Summary and the Markdown description as plain text (rendered, sanitised, tags stripped)."""
    parts = [event.summary or ""]
    if event.description:
        parts.append(render_markdown(event.description).striptags())  # sanitised HTML → plain text
    return "\n\n".join(part for part in parts if part).strip()


def _location(event: Event) -> str:
    parts = [event.venue_name, event.address]
    if event.online_url:
        parts.append(event.online_url)
    return ", ".join(part for part in parts if part)


def _component(event: Event, stamp: datetime) -> CalendarEvent:
    component = CalendarEvent()
    component.add("uid", event_uid(event))
    component.add("dtstamp", stamp.astimezone(UTC))
    component.add("dtstart", event.starts_at.astimezone(UTC))
    component.add("dtend", event.ends_at.astimezone(UTC))
    component.add("summary", event.title)
    component.add("url", external_url("events.detail", slug=event.slug))
    description = plain_description(event)
    if description:
        component.add("description", description)
    location = _location(event)
    if location:
        component.add("location", location)
    if event.updated_at:
        component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return component


def _calendar(name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def event_ics(event: Event) -> bytes:
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    calendar.add_component(_component(event, utcnow()))
    return calendar.to_ical()


def upcoming_published_events(now: datetime | None = None) -> list[Event]:
    now = now or utcnow()
    return list(db.session.scalars(
        select(Event).where(Event.status == EventStatus.PUBLISHED, Event.ends_at > now)
        .order_by(Event.starts_at, Event.id).limit(FEED_LIMIT)
    ))


def feed_ics(events: list[Event], name: str) -> bytes:
    calendar = _calendar(name)
    stamp = utcnow()
    for event in events:
        calendar.add_component(_component(event, stamp))
    return calendar.to_ical()

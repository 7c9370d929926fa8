"""Calendar files: one event's .ics and the feed of published upcoming events."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from ecosystem.events.models import Event, EventStatus
from ecosystem.extensions import db
from tests.events.ticket_support import new_event


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.data)


def test_event_ics_has_utc_times_location_url_and_plain_description(app, client):
    event_id, slug, _ticket = new_event(app, online_url="https://meet.example/hoi-thao")
    calendar = parse(client.get(f"/events/{slug}.ics"))
    [component] = calendar.walk("VEVENT")
    with app.app_context():
        event = db.session.get(Event, event_id)
        starts_at, ends_at, title = event.starts_at, event.ends_at, event.title
    assert component.decoded("dtstart") == starts_at and component.decoded("dtstart").utcoffset() == timedelta(0)
    assert component.decoded("dtend") == ends_at
    assert b"DTSTART:" in client.get(f"/events/{slug}.ics").data and b"Z\r\n" in client.get(f"/events/{slug}.ics").data
    assert str(component["summary"]) == title
    assert "Trung tâm Hội nghị tỉnh" in str(component["location"])
    assert "https://meet.example/hoi-thao" in str(component["location"])
    assert str(component["url"]).endswith(f"/events/{slug}")
    description = str(component["description"])
    assert "hội thảo" in description and "**" not in description and "<" not in description
    assert str(component["uid"]) == f"event-{event_id}@ecosystem.local"
    # The UID stays the same from one download to the next (calendar apps update, not duplicate).
    again = parse(client.get(f"/events/{slug}.ics")).walk("VEVENT")[0]
    assert str(again["uid"]) == str(component["uid"])


def test_event_ics_only_for_published_events(app, client):
    _id, draft_slug, _t = new_event(app, status=EventStatus.DRAFT)
    _id, cancelled_slug, _t = new_event(app, status=EventStatus.CANCELLED)
    assert client.get(f"/events/{draft_slug}.ics").status_code == 404
    assert client.get(f"/events/{cancelled_slug}.ics").status_code == 404
    assert client.get("/events/khong-co-su-kien-nay.ics").status_code == 404
    assert client.get(f"/events/{'x' * 5000}.ics").status_code == 404


def test_feed_lists_published_upcoming_events_only(app, client):
    published = new_event(app, title="Ngày hội khởi nghiệp")
    later = new_event(app, title="Techfest Thái Nguyên", starts_in=timedelta(days=30))
    new_event(app, title="Bản nháp bí mật", status=EventStatus.DRAFT)
    new_event(app, title="Sự kiện đã huỷ", status=EventStatus.CANCELLED)
    new_event(app, title="Sự kiện đã qua", starts_in=-timedelta(days=10))
    calendar = parse(client.get("/events/calendar.ics"))
    events = calendar.walk("VEVENT")
    assert [str(component["summary"]) for component in events] == ["Ngày hội khởi nghiệp", "Techfest Thái Nguyên"]
    assert {str(component["uid"]) for component in events} == {
        f"event-{published[0]}@ecosystem.local", f"event-{later[0]}@ecosystem.local"
    }


def test_feed_query_count_does_not_grow_with_events(app, client, count_queries):
    for _ in range(3):
        new_event(app)
    with count_queries() as few:
        client.get("/events/calendar.ics")
    for _ in range(30):
        new_event(app)
    with count_queries() as many:
        assert len(parse(client.get("/events/calendar.ics")).walk("VEVENT")) == 33
    assert len(many) == len(few)

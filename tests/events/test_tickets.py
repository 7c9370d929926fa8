"""Tickets: the confirmation e-mail's QR code and calendar file, the ticket page, unguessable codes."""

from __future__ import annotations

import io
import secrets

import icalendar
from PIL import Image

from ecosystem.auth.models import User
from ecosystem.events.models import Event
from ecosystem.extensions import db
from tests.events.ticket_support import english, new_event, register
from tests.factories import make_user
from tests.smtp_server import text_body


def test_confirmation_mail_carries_a_png_qr_code_and_an_ics_file(app, mailbox, deliver_mail):
    event_id, slug, _ticket = new_event(app)
    member = make_user(app, full_name="Hoàng Thị Mai")
    [(_id, status, code)] = register(app, event_id, member.id)
    assert status == "confirmed" and len(code) >= 24
    deliver_mail()
    [message] = mailbox.wait_for(member.email)
    assert f"/tickets/{code}" in text_body(message)
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    png = attachments[f"ve-{code[:8]}.png"]
    assert png.get_content_type() == "image/png"
    image = Image.open(io.BytesIO(png.get_content()))
    image.verify()
    assert image.format == "PNG" and image.size[0] >= 250  # big enough for a phone camera
    ics = attachments[f"{slug}.ics"]
    assert ics.get_content_type() == "text/calendar"
    assert ics.get_content_charset() == "utf-8"
    calendar = icalendar.Calendar.from_ical(ics.get_content())
    [component] = calendar.walk("VEVENT")
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert component.decoded("dtstart") == event.starts_at
        assert str(component["summary"]) == event.title


def test_ticket_page_shows_the_qr_code_and_no_contact_data(app, client, forms):
    event_id, _slug, _ticket = new_event(app)
    member = make_user(app, full_name="Hoàng Thị Mai")
    with app.app_context():
        user = db.session.get(User, member.id)
        user.phone = "0912345678" if hasattr(user, "phone") else None
        db.session.commit()
    [(_id, _status, code)] = register(app, event_id, member.id)
    english(forms)  # an anonymous visitor with the link: the ticket is the link
    response = client.get(f"/tickets/{code}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Hoàng Thị Mai" in html and "Hội thảo chuyển đổi số Thái Nguyên" in html and "Vé thường" in html
    assert 'src="data:image/svg+xml' in html and 'alt="QR code of this ticket"' in html
    assert member.email not in html and "0912345678" not in html
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response.headers["Cache-Control"]


def test_guessed_and_malformed_codes_are_404(app, client):
    event_id, _slug, _ticket = new_event(app)
    [(_id, _status, code)] = register(app, event_id, make_user(app).id)
    for guess in (secrets.token_urlsafe(18), code[:-1], code.upper() if code.upper() != code else code.lower(),
                  "1", "x" * 10_000, "vé-đại-từ", "%00", "..%2F..%2Fetc"):
        assert client.get(f"/tickets/{guess}").status_code == 404, guess


def test_waitlisted_registration_has_no_ticket(app, client):
    event_id, _slug, _ticket = new_event(app, capacity=1)
    register(app, event_id, make_user(app).id)
    [(_id, status, code)] = register(app, event_id, make_user(app).id)
    assert status == "waitlisted" and code is None


def test_a_cancelled_ticket_page_shows_no_qr_code(app, client, forms):
    event_id, _slug, _ticket = new_event(app)
    [(registration_id, _status, code)] = register(app, event_id, make_user(app).id)
    with app.test_request_context():
        from ecosystem.events.models import Registration
        from ecosystem.events.registration import cancel_registration

        cancel_registration(db.session.get(Registration, registration_id))
    english(forms)
    html = client.get(f"/tickets/{code}").get_data(as_text=True)
    assert "Cancelled" in html and "data:image/svg+xml" not in html
    assert "This registration is not a valid ticket at the moment." in html

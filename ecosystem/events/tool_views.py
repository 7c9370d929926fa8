"""Calendar files and check-in at the door: /events/<slug>.ics, /events/calendar.ics, /events/<slug>/checkin."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, Length

from ecosystem.auth.permissions import confirmed_required
from ecosystem.events.calendar import event_ics, feed_ics, upcoming_published_events
from ecosystem.events.models import Event, EventStatus
from ecosystem.events.registration import seat_counts
from ecosystem.events.tickets import SEARCH_MIN, CheckInResult, check_in, find_attendees, is_event_staff
from ecosystem.extensions import db

bp = Blueprint("event_tools", __name__, url_prefix="/events")

ICS_TYPE = "text/calendar; charset=utf-8"


def _ics_response(body: bytes, filename: str) -> Response:
    response = Response(body, content_type=ICS_TYPE)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def _event_or_404(slug: str) -> Event:
    event = db.session.scalar(select(Event).where(Event.slug == slug)) if len(slug) <= 90 else None
    if event is None:
        abort(404)
    return event


@bp.get("/calendar.ics")
def feed():
    return _ics_response(feed_ics(upcoming_published_events(), _("Startup Thai Nguyen events")), "events.ics")


@bp.get("/<slug>.ics")
def event_calendar(slug: str):
    event = _event_or_404(slug)
    if event.status != EventStatus.PUBLISHED:
        abort(404)
    return _ics_response(event_ics(event), f"{event.slug}.ics")


class CheckInForm(FlaskForm):
    code = StringField(
        _l("Ticket code"), validators=[InputRequired(_l("Type or scan a ticket code.")), Length(max=500)],
        description=_l("The code printed under the QR code, or the ticket's link."),
    )
    group = HiddenField()


def _staff_event(slug: str) -> Event:
    event = _event_or_404(slug)
    if not is_event_staff(current_user, event):
        abort(403)
    return event


def _result_json(result: CheckInResult, event: Event):
    registration = result.registration
    payload = {
        "ok": result.ok,
        "message": result.message,
        "counts": seat_counts(event),
        "group_remaining": result.group_remaining,
        "checked_in": len(result.checked_in),
    }
    if registration is not None and registration.event_id == event.id:
        payload.update(code=registration.ticket_code, attendee=registration.attendee.full_name,
                       ticket_type=registration.ticket_type.name, status=registration.status)
    return jsonify(payload), result.status_code


@bp.route("/<slug>/checkin", methods=["GET", "POST"])
@confirmed_required
def checkin(slug: str):
    event = _staff_event(slug)
    form = CheckInForm()
    result = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            result = check_in(event, form.code.data, current_user, whole_group=form.group.data == "1")
        else:
            message = " ".join(str(error) for error in form.code.errors) or _("Type or scan a ticket code.")
            result = CheckInResult(False, message, 400)
        status = result.status_code
    search = (request.values.get("q") or "").strip()[:200]
    found, more = find_attendees(event, search)
    html = render_template("events/checkin.html", event=event, form=CheckInForm(formdata=None), result=result,
                           counts=seat_counts(event), search=search, found=found, more_found=more,
                           search_min=SEARCH_MIN)
    return html, status


@bp.post("/<slug>/checkin/scan")
@confirmed_required
def checkin_scan(slug: str):
    """JSON for static/js/checkin.js: {"code": "...", "group": true|false}; CSRF token in X-CSRFToken."""
    event = _staff_event(slug)
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("code", ""), str):
        return _result_json(CheckInResult(False, _("Send a JSON object with a ticket code."), 400), event)
    result = check_in(event, data.get("code"), current_user, whole_group=data.get("group") is True)
    return _result_json(result, event)


@bp.get("/<slug>/checkin/counts")
@confirmed_required
def checkin_counts(slug: str):
    event = _staff_event(slug)
    return jsonify(seat_counts(event))

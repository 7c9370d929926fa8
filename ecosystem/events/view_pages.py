"""Events pages: the helpers the routes of `events.views` share: finding the event (or 404), rendering a page
with its forms, running a form or button action of the manage page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ecosystem.auth.models import User
from ecosystem.auth.permissions import authorize, can
from ecosystem.core.forms import ButtonForm, show_error
from ecosystem.core.validation import parse_id
from ecosystem.events import exports, management, queries, services
from ecosystem.events import registration as seats
from ecosystem.events.forms import (
    EventForm,
    OrganiserForm,
    QuestionForm,
    RegistrationForm,
    TicketTypeForm,
    answers_from,
    posted_int,
)
from ecosystem.events.models import Event
from ecosystem.events.registration_checks import AttendeeRequest, RegistrationError
from ecosystem.extensions import db


def signed_in_user() -> User:
    return current_user._get_current_object()


def visible_or_404(slug: str) -> Event:
    event = queries.public_event(slug, current_user)
    if event is None:
        abort(404)
    return event


def managed(slug: str) -> Event:
    event = queries.get_by_slug(slug)
    if event is None:
        abort(404)
    authorize("event.manage", event)
    return event


def detail_page(event: Event, form: RegistrationForm | None = None, status: int = 200):
    taken = queries.seats_taken([event])
    form = form or RegistrationForm(formdata=None)
    form.ticket_type_id.choices = [SelectChoice(str(item.id), item.name) for item in event.ticket_types]
    groups = queries.group_choices(current_user, event)
    return render_template(
        "events/detail.html", event=event, form=form, button_form=ButtonForm(),
        seats_left=queries.seats_left(event, taken), price_range=queries.price_range(event),
        registration_open=seats.registration_open(event),
        mine=queries.my_active_registration(event, current_user), groups=groups,
        may_manage=can(current_user, "event.manage", event), answers=request.form if status != 200 else {},
        map_url=queries.event_map_url(event),
    ), status


def attendees_from_form(event: Event) -> list[AttendeeRequest]:
    """Who the form registers: oneself (`self`), and group members `member-<id>` with `ticket-<id>`."""
    user = signed_in_user()
    answers = answers_from(request.form, event)
    attendees = []
    group = request.form.get("group") == "1"
    if not group or request.form.get("self") == "1":
        attendees.append(AttendeeRequest(user, posted_int(request.form, "ticket_type_id") or 0, answers))
    if group:
        for raw in request.form.getlist("member")[:200]:
            member_id = parse_id(raw)
            member = db.session.get(User, member_id) if member_id else None
            if member is None:
                raise RegistrationError(_("Choose people from the list."))
            ticket_type_id = posted_int(request.form, f"ticket-{member.id}") or 0
            attendees.append(AttendeeRequest(member, ticket_type_id, answers))
    return attendees


def mine_page(status: int = 200):
    return render_template(
        "events/mine.html", registrations=queries.my_registrations(signed_in_user()), button_form=ButtonForm(),
        may_cancel=queries.may_cancel_now,
    ), status


def manage_page(event: Event, status: int = 200, **forms):
    event_form = forms.get("event_form") or EventForm(
        formdata=None, data=vars(management.EventData.from_event(event)) | {
            "locality_id": str(event.locality_id or ""), "capacity": event.capacity,
        }, current_locality=event.locality, current_bank_bin=event.bank_bin,
    )
    return render_template(
        "events/manage.html", event=event, event_form=event_form,
        ticket_form=forms.get("ticket_form") or TicketTypeForm(formdata=None),
        question_form=forms.get("question_form") or QuestionForm(formdata=None),
        organiser_form=forms.get("organiser_form") or OrganiserForm(formdata=None),
        button_form=ButtonForm(), counts=seats.seat_counts(event),
        may_name_organisers=can(current_user, "event.name_organisers", event),
        audience_labels=services.AUDIENCE_LABELS, question_kind_labels=services.QUESTION_KIND_LABELS,
        status_labels=services.STATUS_LABELS,
    ), status


def button_action(slug: str, action, success: str):
    event = managed(slug)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        action(event)
    except services.EventError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return manage_page(queries.get_by_slug(slug), 409)
    flash(success, "success")
    return redirect(url_for("events.manage", slug=slug))


def form_action(slug: str, form_class, form_name: str, action, success: str, editing: str | None = None):
    """Add (or, with `editing` naming the item, save) a ticket type or question from the manage page.

    The add form shows its own errors; an edit form lives in a folded row, so its errors are flashed
    at the top of the page with the item's name."""
    event = managed(slug)
    form = form_class()
    if form.validate_on_submit():
        try:
            action(event, form)
        except services.EventError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(success, "success")
            return redirect(url_for("events.manage", slug=slug))
    if editing is None:
        return manage_page(event, 422, **{form_name: form})
    for errors in form.errors.values():
        for message in errors:
            flash(f"{editing}: {message}", "error")
    return manage_page(queries.get_by_slug(slug), 422)


def registrations_event(slug: str) -> Event:
    event = queries.get_by_slug(slug)
    if event is None:
        abort(404)
    authorize("event.view_registrations", event)
    return event


def registrations_page(event: Event, status: int = 200, decline_error: tuple[int, str] | None = None):
    registrations = queries.event_registrations(event)
    return render_template(
        "events/registrations.html", event=event, registrations=registrations,
        organisations=exports.organisations_of(registration.attendee_id for registration in registrations),
        counts=seats.seat_counts(event), button_form=ButtonForm(),
        may_manage=can(current_user, "event.manage", event), decline_error=decline_error,
        reason_max=seats.DECLINE_REASON_MAX, posted_reason=request.form.get("reason", "") if decline_error else "",
    ), status

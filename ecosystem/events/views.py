"""Events: list, detail, registration, management. `/tickets/...` lives in ticket_views."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ecosystem.auth.models import User
from ecosystem.auth.permissions import authorize, can, confirmed_required
from ecosystem.core.forms import ButtonForm, show_error
from ecosystem.core.listing import BadListQuery
from ecosystem.core.validation import parse_id
from ecosystem.events import registration as seats
from ecosystem.events import services
from ecosystem.events.forms import (
    EventForm,
    OrganiserForm,
    QuestionForm,
    RegistrationForm,
    TicketTypeForm,
    answers_from,
    posted_int,
)
from ecosystem.events.models import Event, RegistrationStatus
from ecosystem.events.ticket_views import bp as tickets_bp
from ecosystem.events.tool_views import bp as tools_bp
from ecosystem.extensions import db
from ecosystem.places.services import active_localities

bp = Blueprint("events", __name__, url_prefix="/events")
blueprints = [bp, tickets_bp, tools_bp]


@bp.app_template_global()
def event_kind_label(value: str) -> str:
    return services.kind_label(value)


@bp.app_template_global()
def registration_status_label(value: str) -> str:
    return services.registration_status_label(value)


@bp.app_template_global()
def registration_label(registration) -> str:
    return services.registration_label(registration)


@bp.app_template_global()
def answer_text(question, value: str) -> str:
    return services.answer_text(question, value)


def _user() -> User:
    return current_user._get_current_object()


def _visible_or_404(slug: str) -> Event:
    event = services.public_event(slug, current_user)
    if event is None:
        abort(404)
    return event


def _managed(slug: str) -> Event:
    event = services.get_by_slug(slug)
    if event is None:
        abort(404)
    authorize("event.manage", event)
    return event


# ---------------------------------------------------------------------------
# Public pages
# ---------------------------------------------------------------------------


@bp.get("/")
def index():
    try:
        query = services.event_list_query(request.args)
    except BadListQuery as error:
        abort(400, description=str(error.message))
    page = services.search_events(query)
    taken = services.seats_taken(page.items)
    return render_template(
        "events/index.html", page=page, pagination=page, query=query,
        seats_left={event.id: services.seats_left(event, taken) for event in page.items},
        kinds=services.KIND_LABELS, localities=active_localities(), sorts=services.SORT_LABELS,
        drafts=services.drafts_for(current_user), may_create=can(current_user, "event.create"),
    )


def _detail_page(event: Event, form: RegistrationForm | None = None, status: int = 200):
    taken = services.seats_taken([event])
    form = form or RegistrationForm(formdata=None)
    form.ticket_type_id.choices = [SelectChoice(str(item.id), item.name) for item in event.ticket_types]
    groups = services.group_choices(current_user, event)
    return render_template(
        "events/detail.html", event=event, form=form, button_form=ButtonForm(),
        seats_left=services.seats_left(event, taken), price_range=services.price_range(event),
        registration_open=seats.registration_open(event),
        mine=services.my_active_registration(event, current_user), groups=groups,
        may_manage=can(current_user, "event.manage", event), answers=request.form if status != 200 else {},
        map_url=services.event_map_url(event),
    ), status


@bp.get("/<slug>")
def detail(slug: str):
    return _detail_page(_visible_or_404(slug))


def _attendees_from_form(event: Event) -> list[seats.AttendeeRequest]:
    """Who the form registers: oneself (`self`), and group members `member-<id>` with `ticket-<id>`."""
    user = _user()
    answers = answers_from(request.form, event)
    attendees = []
    group = request.form.get("group") == "1"
    if not group or request.form.get("self") == "1":
        attendees.append(seats.AttendeeRequest(user, posted_int(request.form, "ticket_type_id") or 0, answers))
    if group:
        for raw in request.form.getlist("member")[:200]:
            member_id = parse_id(raw)
            member = db.session.get(User, member_id) if member_id else None
            if member is None:
                raise seats.RegistrationError(_("Choose people from the list."))
            ticket_type_id = posted_int(request.form, f"ticket-{member.id}") or 0
            attendees.append(seats.AttendeeRequest(member, ticket_type_id, answers))
    return attendees


@bp.post("/<slug>/register")
@confirmed_required
def register(slug: str):
    event = _visible_or_404(slug)
    form = RegistrationForm()
    form.ticket_type_id.choices = [SelectChoice(str(item.id), item.name) for item in event.ticket_types]
    if not form.validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return _detail_page(event, form, 400)
    try:
        order = seats.register(event, _user(), _attendees_from_form(event), services.may_register_others)
    except seats.RegistrationError as error:
        flash(str(error.message), "error")
        event = _visible_or_404(slug)
        return _detail_page(event, form, 422)
    messages = {
        RegistrationStatus.CONFIRMED: _("You are registered. Your ticket is on its way by e-mail."),
        RegistrationStatus.WAITLISTED: _("The event is full: you are on the waitlist."),
        RegistrationStatus.AWAITING_PAYMENT: _("Your seat is held: please pay to confirm it."),
        RegistrationStatus.PENDING_APPROVAL: _("Your registration awaits the organisers' approval."),
    }
    if len(order.registrations) > 1:
        flash(_("%(count)d people are registered. Each gets their own ticket by e-mail.",
                count=len(order.registrations)), "success")
    else:
        flash(messages.get(order.registrations[0].status, _("You are registered.")), "success")
    if request.form.get("group") == "1":
        return redirect(url_for("events.order", slug=event.slug, order_id=order.id))
    registration = order.registrations[0]
    if registration.status == RegistrationStatus.AWAITING_PAYMENT and "payments.pay" in current_app.view_functions:
        return redirect(url_for("payments.pay", registration_id=registration.id))
    return redirect(url_for("events.mine"))


@bp.get("/<slug>/orders/<int:order_id>")
@confirmed_required
def order(slug: str, order_id: int):
    """After registering a startup or team: who is registered, waitlisted or not (and why), with pay links."""
    event = _visible_or_404(slug)
    placed = services.order_of(_user(), event, order_id)
    if placed is None:
        abort(404)
    others, groups = services.order_outcome(placed, _user())
    return render_template("events/order.html", event=event, order=placed, others=others, groups=groups)


def _mine_page(status: int = 200):
    return render_template(
        "events/mine.html", registrations=services.my_registrations(_user()), button_form=ButtonForm(),
        may_cancel=services.may_cancel_now,
    ), status


@bp.get("/mine")
@confirmed_required
def mine():
    return _mine_page()


@bp.get("/registrations/<int:registration_id>/cancel")
@confirmed_required
def confirm_cancel_registration(registration_id: int):
    """Ask before cancelling, and say what comes back (the payments domain's refund rules)."""
    registration = services.registration_of(_user(), registration_id)
    if registration is None:
        abort(404)
    if not services.may_cancel_now(registration):
        flash(_("This registration cannot be cancelled any more."), "error")
        return _mine_page(409)
    return render_template(
        "events/cancel.html", registration=registration, event=registration.event, button_form=ButtonForm(),
        refund=services.cancellation_refund(registration),
    )


@bp.post("/registrations/<int:registration_id>/cancel")
@confirmed_required
def cancel_registration(registration_id: int):
    registration = services.registration_of(_user(), registration_id)
    if registration is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if request.form.get("confirm") != "1":  # a button elsewhere (a list) leads to the confirmation first
        return redirect(url_for("events.confirm_cancel_registration", registration_id=registration.id)), 303
    try:
        seats.cancel_registration(registration)
    except seats.RegistrationError as error:
        flash(str(error.message), "error")
        return _mine_page(409)
    flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("events.mine")), 303


# ---------------------------------------------------------------------------
# Management
# ---------------------------------------------------------------------------


@bp.route("/new", methods=["GET", "POST"])
@confirmed_required
def new():
    authorize("event.create")
    form = EventForm()
    if form.validate_on_submit():
        try:
            event = services.create_event(_user(), form.event_data(), form.cover_stream())
        except services.EventError as error:
            show_error(form, error)
        else:
            flash(_("The event is saved as a draft. Add ticket types, then publish it."), "success")
            return redirect(url_for("events.manage", slug=event.slug))
    return render_template("events/form.html", form=form, event=None), 200 if request.method == "GET" else 422


def _manage_page(event: Event, status: int = 200, **forms):
    event_form = forms.get("event_form") or EventForm(
        formdata=None, data=vars(services.EventData.from_event(event)) | {
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


@bp.route("/<slug>/manage", methods=["GET", "POST"])
@confirmed_required
def manage(slug: str):
    event = _managed(slug)
    if request.method == "GET":
        return _manage_page(event)
    form = EventForm(current_locality=event.locality, current_bank_bin=event.bank_bin)
    if form.validate_on_submit():
        try:
            services.update_event(event, form.event_data(), form.cover_stream(), form.remove_cover.data)
        except services.EventError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(_("The event is saved."), "success")
            return redirect(url_for("events.manage", slug=event.slug))
    return _manage_page(event, 422, event_form=form)


def _button_action(slug: str, action, success: str):
    event = _managed(slug)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        action(event)
    except services.EventError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _manage_page(services.get_by_slug(slug), 409)
    flash(success, "success")
    return redirect(url_for("events.manage", slug=slug))


@bp.post("/<slug>/publish")
@confirmed_required
def publish(slug: str):
    return _button_action(slug, services.publish_event, _("The event is published."))


@bp.post("/<slug>/unpublish")
@confirmed_required
def unpublish(slug: str):
    return _button_action(slug, services.unpublish_event, _("The event is a draft again."))


@bp.post("/<slug>/cancel")
@confirmed_required
def cancel(slug: str):
    return _button_action(
        slug, services.cancel_event, _("The event is cancelled. Every registration is cancelled and refunded, and "
                                       "attendees are told by e-mail."),
    )


def _form_action(slug: str, form_class, form_name: str, action, success: str, editing: str | None = None):
    """Add (or, with `editing` naming the item, save) a ticket type or question from the manage page.

    The add form shows its own errors; an edit form lives in a folded row, so its errors are flashed
    at the top of the page with the item's name."""
    event = _managed(slug)
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
        return _manage_page(event, 422, **{form_name: form})
    for errors in form.errors.values():
        for message in errors:
            flash(f"{editing}: {message}", "error")
    return _manage_page(services.get_by_slug(slug), 422)


@bp.post("/<slug>/tickets")
@confirmed_required
def add_ticket_type(slug: str):
    return _form_action(slug, TicketTypeForm, "ticket_form",
                        lambda event, form: services.add_ticket_type(event, form.ticket_data()),
                        _("The ticket type is added."))


@bp.post("/<slug>/tickets/<int:ticket_type_id>")
@confirmed_required
def update_ticket_type(slug: str, ticket_type_id: int):
    return _form_action(slug, TicketTypeForm, "ticket_form",
                        lambda event, form: services.update_ticket_type(event, ticket_type_id, form.ticket_data()),
                        _("The ticket type is saved."), editing=_("Ticket type"))


@bp.post("/<slug>/tickets/<int:ticket_type_id>/delete")
@confirmed_required
def delete_ticket_type(slug: str, ticket_type_id: int):
    return _button_action(slug, lambda event: services.delete_ticket_type(event, ticket_type_id),
                          _("The ticket type is deleted."))


@bp.post("/<slug>/questions")
@confirmed_required
def add_question(slug: str):
    return _form_action(slug, QuestionForm, "question_form",
                        lambda event, form: services.add_question(event, form.question_data()),
                        _("The question is added."))


@bp.post("/<slug>/questions/<int:question_id>")
@confirmed_required
def update_question(slug: str, question_id: int):
    return _form_action(slug, QuestionForm, "question_form",
                        lambda event, form: services.update_question(event, question_id, form.question_data()),
                        _("The question is saved."), editing=_("Question"))


@bp.post("/<slug>/tickets/<int:ticket_type_id>/move")
@confirmed_required
def move_ticket_type(slug: str, ticket_type_id: int):
    direction = request.form.get("direction", "")
    return _button_action(slug, lambda event: services.move_ticket_type(event, ticket_type_id, direction),
                          _("The order of the ticket types is saved."))


@bp.post("/<slug>/questions/<int:question_id>/move")
@confirmed_required
def move_question(slug: str, question_id: int):
    direction = request.form.get("direction", "")
    return _button_action(slug, lambda event: services.move_question(event, question_id, direction),
                          _("The order of the questions is saved."))


@bp.post("/<slug>/questions/<int:question_id>/delete")
@confirmed_required
def delete_question(slug: str, question_id: int):
    return _button_action(slug, lambda event: services.delete_question(event, question_id),
                          _("The question is deleted."))


@bp.post("/<slug>/organisers")
@confirmed_required
def add_organiser(slug: str):
    event = _managed(slug)
    authorize("event.name_organisers", event)
    return _form_action(slug, OrganiserForm, "organiser_form",
                        lambda event, form: services.add_organiser(event, form.email.data),
                        _("The organiser is added."))


@bp.post("/<slug>/organisers/<int:organiser_id>/delete")
@confirmed_required
def remove_organiser(slug: str, organiser_id: int):
    event = _managed(slug)
    authorize("event.name_organisers", event)
    return _button_action(slug, lambda event: services.remove_organiser(event, organiser_id),
                          _("The organiser is removed."))


def _registrations_event(slug: str) -> Event:
    event = services.get_by_slug(slug)
    if event is None:
        abort(404)
    authorize("event.view_registrations", event)
    return event


def _registrations_page(event: Event, status: int = 200, decline_error: tuple[int, str] | None = None):
    registrations = services.event_registrations(event)
    return render_template(
        "events/registrations.html", event=event, registrations=registrations,
        organisations=services.organisations_of(registration.attendee_id for registration in registrations),
        counts=seats.seat_counts(event), button_form=ButtonForm(),
        may_manage=can(current_user, "event.manage", event), decline_error=decline_error,
        reason_max=seats.DECLINE_REASON_MAX, posted_reason=request.form.get("reason", "") if decline_error else "",
    ), status


@bp.get("/<slug>/registrations")
@confirmed_required
def registrations(slug: str):
    return _registrations_page(_registrations_event(slug))


@bp.get("/<slug>/registrations.csv")
@confirmed_required
def registrations_csv(slug: str):
    event = _registrations_event(slug)
    return Response(
        services.registrations_csv(event), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}-registrations.csv"',
                 "Cache-Control": "private, no-store"},
    )


@bp.post("/<slug>/registrations/<int:registration_id>/approve")
@confirmed_required
def approve(slug: str, registration_id: int):
    event = _managed(slug)
    registration = services.registration_of_event(event, registration_id)
    if registration is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        seats.approve_registration(registration)
    except seats.RegistrationError as error:
        db.session.rollback()
        flash(str(error.message), "error")
    else:
        flash(_("The registration is approved."), "success")
    return redirect(url_for("events.registrations", slug=slug))


@bp.post("/<slug>/registrations/<int:registration_id>/decline")
@confirmed_required
def decline(slug: str, registration_id: int):
    """Decline a registration awaiting approval, with a reason e-mailed to the person and kept."""
    event = _managed(slug)
    registration = services.registration_of_event(event, registration_id)
    if registration is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        seats.decline_registration(registration, _user(), request.form.get("reason", "")[:5000])
    except seats.RegistrationError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _registrations_page(services.get_by_slug(slug), 422, (registration_id, str(error.message)))
    flash(_("The registration is declined; %(name)s is told why by e-mail.", name=registration.attendee.full_name),
          "success")
    return redirect(url_for("events.registrations", slug=slug)), 303

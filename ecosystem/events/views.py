"""Events: list, detail, registration, management. `/tickets/...` lives in ticket_views."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ecosystem.auth.permissions import authorize, can, confirmed_required
from ecosystem.core.forms import ButtonForm, show_error
from ecosystem.core.listing import BadListQuery
from ecosystem.events import exports, management, queries, services, ticket_types
from ecosystem.events import registration as seats
from ecosystem.events import view_pages as pages
from ecosystem.events.forms import (
    EventForm,
    OrganiserForm,
    QuestionForm,
    RegistrationForm,
    TicketTypeForm,
)
from ecosystem.events.models import RegistrationStatus
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
    return exports.registration_label(registration)


@bp.app_template_global()
def answer_text(question, value: str) -> str:
    return exports.answer_text(question, value)


# ---------------------------------------------------------------------------
# Public pages
# ---------------------------------------------------------------------------


@bp.get("/")
def index():
    try:
        query = queries.event_list_query(request.args)
    except BadListQuery as error:
        abort(400, description=str(error.message))
    page = queries.search_events(query)
    taken = queries.seats_taken(page.items)
    return render_template(
        "events/index.html", page=page, pagination=page, query=query,
        seats_left={event.id: queries.seats_left(event, taken) for event in page.items},
        kinds=services.KIND_LABELS, localities=active_localities(), sorts=services.SORT_LABELS,
        drafts=queries.drafts_for(current_user), may_create=can(current_user, "event.create"),
    )


@bp.get("/<slug>")
def detail(slug: str):
    return pages.detail_page(pages.visible_or_404(slug))


@bp.post("/<slug>/register")
@confirmed_required
def register(slug: str):
    event = pages.visible_or_404(slug)
    form = RegistrationForm()
    form.ticket_type_id.choices = [SelectChoice(str(item.id), item.name) for item in event.ticket_types]
    if not form.validate_on_submit():
        flash(_("The form expired. Please try again."), "error")
        return pages.detail_page(event, form, 400)
    try:
        order = seats.register(
            event, pages.signed_in_user(), pages.attendees_from_form(event), queries.may_register_others,
        )
    except seats.RegistrationError as error:
        flash(str(error.message), "error")
        event = pages.visible_or_404(slug)
        return pages.detail_page(event, form, 422)
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
    event = pages.visible_or_404(slug)
    placed = queries.order_of(pages.signed_in_user(), event, order_id)
    if placed is None:
        abort(404)
    others, groups = queries.order_outcome(placed, pages.signed_in_user())
    return render_template("events/order.html", event=event, order=placed, others=others, groups=groups)


@bp.get("/mine")
@confirmed_required
def mine():
    return pages.mine_page()


@bp.get("/registrations/<int:registration_id>/cancel")
@confirmed_required
def confirm_cancel_registration(registration_id: int):
    """Ask before cancelling, and say what comes back (the payments domain's refund rules)."""
    registration = queries.registration_of(pages.signed_in_user(), registration_id)
    if registration is None:
        abort(404)
    if not queries.may_cancel_now(registration):
        flash(_("This registration cannot be cancelled any more."), "error")
        return pages.mine_page(409)
    return render_template(
        "events/cancel.html", registration=registration, event=registration.event, button_form=ButtonForm(),
        refund=queries.cancellation_refund(registration),
    )


@bp.post("/registrations/<int:registration_id>/cancel")
@confirmed_required
def cancel_registration(registration_id: int):
    registration = queries.registration_of(pages.signed_in_user(), registration_id)
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
        return pages.mine_page(409)
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
            event = management.create_event(pages.signed_in_user(), form.event_data(), form.cover_stream())
        except services.EventError as error:
            show_error(form, error)
        else:
            flash(_("The event is saved as a draft. Add ticket types, then publish it."), "success")
            return redirect(url_for("events.manage", slug=event.slug))
    return render_template("events/form.html", form=form, event=None), 200 if request.method == "GET" else 422


@bp.route("/<slug>/manage", methods=["GET", "POST"])
@confirmed_required
def manage(slug: str):
    event = pages.managed(slug)
    if request.method == "GET":
        return pages.manage_page(event)
    form = EventForm(current_locality=event.locality, current_bank_bin=event.bank_bin)
    if form.validate_on_submit():
        try:
            management.update_event(event, form.event_data(), form.cover_stream(), form.remove_cover.data)
        except services.EventError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            flash(_("The event is saved."), "success")
            return redirect(url_for("events.manage", slug=event.slug))
    return pages.manage_page(event, 422, event_form=form)


@bp.post("/<slug>/publish")
@confirmed_required
def publish(slug: str):
    return pages.button_action(slug, management.publish_event, _("The event is published."))


@bp.post("/<slug>/unpublish")
@confirmed_required
def unpublish(slug: str):
    return pages.button_action(slug, management.unpublish_event, _("The event is a draft again."))


@bp.post("/<slug>/cancel")
@confirmed_required
def cancel(slug: str):
    return pages.button_action(
        slug, management.cancel_event, _("The event is cancelled. Every registration is cancelled and refunded, and "
                                         "attendees are told by e-mail."),
    )


@bp.post("/<slug>/tickets")
@confirmed_required
def add_ticket_type(slug: str):
    return pages.form_action(slug, TicketTypeForm, "ticket_form",
                             lambda event, form: ticket_types.add_ticket_type(event, form.ticket_data()),
                             _("The ticket type is added."))


@bp.post("/<slug>/tickets/<int:ticket_type_id>")
@confirmed_required
def update_ticket_type(slug: str, ticket_type_id: int):
    return pages.form_action(
        slug, TicketTypeForm, "ticket_form",
        lambda event, form: ticket_types.update_ticket_type(event, ticket_type_id, form.ticket_data()),
        _("The ticket type is saved."), editing=_("Ticket type"),
    )


@bp.post("/<slug>/tickets/<int:ticket_type_id>/delete")
@confirmed_required
def delete_ticket_type(slug: str, ticket_type_id: int):
    return pages.button_action(slug, lambda event: ticket_types.delete_ticket_type(event, ticket_type_id),
                               _("The ticket type is deleted."))


@bp.post("/<slug>/questions")
@confirmed_required
def add_question(slug: str):
    return pages.form_action(slug, QuestionForm, "question_form",
                             lambda event, form: ticket_types.add_question(event, form.question_data()),
                             _("The question is added."))


@bp.post("/<slug>/questions/<int:question_id>")
@confirmed_required
def update_question(slug: str, question_id: int):
    return pages.form_action(slug, QuestionForm, "question_form",
                             lambda event, form: ticket_types.update_question(event, question_id, form.question_data()),
                             _("The question is saved."), editing=_("Question"))


@bp.post("/<slug>/tickets/<int:ticket_type_id>/move")
@confirmed_required
def move_ticket_type(slug: str, ticket_type_id: int):
    direction = request.form.get("direction", "")
    return pages.button_action(slug, lambda event: ticket_types.move_ticket_type(event, ticket_type_id, direction),
                               _("The order of the ticket types is saved."))


@bp.post("/<slug>/questions/<int:question_id>/move")
@confirmed_required
def move_question(slug: str, question_id: int):
    direction = request.form.get("direction", "")
    return pages.button_action(slug, lambda event: ticket_types.move_question(event, question_id, direction),
                               _("The order of the questions is saved."))


@bp.post("/<slug>/questions/<int:question_id>/delete")
@confirmed_required
def delete_question(slug: str, question_id: int):
    return pages.button_action(slug, lambda event: ticket_types.delete_question(event, question_id),
                               _("The question is deleted."))


@bp.post("/<slug>/organisers")
@confirmed_required
def add_organiser(slug: str):
    event = pages.managed(slug)
    authorize("event.name_organisers", event)
    return pages.form_action(slug, OrganiserForm, "organiser_form",
                             lambda event, form: management.add_organiser(event, form.email.data),
                             _("The organiser is added."))


@bp.post("/<slug>/organisers/<int:organiser_id>/delete")
@confirmed_required
def remove_organiser(slug: str, organiser_id: int):
    event = pages.managed(slug)
    authorize("event.name_organisers", event)
    return pages.button_action(slug, lambda event: management.remove_organiser(event, organiser_id),
                               _("The organiser is removed."))


@bp.get("/<slug>/registrations")
@confirmed_required
def registrations(slug: str):
    return pages.registrations_page(pages.registrations_event(slug))


@bp.get("/<slug>/registrations.csv")
@confirmed_required
def registrations_csv(slug: str):
    event = pages.registrations_event(slug)
    return Response(
        exports.registrations_csv(event), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{event.slug}-registrations.csv"',
                 "Cache-Control": "private, no-store"},
    )


@bp.post("/<slug>/registrations/<int:registration_id>/approve")
@confirmed_required
def approve(slug: str, registration_id: int):
    event = pages.managed(slug)
    registration = queries.registration_of_event(event, registration_id)
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
    event = pages.managed(slug)
    registration = queries.registration_of_event(event, registration_id)
    if registration is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        seats.decline_registration(registration, pages.signed_in_user(), request.form.get("reason", "")[:5000])
    except seats.RegistrationError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return pages.registrations_page(queries.get_by_slug(slug), 422, (registration_id, str(error.message)))
    flash(_("The registration is declined; %(name)s is told why by e-mail.", name=registration.attendee.full_name),
          "success")
    return redirect(url_for("events.registrations", slug=slug)), 303

"""Techfest delegations: calls, applications (this module); review and rosters (review_views)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ecosystem.auth.models import Role
from ecosystem.auth.permissions import authorize, can, confirmed_required, role_required
from ecosystem.core.forms import ButtonForm, form_status, show_error
from ecosystem.core.listing import BadListQuery
from ecosystem.core.validation import parse_id
from ecosystem.delegations import allocations as call_allocations
from ecosystem.delegations import applications, calls, decks, documents, outcomes, policies, review
from ecosystem.delegations.followup_views import bp as followup_bp
from ecosystem.delegations.forms import (
    AllocationsForm,
    ApplicationForm,
    CallForm,
    NominationForm,
    RubricForm,
    SwapForm,
)
from ecosystem.delegations.models import CallStatus
from ecosystem.delegations.review_views import bp as review_bp

bp = Blueprint("delegations", __name__, url_prefix="/techfest")
blueprints = [bp, review_bp, followup_bp]


@bp.context_processor
def helpers():
    return {
        "allowed": lambda action, obj=None: can(current_user, action, obj),
        "category_label": calls.category_label,
        "call_status_label": calls.status_label,
        "application_status_label": calls.application_status_label,
        "window_open": calls.is_window_open,
        "allocation_label": call_allocations.allocation_label,
    }


def _field_at(form, path: str | None):
    """The field a service message names: "product_name", or a row's field like "travellers-2-phone"."""
    if not path:
        return None, None
    top, _sep, rest = path.partition("-")
    field = getattr(form, top, None)
    if not rest or field is None or not hasattr(field, "entries"):
        return field, None
    index, _sep, name = rest.partition("-")
    if not index.isdigit() or int(index) >= len(field.entries):
        return field, None
    return getattr(field.entries[int(index)].form, name, None), field


def show_field_error(form, error) -> None:
    """Like core's `show_error`, for rows too: the message goes next to the row's field, else at the top."""
    target, rows = _field_at(form, getattr(error, "field", None))
    if target is None or not isinstance(getattr(target, "errors", None), list):
        show_error(form, error)
        return
    target.errors = [*target.errors, str(error.message)]
    if rows is not None:
        rows.errors = [entry.errors for entry in rows.entries]


def _call_or_404(slug: str):
    return calls.call_for_viewer(slug, current_user) or abort(404)


def _managed_call(slug: str):
    call = _call_or_404(slug)
    authorize("delegation.manage", call)
    return call


@bp.get("/")
def index():
    try:
        query = calls.call_list_query(request.args)
    except BadListQuery as error:
        abort(400, description=str(error.message))
    page = calls.search_calls(query, current_user)
    return render_template("delegations/index.html", page=page, pagination=page, query=query,
                           sorts=calls.SORT_LABELS, statuses=calls.CALL_STATUS_LABELS)


@bp.get("/mine")
@confirmed_required
def mine():
    return render_template("delegations/mine.html", applications=applications.applications_of(current_user))


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def create():
    form = CallForm()
    if form.validate_on_submit():
        try:
            call = calls.create_call(current_user, form.call_data(), notice_stream=form.notice_stream())
        except policies.DelegationError as error:
            show_error(form, error)
        else:
            flash(_("The call is saved. Now split the quota into allocations."), "success")
            return redirect(url_for("delegations.allocations", slug=call.slug))
    return render_template("delegations/form.html", form=form, call=None), form_status()


@bp.get("/<slug>")
def detail(slug: str):
    call = _call_or_404(slug)
    return render_template("delegations/detail.html", call=call, quotas=calls.quotas(call),
                           nominate_link=bool(applications.allocations_represented_by(call, current_user)),
                           is_reviewer=review.is_invited_reviewer(current_user, call),
                           results=outcomes.outcome_totals([call.id]) if call.status == CallStatus.CLOSED else None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@confirmed_required
def edit(slug: str):
    call = _managed_call(slug)
    form = CallForm()
    if request.method == "GET":
        form.fill_from(call)
    elif form.validate_on_submit():
        try:
            calls.update_call(call, form.call_data(), notice_stream=form.notice_stream(),
                                 remove_notice=bool(form.remove_notice.data))
        except policies.DelegationError as error:
            show_error(form, error)
        else:
            flash(_("The call is saved."), "success")
            return redirect(url_for("delegations.detail", slug=call.slug))
    return render_template("delegations/form.html", form=form, call=call), form_status()


@bp.get("/<slug>/notice.pdf")
def notice(slug: str):
    """The call's official notice (công văn), public like the call's page."""
    call = _call_or_404(slug)
    path = documents.notice_path(call) or abort(404)
    return send_file(path, mimetype="application/pdf", as_attachment=True,
                     download_name=f"cong-van-{call.slug}.pdf", max_age=0)


@bp.route("/<slug>/allocations", methods=["GET", "POST"])
@confirmed_required
def allocations(slug: str):
    call = _managed_call(slug)
    form = AllocationsForm(units=call_allocations.unit_choices())
    if request.method == "GET":
        form.fill_from(call)
    elif form.validate_on_submit():
        try:
            call_allocations.save_allocations(call, form.inputs())
        except policies.DelegationError as error:
            flash(str(error.message), "error")
        else:
            flash(_("The allocations are saved."), "success")
            return redirect(url_for("delegations.detail", slug=call.slug))
    return render_template("delegations/allocations.html", form=form, call=call), form_status()


@bp.route("/<slug>/rubric", methods=["GET", "POST"])
@confirmed_required
def rubric(slug: str):
    call = _managed_call(slug)
    form = RubricForm()
    if request.method == "GET":
        form.fill_from(call)
    elif form.validate_on_submit():
        try:
            dropped = call_allocations.save_rubric(call, form.criterion_inputs(), form.reviewer_emails())
        except policies.DelegationError as error:
            show_field_error(form, error)
        else:
            flash(_("The rubric and the reviewers are saved."), "success")
            if dropped:
                flash(_("%(count)d score(s) of the removed criteria were deleted; the other scores are kept.",
                        count=dropped), "warning")
            return redirect(url_for("delegations.detail", slug=call.slug))
    return render_template("delegations/rubric.html", form=form, call=call), form_status()


# --- Applications -------------------------------------------------------------------------------


def _application_or_404(application_id: int, action: str = "application.view"):
    application = applications.get_application(application_id) or abort(404)
    if not can(current_user, action, application):
        abort(404)  # do not reveal that someone else's application exists
    return application


def _chosen_applicant(applicants):
    key = request.values.get("as", "")
    return next((a for a in applicants if a.key == key), applicants[0] if applicants else None)


def _save_application_form(form: ApplicationForm, call, applicant, application=None):
    """Save the posted application; on any refusal keep its checked deck for the next try.

    Returns the saved application, or None with the errors set on the form (and the kept deck's token in it).
    """
    pending = documents.pending_deck(current_user, form.deck_token.data)
    upload = form.deck_stream()
    deck_error = False
    if form.validate_on_submit():
        try:
            return applications.save_application(
                call, applicant, current_user, form.application_data(), deck_stream=upload,
                submit=request.form.get("action") == "submit", application=application, pending_deck=pending,
            )
        except policies.DelegationError as error:
            show_field_error(form, error)
            deck_error = error.field == "pitch_deck"
    if upload is not None and not deck_error and not form.csrf_token.errors:
        upload.seek(0)
        try:
            pending = documents.keep_pending_deck(current_user, upload, form.deck_filename(), replaces=pending)
        except policies.DelegationError as error:
            show_field_error(form, error)
    form.deck_token.data = pending.token if pending is not None else ""
    form.kept_deck = pending
    return None


@bp.route("/<slug>/apply", methods=["GET", "POST"])
@confirmed_required
def apply(slug: str):
    call = _call_or_404(slug)
    applicants = applications.applicants_for(current_user)
    applicant = _chosen_applicant(applicants)
    if applicant is None:
        return render_template("delegations/no_applicant.html", call=call), 403
    form = ApplicationForm(call=call, applicant=applicant)
    if not calls.is_window_open(call):
        flash(applications.window_message(call), "error")
        if request.method == "POST":
            return render_template("delegations/apply.html", form=form, call=call, applicant=applicant,
                                   applicants=applicants, application=None), 422
    if request.method == "POST":
        application = _save_application_form(form, call, applicant)
        if application is not None:
            flash(_("Your application is submitted.") if application.status == "submitted"
                  else _("Your draft is saved."), "success")
            return redirect(url_for("delegations.application", application_id=application.id))
    return render_template("delegations/apply.html", form=form, call=call, applicant=applicant,
                           applicants=applicants, application=None), form_status()


@bp.get("/applications/<int:application_id>")
@confirmed_required
def application(application_id: int):
    application = _application_or_404(application_id)
    swap_form = SwapForm(application=application, members=applications.applicant_of(application).members)
    return render_template("delegations/application.html", application=application, call=application.call,
                           button=ButtonForm(), swap_form=swap_form,
                           swap_open=applications.swap_open(application), may_report=outcomes.may_report(application))


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
@confirmed_required
def edit_application(application_id: int):
    application = _application_or_404(application_id, "application.edit")
    call, applicant = application.call, applications.applicant_of(application)
    form = ApplicationForm(call=call, applicant=applicant)
    if request.method == "GET":
        form.fill_from(application)
    elif _save_application_form(form, call, applicant, application) is not None:
        flash(_("Your application is saved."), "success")
        return redirect(url_for("delegations.application", application_id=application.id))
    return render_template("delegations/apply.html", form=form, call=call, applicant=applicant,
                           applicants=[applicant], application=application), form_status()


def _button_action(application_id: int, action, success: str):
    """A button on the application page: the applicant's action, then back to the page with a message."""
    application = _application_or_404(application_id, "application.edit")
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        action(application, current_user)
    except policies.DelegationError as error:
        flash(str(error.message), "error")
    else:
        flash(success, "success")
    return redirect(url_for("delegations.application", application_id=application_id))


@bp.post("/applications/<int:application_id>/submit")
@confirmed_required
def submit_application(application_id: int):
    return _button_action(application_id, applications.submit_application, _("Your application is submitted."))


@bp.post("/applications/<int:application_id>/withdraw")
@confirmed_required
def withdraw_application(application_id: int):
    return _button_action(application_id, applications.withdraw, _("Your application is withdrawn."))


@bp.post("/applications/<int:application_id>/confirm-offer")
@confirmed_required
def confirm_offer(application_id: int):
    return _button_action(application_id, applications.confirm_offer,
                          _("The place is yours: welcome to the delegation."))


@bp.post("/applications/<int:application_id>/swap")
@confirmed_required
def swap_traveller(application_id: int):
    application = _application_or_404(application_id, "application.edit")
    form = SwapForm(application=application, members=applications.applicant_of(application).members)
    if not form.validate_on_submit():
        flash(_("Please fill in the replacement's name and phone."), "error")
        return redirect(url_for("delegations.application", application_id=application_id))
    try:
        applications.swap_traveller(application, parse_id(form.traveller_id.data), applications.TravellerData(
            user_id=parse_id(form.user_id.data), legal_name=form.legal_name.data, phone=form.phone.data,
            role=form.role.data or "", dietary_needs=form.dietary_needs.data or "",
        ), current_user)
    except policies.DelegationError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The traveller is replaced."), "success")
    return redirect(url_for("delegations.application", application_id=application_id))


@bp.get("/applications/<int:application_id>/deck.pdf")
@confirmed_required
def deck(application_id: int):
    application = _application_or_404(application_id, "application.deck")
    path = decks.deck_path(application) or abort(404)
    return send_file(path, mimetype="application/pdf", as_attachment=True,
                     download_name=f"pitch-deck-{application.id}.pdf")


# --- Nominations (a unit's representative) ------------------------------------------------------


@bp.route("/<slug>/nominations", methods=["GET", "POST"])
@confirmed_required
def nominations(slug: str):
    call = _call_or_404(slug)
    mine = applications.allocations_represented_by(call, current_user)
    if not mine:
        abort(403)
    form = NominationForm()
    form.allocation_id.choices = [SelectChoice(str(a.id), call_allocations.allocation_label(a)) for a in mine]
    if form.validate_on_submit():
        application = applications.get_application(parse_id(form.application_id.data) or 0)
        allocation = next((a for a in call.allocations if a.id == parse_id(form.allocation_id.data)), None)
        if application is None or application.call_id != call.id or allocation is None:
            abort(404)
        if allocation not in mine:
            abort(403)
        try:
            applications.nominate(application, allocation, current_user)
        except policies.DelegationError as error:
            flash(str(error.message), "error")
            return redirect(url_for("delegations.nominations", slug=slug))
        flash(_("The application is nominated."), "success")
        return redirect(url_for("delegations.nominations", slug=slug))
    return render_template("delegations/nominations.html", call=call, allocations=mine, form=form,
                           candidates=applications.nomination_candidates(call, current_user))

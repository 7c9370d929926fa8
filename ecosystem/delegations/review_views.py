"""Review, decisions, rosters and paperwork of a delegation call."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from ecosystem.auth.permissions import can, confirmed_required
from ecosystem.core.forms import ButtonForm, form_status, show_error
from ecosystem.core.validation import parse_id
from ecosystem.delegations import allocations, calls, decisions, letters, policies, review, rosters
from ecosystem.delegations.forms import ConflictForm, DecisionDetailsForm, DecisionForm
from ecosystem.delegations.models import DelegationCall

bp = Blueprint("delegation_review", __name__, url_prefix="/techfest")

NO_STORE = {"Cache-Control": "private, no-store"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.context_processor
def helpers():
    return {"allocation_label": allocations.allocation_label, "score": review.format_score,
            "allowed": lambda action, obj=None: can(current_user, action, obj)}


def _call_or_404(slug: str) -> DelegationCall:
    call = review.call_by_slug(slug)
    if call is None:
        abort(404)
    return call


def _review_call(slug: str) -> DelegationCall:
    call = _call_or_404(slug)
    if not review.can_see_review(current_user, call):
        abort(403)
    return call


def _coordinated_call(slug: str) -> DelegationCall:
    call = _call_or_404(slug)
    if not review.is_coordinator(current_user):
        abort(403)
    return call


def _application(call: DelegationCall, application_id: int):
    application = review.application_of_call(call, application_id)
    if application is None:
        abort(404)
    return application


def _back(call: DelegationCall, application_id: int | None = None):
    anchor = f"application-{application_id}" if application_id else None
    return redirect(url_for("delegation_review.review", slug=call.slug, _anchor=anchor))


def _form_errors(form: FlaskForm) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _review_response(call: DelegationCall, status: int = 200, error: str | None = None,
                     decision_form: DecisionForm | None = None):
    reviewer = review.is_invited_reviewer(current_user, call)
    html = render_template(
        "delegations/review/review.html", call=call, ranked=review.ranking(call), criteria=call.criteria_items,
        is_reviewer=reviewer, is_coordinator=review.is_coordinator(current_user), error=error,
        mine=review.my_scores(call, current_user.id) if reviewer else {},
        conflicts=review.conflicted_application_ids(call, current_user.id) if reviewer else set(),
        button_form=ButtonForm(), conflict_form=ConflictForm(formdata=None),
        decision_form=decision_form or DecisionForm(formdata=None, call=call),
        category_label=calls.category_label,
        application_status_label=calls.application_status_label,
    )
    return html, status, NO_STORE


@bp.get("/<slug>/review", endpoint="review")
@confirmed_required
def review_page(slug: str):
    return _review_response(_review_call(slug))


@bp.post("/<slug>/review/<int:application_id>/score")
@confirmed_required
def score(slug: str, application_id: int):
    call = _review_call(slug)
    application = _application(call, application_id)
    if not review.is_invited_reviewer(current_user, call):
        abort(403)
    form = ButtonForm()
    if not form.validate_on_submit():
        return _review_response(call, 400, _("The form has expired: try again."))
    if review.declared_conflict(application, current_user.id):
        return _review_response(call, 403, _(
            "You declared a conflict of interest with this application: you cannot score it."))
    if review.is_applicant_side(application, current_user.id):
        return _review_response(call, 403, _("You are part of this application: you cannot score it."))
    values = {criterion.id: request.form.get(f"criterion-{criterion.id}") for criterion in call.criteria_items}
    try:
        review.score_application(application, current_user, values, request.form.get("comment"))
    except review.ReviewError as error:
        return _review_response(call, 400, error.message)
    flash(_("Your scores for %(name)s are saved.", name=application.applicant_name), "success")
    return _back(call, application.id)


@bp.post("/<slug>/review/<int:application_id>/conflict")
@confirmed_required
def conflict(slug: str, application_id: int):
    call = _review_call(slug)
    application = _application(call, application_id)
    if not review.is_invited_reviewer(current_user, call):
        abort(403)
    form = ConflictForm()
    if not form.validate_on_submit():
        message = _form_errors(form) or _("The form has expired: try again.")
        return _review_response(call, 400, message)
    try:
        review.declare_conflict(application, current_user, form.reason.data)
    except review.ReviewError as error:
        return _review_response(call, 400, error.message)
    flash(_("Conflict of interest recorded: you will not score %(name)s.", name=application.applicant_name),
          "success")
    return _back(call, application.id)


@bp.post("/<slug>/review/<int:application_id>/decide")
@confirmed_required
def decide(slug: str, application_id: int):
    call = _coordinated_call(slug)
    application = _application(call, application_id)
    form = DecisionForm(call=call)
    name = application.applicant_name
    if not form.validate_on_submit():
        if form.decision.errors:
            message = _("Choose a decision for %(name)s: accept, reserve list or reject.", name=name)
        else:
            message = _form_errors(form) or _("The form has expired: try again.")
        return _review_response(call, 400, message)
    try:
        if form.decision.data == "accept":
            decisions.accept_application(application, current_user, form.message.data,
                                         parse_id(form.allocation_id.data))
            flash(_("%(name)s is accepted.", name=name), "success")
        elif form.decision.data == "reserve":
            if form.rank.data is None:
                raise decisions.DecisionError(_("Give the reserve rank (1 is offered a freed place first)."))
            decisions.reserve_application(application, form.rank.data, current_user, form.message.data)
            flash(_("%(name)s is on the reserve list.", name=name), "success")
        else:
            decisions.reject_application(application, current_user, form.message.data)
            flash(_("%(name)s is rejected.", name=name), "success")
    except decisions.DecisionError as error:  # QuotaFull included
        return _review_response(call, 409 if isinstance(error, decisions.QuotaFull) else 400, str(error.message))
    return _back(call, application_id)


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', **NO_STORE,
    })


@bp.get("/<slug>/roster.csv")
@confirmed_required
def roster_csv(slug: str):
    call = _coordinated_call(slug)
    return _download(rosters.roster_csv(call), "text/csv", f"{call.slug}-danh-sach-doan.csv")


@bp.get("/<slug>/roster.xlsx")
@confirmed_required
def roster_xlsx(slug: str):
    call = _coordinated_call(slug)
    return _download(rosters.roster_xlsx(call),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"{call.slug}-danh-sach-doan.xlsx")


@bp.get("/<slug>/ranking.xlsx")
@confirmed_required
def ranking_xlsx(slug: str):
    call = _coordinated_call(slug)
    return _download(rosters.ranking_xlsx(call),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"{call.slug}-bang-tong-hop-diem.xlsx")


@bp.get("/<slug>/roster")
@confirmed_required
def roster(slug: str):
    call = _coordinated_call(slug)
    applications = rosters.accepted_applications(call)
    return render_template(
        "delegations/review/roster.html", call=call, applications=applications,
        rows=rosters.roster_rows(call, applications), summary=rosters.summary(applications),
        totals=rosters.logistics_totals(applications), category_label=calls.category_label,
    ), 200, NO_STORE


@bp.get("/<slug>/review/<int:application_id>")
@confirmed_required
def application(slug: str, application_id: int):
    """One application in full, for its reviewers and the coordinators."""
    call = _review_call(slug)
    application = _application(call, application_id)
    return render_template(
        "delegations/review/application.html", call=call, application=application,
        is_coordinator=review.is_coordinator(current_user), category_label=calls.category_label,
        application_status_label=calls.application_status_label,
    ), 200, NO_STORE


def _letter_page(call: DelegationCall, form: DecisionDetailsForm, status: int = 200):
    applications = rosters.accepted_applications(call)
    return render_template(
        "delegations/review/decision.html", call=call, letter=letters.decision_letter(call, applications),
        form=form,
    ), status, NO_STORE


@bp.get("/<slug>/decision")
@confirmed_required
def decision_letter(slug: str):
    call = _coordinated_call(slug)
    form = DecisionDetailsForm(formdata=None)
    form.fill_from(call)
    return _letter_page(call, form)


@bp.post("/<slug>/decision")
@confirmed_required
def save_decision_details(slug: str):
    """The coordinator records the letter's number, date and signer."""
    call = _coordinated_call(slug)
    form = DecisionDetailsForm()
    if form.validate_on_submit():
        try:
            calls.save_decision_details(call, form.details())
        except policies.DelegationError as error:
            show_error(form, error)
        else:
            flash(_("The decision's number, date and signer are saved."), "success")
            return redirect(url_for("delegation_review.decision_letter", slug=call.slug))
    return _letter_page(call, form, form_status())


@bp.get("/<slug>/decision.docx")
@confirmed_required
def decision_docx(slug: str):
    call = _coordinated_call(slug)
    return _download(letters.decision_docx(letters.decision_letter(call)), DOCX, f"{call.slug}-quyet-dinh.docx")

"""After the decisions: logistics and the settlement report (coordinators), results after the event."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ecosystem.auth.permissions import authorize, can, confirmed_required
from ecosystem.core.forms import form_status, show_error
from ecosystem.delegations import applications, calls, logistics, outcomes, policies
from ecosystem.delegations.forms import LogisticsForm, OutcomesForm

bp = Blueprint("delegation_followup", __name__, url_prefix="/techfest")

NO_STORE = {"Cache-Control": "private, no-store"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _managed_call(slug: str):
    call = calls.call_for_viewer(slug, current_user) or abort(404)
    authorize("delegation.manage", call)
    return call


@bp.get("/<slug>/logistics")
@confirmed_required
def logistics_report(slug: str):
    call = _managed_call(slug)
    return render_template("delegations/logistics.html", call=call, report=logistics.settlement(call)), 200, NO_STORE


@bp.get("/<slug>/settlement.xlsx")
@confirmed_required
def settlement_xlsx(slug: str):
    call = _managed_call(slug)
    return Response(logistics.settlement_xlsx(call), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{call.slug}-quyet-toan.xlsx"', **NO_STORE,
    })


@bp.route("/<slug>/logistics/<int:application_id>", methods=["GET", "POST"])
@confirmed_required
def edit_logistics(slug: str, application_id: int):
    call = _managed_call(slug)
    application = applications.get_application(application_id)
    if application is None or application.call_id != call.id:
        abort(404)
    form = LogisticsForm()
    if request.method == "GET":
        form.process(obj=application)
    elif form.validate_on_submit():
        try:
            logistics.set_logistics(application, form.travel_arrangements.data, form.travel_cost_vnd.data,
                                    form.lodging_cost_vnd.data, current_user)
        except policies.DelegationError as error:
            show_error(form, error)
        else:
            flash(_("The logistics of %(name)s are saved.", name=application.applicant_name), "success")
            return redirect(url_for("delegation_followup.logistics_report", slug=call.slug))
    return render_template("delegations/logistics_form.html", call=call, application=application,
                           form=form), form_status()


@bp.get("/<slug>/outcomes")
@confirmed_required
def outcomes_report(slug: str):
    call = _managed_call(slug)
    return render_template("delegations/outcomes.html", call=call, applications=outcomes.reports(call),
                           totals=outcomes.outcome_totals([call.id])), 200, NO_STORE


@bp.route("/applications/<int:application_id>/outcomes", methods=["GET", "POST"])
@confirmed_required
def report_outcomes(application_id: int):
    application = applications.get_application(application_id)
    if application is None or not can(current_user, "application.edit", application):
        abort(404)  # do not reveal that someone else's application exists
    form = OutcomesForm()
    if request.method == "GET":
        form.process(obj=application)
    elif form.validate_on_submit():
        try:
            outcomes.report_outcomes(application, form.outcome_contacts.data, form.outcome_mous.data,
                                     form.outcome_investment_offers.data, form.outcome_awards.data, current_user)
        except policies.DelegationError as error:
            show_error(form, error)
        else:
            flash(_("Thank you: your results are saved."), "success")
            return redirect(url_for("delegations.application", application_id=application.id))
    elif not outcomes.may_report(application):
        flash(_("Results are reported by accepted applicants once the event has begun."), "error")
    return render_template("delegations/report_outcomes.html", call=application.call, application=application,
                           form=form, open=outcomes.may_report(application)), form_status()

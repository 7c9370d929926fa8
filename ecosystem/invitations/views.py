"""Opening and accepting an invitation link."""

from flask import Blueprint, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ecosystem.auth.permissions import confirmed_required
from ecosystem.core.forms import ButtonForm as AcceptForm
from ecosystem.invitations import services

bp = Blueprint("invitations", __name__, url_prefix="/invitations")


@bp.get("/<token>")
def show(token: str):
    try:
        invitation, target_name = services.find_open(token)
    except services.InvitationError as error:
        flash(str(error.message), "error")
        return render_template("invitations/problem.html"), 404
    return render_template(
        "invitations/show.html", invitation=invitation, target_name=target_name, form=AcceptForm(),
        email_matches=current_user.is_authenticated and current_user.email == invitation.email,
        here=request.path,
    )


@bp.post("/<token>")
@confirmed_required
def accept(token: str):
    if not AcceptForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(request.path)
    try:
        next_url = services.accept(token, current_user)
    except services.InvitationError as error:
        flash(str(error.message), "error")
        return render_template("invitations/problem.html"), 403
    flash(_("Welcome! You have joined."), "success")
    return redirect(next_url)

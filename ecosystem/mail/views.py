"""Admins see undelivered e-mails and put failed ones back in line."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ecosystem.auth.models import Role
from ecosystem.auth.permissions import role_required
from ecosystem.core.forms import ButtonForm as RequeueForm
from ecosystem.mail.services import outbox_counts, requeue_failed, undelivered_messages

bp = Blueprint("mail", __name__, url_prefix="/admin/outbox")


@bp.get("/")
@role_required(Role.ADMIN)
def outbox():
    return render_template(
        "mail/outbox.html",
        counts=outbox_counts(),
        messages=undelivered_messages(),
        requeue_form=RequeueForm(),
    )


@bp.post("/<int:message_id>/requeue")
@role_required(Role.ADMIN)
def requeue(message_id: int):
    form = RequeueForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
    elif requeue_failed(message_id) is None:
        flash(_("Only a failed message can be sent again."), "error")
    else:
        flash(_("The message is queued again."), "success")
    return redirect(url_for("mail.outbox"))

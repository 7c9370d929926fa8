"""Startup profiles: list, detail, registration, editing, members, verification."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ecosystem.auth.permissions import authorize, can, confirmed_required
from ecosystem.core.forms import ButtonForm, form_status, show_error
from ecosystem.core.listing import BadListQuery, list_query_or_400
from ecosystem.places.services import active_localities
from ecosystem.startups import members as startup_members
from ecosystem.startups import profiles as startup_profiles
from ecosystem.startups import services
from ecosystem.startups import verification as startup_verification
from ecosystem.startups.forms import (
    DeleteForm,
    EditStartupForm,
    InviteForm,
    StartupForm,
    TransferForm,
    VerifyForm,
    sector_choices_for_filter,
    stage_choices_for_filter,
)
from ecosystem.startups.models import MemberRole, Startup

bp = Blueprint("startups", __name__, url_prefix="/startups")


@bp.app_template_global()
def startup_sector_label(value: str) -> str:
    return startup_profiles.sector_label(value)


@bp.app_template_global()
def startup_stage_label(value: str) -> str:
    return startup_profiles.stage_label(value)


def _user():
    return current_user._get_current_object()


def _visible_or_404(slug: str) -> Startup:
    """The profile if the visitor may see it; hidden profiles are a 404 for strangers."""
    startup = startup_profiles.startup_for_viewer(slug, current_user)
    if startup is None:
        abort(404)
    return startup


@bp.get("/")
def index():
    try:
        query = startup_profiles.startup_list_query(request.args)
    except BadListQuery as error:
        abort(400, description=str(error.message))
    page = startup_profiles.search_startups(query, viewer=current_user)
    return render_template(
        "startups/index.html",
        page=page,
        pagination=page,
        query=query,
        sectors=sector_choices_for_filter(),
        stages=stage_choices_for_filter(),
        localities=active_localities(),
        sorts=services.SORT_LABELS,
        mine=startup_profiles.startups_of(current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
@confirmed_required
def new():
    form = StartupForm()
    if form.validate_on_submit():
        try:
            startup = startup_profiles.create_startup(_user(), form.startup_data(), form.logo_stream())
        except services.StartupError as error:
            show_error(form, error)
        else:
            flash(_("%(name)s is registered. Welcome to the ecosystem!", name=startup.name), "success")
            return redirect(url_for("startups.detail", slug=startup.slug))
    return render_template("startups/form.html", form=form, startup=None), form_status()


@bp.get("/<slug>")
def detail(slug: str):
    startup = _visible_or_404(slug)
    allowed = {
        action: can(current_user, f"startup.{action}", startup)
        for action in ("edit", "manage_members", "delete", "verify")
    }
    return render_template(
        "startups/detail.html", startup=startup, allowed=allowed, button_form=ButtonForm(),
        owner_role=MemberRole.OWNER,
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@confirmed_required
def edit(slug: str):
    startup = _visible_or_404(slug)
    authorize("startup.edit", startup)
    locked = not services.may_change_locked_fields(current_user, startup)
    form = EditStartupForm(obj=startup, locked=locked, current_locality=startup.locality)
    if form.validate_on_submit():
        try:
            startup_profiles.update_startup(
                startup, form.startup_data(), _user(), form.logo_stream(), remove_logo=form.remove_logo.data
            )
        except services.StartupError as error:
            show_error(form, error)
        else:
            flash(_("The profile is saved."), "success")
            return redirect(url_for("startups.detail", slug=startup.slug))
    return render_template("startups/form.html", form=form, startup=startup), form_status()


def _members_page(startup: Startup, invite_form=None, transfer_form=None, status: int = 200):
    others = [member for member in startup.members if member.role != MemberRole.OWNER]
    return render_template(
        "startups/members.html",
        startup=startup,
        invite_form=invite_form or InviteForm(formdata=None),
        transfer_form=transfer_form or TransferForm(formdata=None, members=others),
        button_form=ButtonForm(),
        invitations=startup_members.open_invitations(startup),
        owner_role=MemberRole.OWNER,
        role_labels=services.MEMBER_ROLE_LABELS,
    ), status


def _managed_or_refused(slug: str) -> Startup:
    startup = _visible_or_404(slug)
    authorize("startup.manage_members", startup)
    return startup


@bp.get("/<slug>/members")
@confirmed_required
def members(slug: str):
    return _members_page(_managed_or_refused(slug))


@bp.post("/<slug>/members/invite")
@confirmed_required
def invite(slug: str):
    startup = _managed_or_refused(slug)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            startup_members.invite_member(startup, form.email.data, _user())
        except services.StartupError as error:
            show_error(form, error)
        else:
            flash(_("The invitation is on its way to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("startups.members", slug=startup.slug))
    return _members_page(startup, invite_form=form, status=422)


@bp.post("/<slug>/invitations/<int:invitation_id>/revoke")
@confirmed_required
def revoke_invitation(slug: str, invitation_id: int):
    startup = _managed_or_refused(slug)
    if ButtonForm().validate_on_submit():
        try:
            invitation = startup_members.revoke_invitation(startup, invitation_id)
        except services.StartupError as error:
            flash(str(error.message), "error")
            return _members_page(startup, status=404)
        flash(_("The invitation to %(email)s is withdrawn.", email=invitation.email), "success")
    return redirect(url_for("startups.members", slug=startup.slug))


@bp.post("/<slug>/members/<int:member_id>/remove")
@confirmed_required
def remove_member(slug: str, member_id: int):
    startup = _managed_or_refused(slug)
    if ButtonForm().validate_on_submit():
        try:
            member = startup_members.remove_member(startup, member_id)
        except services.StartupError as error:
            flash(str(error.message), "error")
            return _members_page(startup, status=422)
        flash(_("%(name)s is no longer a member.", name=member.user.full_name), "success")
    return redirect(url_for("startups.members", slug=startup.slug))


@bp.post("/<slug>/owner")
@confirmed_required
def transfer(slug: str):
    startup = _managed_or_refused(slug)
    others = [member for member in startup.members if member.role != MemberRole.OWNER]
    form = TransferForm(members=others)
    if form.validate_on_submit():
        try:
            new_owner = startup_members.transfer_ownership(startup, form.member_id.data, _user())
        except services.StartupError as error:
            show_error(form, error)
        else:
            flash(_("%(name)s is now the owner of %(startup)s.", name=new_owner.user.full_name,
                    startup=startup.name), "success")
            return redirect(url_for("startups.detail", slug=startup.slug))
    return _members_page(startup, transfer_form=form, status=422)


VERIFICATION_QUEUE_SORTS = {"oldest": ()}


@bp.get("/verification")
@confirmed_required
def verification_queue():
    """The department's queue: startups waiting for verification, oldest first, with their checklist."""
    authorize("startup.verify")
    query = list_query_or_400(request.args, sorts=VERIFICATION_QUEUE_SORTS, default_sort="oldest",
                              default_per_page=30)
    page = startup_verification.verification_queue(query)
    checklists = {startup.id: startup_verification.verification_checklist(startup) for startup in page.items}
    return render_template("startups/verification_queue.html", page=page, pagination=page, checklists=checklists)


@bp.route("/<slug>/verify", methods=["GET", "POST"])
@confirmed_required
def verify(slug: str):
    """The checklist, a note and a confirmation; verifying needs every check to pass."""
    startup = _visible_or_404(slug)
    authorize("startup.verify", startup)
    form = VerifyForm()
    status = form_status()
    if startup.is_verified:
        flash(_("%(name)s is already verified.", name=startup.name), "info")
        return redirect(url_for("startups.detail", slug=startup.slug))
    if form.validate_on_submit():
        try:
            startup_verification.verify_startup(startup, _user(), form.note.data)
        except services.StartupError as error:
            show_error(form, error)
            status = 409 if error.field is None else 422
        else:
            flash(_("%(name)s is verified by the department.", name=startup.name), "success")
            return redirect(url_for("startups.verification_queue"))
    return render_template(
        "startups/verify.html", startup=startup, form=form,
        checklist=startup_verification.verification_checklist(startup),
    ), status


@bp.post("/<slug>/unverify")
@confirmed_required
def unverify(slug: str):
    startup = _visible_or_404(slug)
    authorize("startup.verify", startup)
    if ButtonForm().validate_on_submit():
        startup_verification.unverify_startup(startup, _user())
        flash(_("The verification of %(name)s is withdrawn.", name=startup.name), "success")
    return redirect(url_for("startups.detail", slug=startup.slug))


@bp.route("/<slug>/delete", methods=["GET", "POST"])
@confirmed_required
def delete(slug: str):
    startup = _visible_or_404(slug)
    authorize("startup.delete", startup)
    form = DeleteForm()
    if form.validate_on_submit():
        name = startup.name
        try:
            startup_profiles.delete_startup(startup)
        except services.StartupError as error:
            flash(str(error.message), "error")
            return render_template("startups/delete.html", startup=startup, form=form), 409
        flash(_("%(name)s is deleted.", name=name), "success")
        return redirect(url_for("startups.index"))
    return render_template("startups/delete.html", startup=startup, form=form), form_status()

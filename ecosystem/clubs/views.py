"""University clubs and their student teams: /clubs/, /clubs/<slug> and the leaders' forms."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ecosystem.auth.models import Role
from ecosystem.auth.permissions import authorize, can, confirmed_required, role_required
from ecosystem.clubs import conversion as club_conversion
from ecosystem.clubs import members as club_members
from ecosystem.clubs import profiles as club_profiles
from ecosystem.clubs import services
from ecosystem.clubs import teams as club_teams
from ecosystem.clubs.forms import ClubForm, ConvertForm, InviteForm, TeamForm
from ecosystem.core.forms import ButtonForm, form_status, show_error
from ecosystem.core.listing import list_query_or_400

bp = Blueprint("clubs", __name__, url_prefix="/clubs")


@bp.context_processor
def permission_helpers():
    return {"allowed": lambda action, obj=None: can(current_user, action, obj)}


def _upload(field):
    upload = field.data
    return upload.stream if upload and getattr(upload, "filename", None) else None


def _club_or_404(slug: str):
    return club_profiles.public_club(slug) or abort(404)


def _team_or_404(club, team_slug: str):
    return club_profiles.get_team(club, team_slug) or abort(404)


def _club_data(form: ClubForm) -> services.ClubData:
    return services.ClubData(
        name=form.name.data,
        university_id=form.university_id,
        description=form.description.data or "",
        contact_email=form.contact_email.data or None,
    )


def _team_data(form: TeamForm) -> services.TeamData:
    return services.TeamData(
        name=form.name.data,
        idea=form.idea.data or "",
        member_ids=tuple(form.member_ids),
        lead_id=form.lead_id,
        mentor_wanted=form.mentor_wanted.data,
    )


def _university_url(club) -> str | None:
    if club.university and "directory.detail" in current_app.view_functions:
        return url_for("directory.detail", slug=club.university.slug)
    return None


@bp.get("/")
def index():
    query = list_query_or_400(
        request.args, sorts=services.CLUB_SORTS, default_sort=services.DEFAULT_CLUB_SORT,
        facets=services.CLUB_FACETS,
    )
    return render_template(
        "clubs/index.html", pagination=club_profiles.search_clubs(query), query=query,
        universities=club_profiles.universities(), sorts=services.CLUB_SORTS,
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.CLUB_LEADER, Role.COORDINATOR)
def create():
    form = ClubForm()
    form.set_universities(club_profiles.universities())
    if form.validate_on_submit():
        try:
            club = club_profiles.create_club(current_user, _club_data(form), _upload(form.logo))
        except services.ClubError as error:
            show_error(form, error)
        else:
            flash(_("The club %(name)s is created. Invite its members next.", name=club.name), "success")
            return redirect(url_for("clubs.members", slug=club.slug))
    return render_template("clubs/form.html", form=form, club=None), form_status()


@bp.get("/<slug>")
def detail(slug: str):
    club = _club_or_404(slug)
    return render_template(
        "clubs/detail.html", club=club, university_url=_university_url(club))


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@confirmed_required
def edit(slug: str):
    club = _club_or_404(slug)
    authorize("club.edit", club)
    form = ClubForm(
        name=club.name, university=str(club.university_id), description=club.description,
        contact_email=club.contact_email,
    )
    form.set_universities(club_profiles.universities())
    if form.validate_on_submit():
        try:
            club_profiles.update_club(club, _club_data(form), _upload(form.logo), remove_logo=form.remove_logo.data)
        except services.ClubError as error:
            show_error(form, error)
        else:
            flash(_("The club is saved."), "success")
            return redirect(url_for("clubs.detail", slug=club.slug))
    return render_template("clubs/form.html", form=form, club=club), form_status()


def _members_page(club, form: InviteForm, status: int):
    return render_template(
        "clubs/members.html", club=club, form=form, invitations=club_profiles.club_invitations(club),
    ), status


@bp.route("/<slug>/members", methods=["GET", "POST"])
@confirmed_required
def members(slug: str):
    club = _club_or_404(slug)
    authorize("club.manage_members", club)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            result = club_members.invite_members(club, form.email.data, current_user)
        except services.ClubError as error:
            show_error(form, error)
        else:
            summary = _invitation_summary(result)
            if result.invited:
                for category, message in summary:
                    flash(message, category)
                return redirect(url_for("clubs.members", slug=club.slug))
            form.email.errors = [message for _category, message in summary]  # nobody invited: say why
    return _members_page(club, form, form_status())


def _invitation_summary(result: club_members.BulkInvitation) -> list[tuple[str, str]]:
    """One message per outcome of a bulk invitation, with the addresses concerned."""
    lines = [
        ("success", result.invited, _("Invitation sent to: %(emails)s.", emails=", ".join(result.invited))),
        ("info", result.already_members,
         _("Already members of the club: %(emails)s.", emails=", ".join(result.already_members))),
        ("info", result.already_invited,
         _("Already invited (the invitation is still open): %(emails)s.", emails=", ".join(result.already_invited))),
        ("warning", result.not_valid,
         _("Not valid e-mail addresses, not invited: %(emails)s.",
           emails=", ".join(text if len(text) <= 60 else text[:59] + "…" for text in result.not_valid))),
    ]
    return [(category, message) for category, addresses, message in lines if addresses]


@bp.post("/<slug>/members/<int:member_id>/remove")
@confirmed_required
def remove_member(slug: str, member_id: int):
    club = _club_or_404(slug)
    authorize("club.manage_members", club)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        member = club_members.remove_member(club, member_id)
    except services.ClubError as error:
        flash(str(error.message), "error")
        return _members_page(club, InviteForm(formdata=None), 409)
    flash(_("%(name)s is no longer a member of the club.", name=member.user.full_name), "success")
    return redirect(url_for("clubs.members", slug=club.slug))


@bp.post("/<slug>/invitations/<int:invitation_id>/withdraw")
@confirmed_required
def withdraw_invitation(slug: str, invitation_id: int):
    club = _club_or_404(slug)
    authorize("club.manage_members", club)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        invitation = club_members.withdraw_invitation(club, invitation_id)
    except services.ClubError as error:
        flash(str(error.message), "error")
        return _members_page(club, InviteForm(formdata=None), 409)
    flash(_("The invitation to %(email)s is withdrawn.", email=invitation.email), "success")
    return redirect(url_for("clubs.members", slug=club.slug))


@bp.route("/<slug>/teams/new", methods=["GET", "POST"])
@confirmed_required
def create_team(slug: str):
    club = _club_or_404(slug)
    authorize("club.manage_teams", club)
    form = TeamForm()
    form.set_club_members(club.members)
    if form.validate_on_submit():
        try:
            team = club_teams.create_team(club, _team_data(form))
        except services.ClubError as error:
            show_error(form, error)
        else:
            flash(_("The team %(name)s is created.", name=team.name), "success")
            return redirect(url_for("clubs.detail", slug=club.slug, _anchor=f"team-{team.slug}"))
    return render_template("clubs/team_form.html", form=form, club=club, team=None), form_status()


@bp.route("/<slug>/teams/<team_slug>/edit", methods=["GET", "POST"])
@confirmed_required
def edit_team(slug: str, team_slug: str):
    club = _club_or_404(slug)
    team = _team_or_404(club, team_slug)
    authorize("club.manage_teams", club)
    form = TeamForm(
        name=team.name, idea=team.idea, mentor_wanted=team.mentor_wanted,
        members=[str(member.user_id) for member in team.members],
        lead=next((str(member.user_id) for member in team.members if member.is_lead), ""),
    )
    form.set_club_members(club.members)
    if form.validate_on_submit():
        try:
            club_teams.update_team(team, _team_data(form))
        except services.ClubError as error:
            show_error(form, error)
        else:
            flash(_("The team is saved."), "success")
            return redirect(url_for("clubs.detail", slug=club.slug, _anchor=f"team-{team.slug}"))
    return render_template("clubs/team_form.html", form=form, club=club, team=team), form_status()


@bp.post("/<slug>/teams/<team_slug>/delete")
@confirmed_required
def delete_team(slug: str, team_slug: str):
    club = _club_or_404(slug)
    team = _team_or_404(club, team_slug)
    authorize("club.manage_teams", club)
    if not ButtonForm().validate_on_submit():
        abort(400)
    name = team.name
    try:
        club_teams.delete_team(team)
    except services.ClubError as error:
        flash(str(error.message), "error")
        return detail(slug), 409
    flash(_("The team %(name)s is deleted.", name=name), "success")
    return redirect(url_for("clubs.detail", slug=club.slug))


@bp.route("/<slug>/teams/<team_slug>/convert", methods=["GET", "POST"])
@confirmed_required
def convert_team(slug: str, team_slug: str):
    club = _club_or_404(slug)
    team = _team_or_404(club, team_slug)
    authorize("team.convert", team)
    form = ConvertForm(name=team.name, locality=str(club.university.locality_id or ""))
    form.set_localities(club_profiles.conversion_localities())
    status = form_status()
    if team.startup is not None:
        flash(_("This team already became the startup %(name)s.", name=team.startup.name), "error")
        status = 409
    elif form.validate_on_submit():
        try:
            startup = club_conversion.convert_team_to_startup(team, current_user, services.ConversionData(
                name=form.name.data, sector=form.sector.data, stage=form.stage.data, locality_id=form.locality_id,
            ))
        except services.ClubError as error:
            if error.field:
                show_error(form, error)
            else:
                flash(str(error.message), "error")
                status = 409
        else:
            flash(_("%(team)s is now the startup %(name)s. Complete its profile.", team=team.name,
                    name=startup.name), "success")
            if "startups.detail" in current_app.view_functions:
                return redirect(url_for("startups.detail", slug=startup.slug))
            return redirect(url_for("clubs.detail", slug=club.slug, _anchor=f"team-{team.slug}"))
    return render_template("clubs/convert.html", form=form, club=club, team=team), status

"""Startup members: co-founder invitations, removal, ownership transfer."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ecosystem.auth.models import Role, User
from ecosystem.auth.services import grant_role, normalize_email
from ecosystem.core.locks import for_update
from ecosystem.extensions import db
from ecosystem.invitations import services as invitations
from ecosystem.invitations.models import Invitation
from ecosystem.startups.models import MemberRole, Startup, StartupMember
from ecosystem.startups.services import INVITATION_TARGET, StartupError, _optional, membership

# ---------------------------------------------------------------------------
# Members, invitations, ownership
# ---------------------------------------------------------------------------


def add_member(startup: Startup, user: User, role: str = MemberRole.MEMBER, title: str | None = None) -> StartupMember:
    """Add `user` to the startup. Does not commit (the caller's transaction does)."""
    member = StartupMember(user=user, role=str(role), title=_optional(title))
    startup.members.append(member)
    return member


def invite_member(startup: Startup, email: str, inviter: User) -> Invitation:
    """Send a co-founder invitation by e-mail. Commits."""
    email = normalize_email(email)
    if any(member.user.email == email for member in startup.members):
        raise StartupError(_l("%(email)s is already a member of this startup.", email=email), "email")
    try:
        invitation = invitations.invite(INVITATION_TARGET, startup.id, email, MemberRole.MEMBER, inviter)
    except invitations.InvitationError as error:
        raise StartupError(error.message, "email") from error
    db.session.commit()
    return invitation


def open_invitations(startup: Startup) -> list[Invitation]:
    return invitations.open_invitations(INVITATION_TARGET, startup.id)


def revoke_invitation(startup: Startup, invitation_id: int) -> Invitation:
    invitation = next((item for item in open_invitations(startup) if item.id == invitation_id), None)
    if invitation is None:
        raise StartupError(_l("This invitation is no longer open."))
    invitations.revoke(invitation)
    db.session.commit()
    return invitation


def remove_member(startup: Startup, member_id: int) -> StartupMember:
    member = next((item for item in startup.members if item.id == member_id), None)
    if member is None:
        raise StartupError(_l("This person is not a member of the startup."))
    if member.role == MemberRole.OWNER:
        raise StartupError(_l("The owner cannot be removed. Transfer the ownership first."))
    startup.members.remove(member)
    db.session.commit()
    return member


def transfer_ownership(startup: Startup, member_id: int, acting_user: User) -> StartupMember:
    """Make a member the owner; the previous owner stays a member. One transaction. Commits."""
    # Lock the member rows: concurrent transfers of the same startup run one after the other
    # (SQLite locks the whole file anyway). Fresh roles, not what the session remembers.
    members = list(db.session.scalars(for_update(
        select(StartupMember).where(StartupMember.startup_id == startup.id).order_by(StartupMember.id),
        "startups.members",
    )))
    new_owner = next((item for item in members if item.id == member_id), None)
    if new_owner is None:
        raise StartupError(_l("Ownership can only go to a member of the startup."), "member_id")
    if new_owner.role == MemberRole.OWNER:
        raise StartupError(_l("This person is already the owner."), "member_id")
    current_owners = [item for item in members if item.role == MemberRole.OWNER]
    if not acting_user.is_admin and not any(item.user_id == acting_user.id for item in current_owners):
        raise StartupError(_l("Only the owner can transfer the ownership."))
    try:
        for owner in current_owners:
            owner.role = MemberRole.MEMBER
        db.session.flush()  # the partial unique index allows one owner: demote first
        new_owner.role = MemberRole.OWNER
        grant_role(new_owner.user, Role.FOUNDER)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise StartupError(_l("The ownership changed meanwhile. Please reload the page and try again.")) from error
    return new_owner


def _describe_for_invitation(startup_id: int) -> str | None:
    startup = db.session.get(Startup, startup_id)
    return startup.name if startup is not None else None


def _accept_invitation(startup_id: int, user: User, role: str) -> str:
    """Invitations add co-founders (never owners). Inside the accepting transaction."""
    startup = db.session.get(Startup, startup_id)
    if startup is None:
        raise invitations.InvitationError(_l("What you were invited to no longer exists."))
    if membership(startup, user) is None:
        add_member(startup, user, MemberRole.MEMBER)
        grant_role(user, Role.FOUNDER)
    return url_for("startups.detail", slug=startup.slug)


invitations.register_target(INVITATION_TARGET, describe=_describe_for_invitation, accept=_accept_invitation)

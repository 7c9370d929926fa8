"""Club members: bulk invitations, joining, removal."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ecosystem.auth.models import User
from ecosystem.auth.services import normalize_email
from ecosystem.clubs.models import MAX_BULK_INVITATIONS, Club, ClubMember, ClubRole
from ecosystem.clubs.services import ADDRESS_SEPARATORS, INVITATION_TARGET, ClubError
from ecosystem.core.validation import is_email_address
from ecosystem.extensions import db
from ecosystem.invitations import services as invitations
from ecosystem.invitations.models import Invitation

# --- Members ------------------------------------------------------------------------------------


@dataclass
class BulkInvitation:
    """What became of each address pasted into the invitation form."""

    invited: list[str] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)
    not_valid: list[str] = field(default_factory=list)


def split_addresses(text: str) -> list[str]:
    """The addresses of a pasted list (commas, semicolons, spaces or new lines between them), each once."""
    seen: dict[str, None] = {}
    for part in ADDRESS_SEPARATORS.split(text or ""):
        part = part.strip().strip("<>")
        if part:
            seen.setdefault(part, None)
    return list(seen)


def _valid_address(address: str) -> str | None:
    """The normalised address, or None when it is not an e-mail address."""
    return normalize_email(address) if is_email_address(address) else None


def invite_members(club: Club, text: str, invited_by: User) -> BulkInvitation:
    """Invite every valid address of `text` that is neither a member nor already invited. One transaction.

    Each address is checked; the result says who was invited, who already is a member or has an open
    invitation, and what is not an e-mail address. Commits only when someone is invited; raises ClubError
    (field "email") when the list is empty or longer than MAX_BULK_INVITATIONS.
    """
    addresses = split_addresses(text)
    if not addresses:
        raise ClubError(_l("Please enter an e-mail address."), field="email")
    if len(addresses) > MAX_BULK_INVITATIONS:
        raise ClubError(_l("At most %(max)d addresses at a time.", max=MAX_BULK_INVITATIONS), field="email")
    result = BulkInvitation()
    wanted: dict[str, None] = {}
    for address in addresses:
        normalised = _valid_address(address)
        if normalised is None:
            result.not_valid.append(address)
        else:
            wanted.setdefault(normalised, None)
    members = set(db.session.scalars(
        select(User.email).join(ClubMember, ClubMember.user_id == User.id)
        .where(ClubMember.club_id == club.id, User.email.in_(list(wanted)))
    )) if wanted else set()
    invited_already = {invitation.email for invitation in invitations.open_invitations(INVITATION_TARGET, club.id)}
    try:
        for address in wanted:
            if address in members:
                result.already_members.append(address)
            elif address in invited_already:
                result.already_invited.append(address)
            else:
                invitations.invite(INVITATION_TARGET, club.id, address, ClubRole.MEMBER, invited_by)
                result.invited.append(address)
        if result.invited:
            db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return result


def withdraw_invitation(club: Club, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.target_type != INVITATION_TARGET or invitation.target_id != club.id:
        raise ClubError(_l("This invitation does not exist."))
    if not invitation.is_open:
        raise ClubError(_l("This invitation is no longer open."))
    invitations.revoke(invitation)
    db.session.commit()
    return invitation


def remove_member(club: Club, member_id: int) -> ClubMember:
    """Remove a member from the club and from its teams. Leaders are not removed this way."""
    member = next((member for member in club.members if member.id == member_id), None)
    if member is None:
        raise ClubError(_l("This person is not a member of the club."))
    if member.role == ClubRole.LEADER:
        raise ClubError(_l("A leader of the club cannot be removed."))
    for team in club.teams:
        place = next((team_member for team_member in team.members if team_member.user_id == member.user_id), None)
        if place is None:
            continue
        team.members.remove(place)
        if place.is_lead and team.members:
            team.members[0].is_lead = True
    club.members.remove(member)
    db.session.commit()
    return member


def join_club(club: Club, user: User) -> ClubMember:
    """Make `user` a member of the club (idempotent). Does not commit: the caller's transaction does."""
    member = next((member for member in club.members if member.user_id == user.id), None)
    if member is None:
        member = ClubMember(user_id=user.id, role=ClubRole.MEMBER)
        club.members.append(member)
    return member


def _describe_club(club_id: int) -> str | None:
    club = db.session.get(Club, club_id)
    return club.name if club else None


def _accept_invitation(club_id: int, user: User, role: str) -> str:
    """Called by the invitation link, inside its transaction: the invited person joins."""
    club = db.session.get(Club, club_id)
    if club is None:
        raise invitations.InvitationError(_l("What you were invited to no longer exists."))
    join_club(club, user)
    return url_for("clubs.detail", slug=club.slug)


invitations.register_target(INVITATION_TARGET, describe=_describe_club, accept=_accept_invitation)

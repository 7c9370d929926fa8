"""Invite by e-mail, accept by link. Domains register what accepting means for them.

    register_target("startup", describe=..., accept=...)

`describe(target_id)` returns the target's display name (None if it no longer
exists); `accept(target_id, user, role)` adds the member inside the caller's
transaction and returns the URL to continue to.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from ecosystem.auth.models import User
from ecosystem.auth.services import normalize_email
from ecosystem.core.errors import DomainError
from ecosystem.core.urls import external_url
from ecosystem.extensions import db
from ecosystem.invitations.models import Invitation
from ecosystem.mail.services import queue_mail
from ecosystem.timeutil import utcnow

INVITATION_LIFETIME = timedelta(days=14)


class InvitationError(DomainError):
    """An invitation cannot be sent or accepted."""


@dataclass(frozen=True)
class InvitationTarget:
    describe: Callable[[int], str | None]
    accept: Callable[[int, User, str], str]


_targets: dict[str, InvitationTarget] = {}


def register_target(target_type: str, describe: Callable[[int], str | None],
                    accept: Callable[[int, User, str], str]) -> None:
    _targets[target_type] = InvitationTarget(describe, accept)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_invitations(target_type: str, target_id: int) -> list[Invitation]:
    statement = (
        db.select(Invitation)
        .where(
            Invitation.target_type == target_type,
            Invitation.target_id == target_id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
        .order_by(Invitation.created_at)
    )
    return list(db.session.scalars(statement))


def invite(target_type: str, target_id: int, email: str, role: str, invited_by: User) -> Invitation:
    """Queue an invitation e-mail. Does not commit: the caller's transaction does."""
    email = normalize_email(email)
    target_name = _targets[target_type].describe(target_id)
    if any(invitation.email == email for invitation in open_invitations(target_type, target_id)):
        raise InvitationError(_l("%(email)s already has an open invitation.", email=email))
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        target_type=target_type, target_id=target_id, email=email, role=role,
        token_hash=_hash(token), invited_by_id=invited_by.id, expires_at=utcnow() + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    recipient = db.session.scalar(db.select(User).where(User.email == email))
    queue_mail(
        email,
        _l("%(name)s invites you to join %(target)s", name=invited_by.full_name, target=target_name),
        "invitations/mail/invite",
        recipient.locale if recipient else "vi",
        inviter=invited_by,
        target_name=target_name,
        accept_url=external_url("invitations.show", token=token),
        expires_at=invitation.expires_at,
    )
    return invitation


def revoke(invitation: Invitation) -> None:
    invitation.revoked_at = utcnow()


def find_open(token: str) -> tuple[Invitation, str]:
    """The invitation behind a link and its target's name, or InvitationError."""
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.token_hash == _hash(token)))
    if invitation is None:
        raise InvitationError(_l("This invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise InvitationError(_l("This invitation was already accepted."))
    if invitation.revoked_at is not None:
        raise InvitationError(_l("This invitation was withdrawn."))
    if invitation.expires_at <= utcnow():
        raise InvitationError(_l("This invitation has expired. Ask for a new one."))
    target_name = _targets[invitation.target_type].describe(invitation.target_id)
    if target_name is None:
        raise InvitationError(_l("What you were invited to no longer exists."))
    return invitation, target_name


def accept(token: str, user: User) -> str:
    """Join as invited; only the invited address may accept. Returns where to go next."""
    invitation, _name = find_open(token)
    if normalize_email(user.email) != invitation.email:
        raise InvitationError(
            _l("This invitation was sent to %(email)s. Sign in with that address to accept it.",
               email=invitation.email)
        )
    next_url = _targets[invitation.target_type].accept(invitation.target_id, user, invitation.role)
    invitation.accepted_at = utcnow()
    invitation.accepted_by_id = user.id
    db.session.commit()
    return next_url

"""Startup profiles: registration, reading and search, editing, deletion."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import can
from ecosystem.auth.services import grant_role
from ecosystem.core.guards import deletion_refusal
from ecosystem.core.listing import (
    ListQuery,
    Page,
    apply_text_search,
    ordered,
    paginate,
    parse_list_query,
)
from ecosystem.core.slugs import insert_with_unique_slug
from ecosystem.core.text import make_slug
from ecosystem.core.uploads import LOGO, delete_image, saving_with_image, store_upload
from ecosystem.extensions import db
from ecosystem.i18n import label_of
from ecosystem.invitations import services as invitations
from ecosystem.startups.members import add_member
from ecosystem.startups.models import MemberRole, Startup, StartupMember
from ecosystem.startups.services import (
    INVITATION_TARGET,
    RESERVED_SLUGS,
    SECTOR_LABELS,
    STAGE_LABELS,
    STARTUP_FACETS,
    STARTUP_SORTS,
    StartupData,
    StartupError,
    _apply,
    _checked,
    _lock_startup,
    may_change_locked_fields,
)

# ---------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------


def _insert_with_unique_slug(startup: Startup) -> None:
    if not insert_with_unique_slug(startup, Startup.slug, make_slug(startup.name, max_length=80), RESERVED_SLUGS):
        raise StartupError(_l("Too many startups are being registered with this name right now. Please try again."))


def create_startup(owner: User, data: StartupData, logo_stream=None, *, commit: bool = True) -> Startup:
    """Register a startup owned by `owner` (who gets the founder role).

    Commits, unless `commit=False`: then the rows are only flushed and the caller's
    transaction decides (converting a club team into a startup does more in the same one).
    Raises StartupError (with `field`) when the data breaks a rule.
    """
    data = _checked(data)
    logo = _store_logo(logo_stream)
    try:
        startup = Startup(created_by_id=owner.id, logo=logo)
        _apply(startup, data)
        _insert_with_unique_slug(startup)
        add_member(startup, owner, MemberRole.OWNER)
        grant_role(owner, Role.FOUNDER)
        if commit:
            db.session.commit()
        else:
            db.session.flush()
    except BaseException:
        if commit:
            db.session.rollback()  # with commit=False the caller's transaction decides
        delete_image(logo, LOGO)
        raise
    return startup


def _store_logo(logo_stream) -> str | None:
    return store_upload(logo_stream, LOGO, lambda message: StartupError(message, "logo"))


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


def public_startup_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Startup).where(Startup.is_public.is_(True)))


def search_startups(query: ListQuery, viewer=None) -> Page:
    """One page of public startups for `query`: 3 queries whatever the number of rows.

    Hidden profiles never appear in a list, whoever looks (`viewer` sees them on their
    own pages: `startups_of(user)` and the profile itself).
    """
    statement = (
        select(Startup)
        .where(Startup.is_public.is_(True))
        .options(selectinload(Startup.locality))
    )
    facets = query.facets
    if "sector" in facets:
        statement = statement.where(Startup.sector == facets["sector"])
    if "stage" in facets:
        statement = statement.where(Startup.stage == facets["stage"])
    if "locality" in facets:
        statement = statement.where(Startup.locality_id == int(facets["locality"]))
    if "province" in facets:
        statement = statement.where(Startup.province == facets["province"])
    if facets.get("verified") == "yes":
        statement = statement.where(Startup.verified_at.is_not(None))
    statement, rank = apply_text_search(statement, query.terms, Startup.search_name, Startup.search_text)
    return paginate(db.session, ordered(statement, query, STARTUP_SORTS, rank), query)


def startup_list_query(args, *, default_per_page: int = 24, max_per_page: int = 100) -> ListQuery:
    """List parameters for startups (relevance first when searching, else by name). Raises BadListQuery."""
    default_sort = "relevance" if (args.get("q") or "").strip() else "name"
    return parse_list_query(
        args, sorts=STARTUP_SORTS, default_sort=default_sort, facets=STARTUP_FACETS,
        default_per_page=default_per_page, max_per_page=max_per_page,
    )


def _with_members():
    return (
        selectinload(Startup.locality),
        selectinload(Startup.members).selectinload(StartupMember.user),
    )


def get_by_slug(slug: str) -> Startup | None:
    if not slug or len(slug) > 90:
        return None
    return db.session.scalar(select(Startup).where(Startup.slug == slug).options(*_with_members()))


def public_startup(slug: str) -> Startup | None:
    """A public profile by slug (None for hidden or unknown ones), members loaded."""
    startup = get_by_slug(slug)
    return startup if startup is not None and startup.is_public else None


def startup_for_viewer(slug: str, viewer) -> Startup | None:
    """The profile if `viewer` may see it: public ones to everyone, hidden ones to members and the department."""
    startup = get_by_slug(slug)
    if startup is None:
        return None
    if startup.is_public or can(viewer, "startup.view_hidden", startup):
        return startup
    return None


def startups_of(user) -> list[Startup]:
    """The startups `user` belongs to, hidden ones included."""
    if user is None or not user.is_authenticated:
        return []
    statement = (
        select(Startup)
        .join(StartupMember)
        .where(StartupMember.user_id == user.id)
        .order_by(Startup.search_name)
    )
    return list(db.session.scalars(statement))


def sector_label(value: str) -> str:
    return label_of(SECTOR_LABELS, value)


def stage_label(value: str) -> str:
    return label_of(STAGE_LABELS, value)


# ---------------------------------------------------------------------------
# Editing, verification, visibility, deletion
# ---------------------------------------------------------------------------


def update_startup(startup: Startup, data: StartupData, editor: User, logo_stream=None,
                   remove_logo: bool = False) -> Startup:
    """Save the profile. On a verified startup only a coordinator changes the name or the tax code. Commits."""
    data = _checked(data, current_locality_id=startup.locality_id)
    if not may_change_locked_fields(editor, startup):
        if data.name != startup.name:
            raise StartupError(
                _l("The startup is verified: only the department can change its name. Please contact a coordinator."),
                "name",
            )
        if data.tax_code != startup.tax_code:
            raise StartupError(
                _l("The startup is verified: only the department can change its tax code. "
                   "Please contact a coordinator."),
                "tax_code",
            )
    with saving_with_image(startup.logo, _store_logo(logo_stream), remove_logo, LOGO) as logo:
        _apply(startup, data)
        startup.logo = logo
    return startup


def delete_startup(startup: Startup) -> None:
    """Delete the profile, its members and open invitations, then its logo file. Commits.

    A startup that applied to a Techfest delegation is kept: its application belongs to the delegation's
    record (the owner can hide the profile instead)."""
    try:
        # The row stays locked from the check to the delete: an application being written meanwhile
        # waits for it (its foreign key), and one written before is seen (the key is RESTRICT anyway).
        startup = _lock_startup(startup)
        if startup is None:
            raise StartupError(_l("This startup does not exist."))
        refusal = deletion_refusal("startup", startup)  # delegations: it applied to a Techfest call
        if refusal is not None:
            raise StartupError(refusal)
        logo = startup.logo
        for invitation in invitations.open_invitations(INVITATION_TARGET, startup.id):
            invitations.revoke(invitation)
        db.session.delete(startup)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    delete_image(logo, LOGO)

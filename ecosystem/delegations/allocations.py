"""Allocations of a call (quotas per unit, representatives) and its review rubric (criteria, reviewers).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ecosystem.auth.models import User
from ecosystem.auth.services import find_user_by_email
from ecosystem.core.text import fold
from ecosystem.delegations import decisions
from ecosystem.delegations.calls import QUOTA_MAX
from ecosystem.delegations.models import (
    Allocation,
    CallReviewer,
    Criterion,
    DelegationCall,
    Score,
)
from ecosystem.delegations.policies import DelegationError
from ecosystem.directory.models import Component, ComponentStatus
from ecosystem.extensions import db

# ---------------------------------------------------------------------------
# Allocations, rubric and reviewers (coordinators)
# ---------------------------------------------------------------------------

ALLOCATION_NAME_MAX = 160
CRITERION_NAME_MAX = 120
WEIGHT_MAX = 100
ROWS_MAX = 50


@dataclass
class AllocationInput:
    """One row of the allocations form, as typed."""

    name: str
    booths: int | None
    places: int | None
    unit_id: int | None = None
    representative_email: str | None = None
    is_open_pool: bool = False
    id: int | None = None


def allocation_label(allocation: Allocation | None, none_label: str = "") -> str:
    """An allocation as people read it: its name, and its unit's name only when the name does not already say it
    ("Trường Đại học Nông Lâm" for an allocation named after its unit; "Suất sinh viên · Trường Đại học Nông Lâm"
    otherwise). Used by every page and export that shows an allocation."""
    if allocation is None:
        return none_label
    name = allocation.name
    unit = allocation.unit
    if unit is not None and fold(unit.name).casefold() not in fold(name).casefold():
        return f"{name} · {unit.name}"
    return name


def unit_choices() -> list:
    """Approved directory components that can nominate (universities, incubators, clubs' universities ...)."""
    return list(db.session.scalars(
        select(Component).where(Component.status == ComponentStatus.APPROVED).order_by(Component.search_name)
    ))


def _user_by_email(email: str, field: str) -> User:
    email = (email or "").strip()
    user = find_user_by_email(email) if email and len(email) <= 254 else None
    if user is None:
        raise DelegationError(_l("No account uses the e-mail address “%(email)s”.", email=email[:254]), field)
    return user


def save_allocations(call: DelegationCall, inputs: list[AllocationInput]) -> None:
    """Replace the call's split of its quota (checked again, under a row lock, by `decisions`). Commits."""
    if len(inputs) > ROWS_MAX:
        raise DelegationError(_l("At most %(max)d allocations.", max=ROWS_MAX))
    existing_ids = {allocation.id for allocation in call.allocations}
    rows = []
    for number, row in enumerate(inputs, start=1):
        name = " ".join((row.name or "").split())
        if not name or len(name) > ALLOCATION_NAME_MAX:
            raise DelegationError(_l("Row %(row)d: please enter a name of at most %(max)d characters.",
                                     row=number, max=ALLOCATION_NAME_MAX))
        for value in (row.booths, row.places):
            if value is None or not 0 <= value <= QUOTA_MAX:
                raise DelegationError(_l("Row %(row)d: booths and places are whole numbers from 0 to %(max)d.",
                                         row=number, max=QUOTA_MAX))
        if row.unit_id is not None and db.session.scalar(
            select(Component.id).where(Component.id == row.unit_id, Component.status == ComponentStatus.APPROVED)
        ) is None:
            raise DelegationError(_l("Row %(row)d: please choose a unit from the list.", row=number))
        if row.id is not None and row.id not in existing_ids:
            raise DelegationError(_l("Row %(row)d does not belong to this call. Reload the page.", row=number))
        representative = None
        if row.representative_email and row.representative_email.strip():
            representative = _user_by_email(row.representative_email, "allocations")
        rows.append(decisions.AllocationRow(
            name=name, booths=row.booths, places=row.places, unit_id=row.unit_id,
            representative_id=representative.id if representative else None,
            is_open_pool=bool(row.is_open_pool), id=row.id,
        ))
    try:
        decisions.set_allocations(call, rows)
    except decisions.DecisionError as error:
        db.session.rollback()
        raise DelegationError(error.message) from error


@dataclass
class CriterionInput:
    """One row of the rubric form: `id` is the criterion's (None for a new row), `row` the form's row index."""

    name: str
    weight: int | None
    id: int | None = None
    row: int | None = None


def _rubric_key(name: str) -> str:
    return fold(name).casefold()


def save_rubric(call: DelegationCall, criteria: list[CriterionInput], reviewer_emails: list[str]) -> int:
    """Replace the rubric and the invited reviewers. Commits; returns how many scores were dropped.

    A criterion is known by its id, never by its row or its name: a row that carries a criterion's id keeps
    that criterion (and its scores) whatever its new position, name or weight; a row without an id is a new
    criterion; a criterion whose id is no longer sent is removed with only its own scores. Two rows may not
    have the same name (compared without accents or case).
    """
    if len(criteria) > ROWS_MAX or len(reviewer_emails) > ROWS_MAX:
        raise DelegationError(_l("At most %(max)d rows.", max=ROWS_MAX))
    existing_ids = {criterion.id for criterion in call.criteria_items}
    cleaned = []
    seen: set[str] = set()
    seen_ids: set[int] = set()
    for number, item in enumerate(criteria, start=1):
        row = item.row if item.row is not None else number - 1
        name = " ".join((item.name or "").split())
        if not name or len(name) > CRITERION_NAME_MAX:
            raise DelegationError(_l("Criterion %(row)d: please enter a name of at most %(max)d characters.",
                                     row=number, max=CRITERION_NAME_MAX), f"criteria-{row}-name")
        if item.weight is None or not 1 <= item.weight <= WEIGHT_MAX:
            raise DelegationError(_l("Criterion %(row)d: the weight is a whole number from 1 to %(max)d.",
                                     row=number, max=WEIGHT_MAX), f"criteria-{row}-weight")
        if item.id is not None and (item.id not in existing_ids or item.id in seen_ids):
            raise DelegationError(_l("Criterion %(row)d does not belong to this rubric. Reload the page.",
                                     row=number), f"criteria-{row}-name")
        if _rubric_key(name) in seen:
            raise DelegationError(_l("Criterion %(row)d: “%(name)s” is listed twice.", row=number, name=name),
                                  f"criteria-{row}-name")
        seen.add(_rubric_key(name))
        if item.id is not None:
            seen_ids.add(item.id)
        cleaned.append((item.id, name, item.weight))
    reviewers = {}
    for email in reviewer_emails:
        if email.strip():
            user = _user_by_email(email, "reviewers")
            reviewers[user.id] = user
    try:
        current = {criterion.id: criterion for criterion in call.criteria_items}
        for position, (criterion_id, name, weight) in enumerate(cleaned):
            criterion = current.pop(criterion_id, None) if criterion_id is not None else None
            if criterion is None:
                criterion = Criterion()
                call.criteria_items.append(criterion)
            criterion.name, criterion.weight, criterion.position = name, weight, position
        removed = list(current.values())
        dropped = 0
        if removed:
            dropped = db.session.scalar(select(func.count()).select_from(Score).where(
                Score.criterion_id.in_([criterion.id for criterion in removed])))
        for criterion in removed:
            call.criteria_items.remove(criterion)
        for reviewer in list(call.reviewers):
            if reviewer.user_id not in reviewers:
                call.reviewers.remove(reviewer)
            else:
                reviewers.pop(reviewer.user_id)
        for user_id in reviewers:
            call.reviewers.append(CallReviewer(user_id=user_id))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return dropped

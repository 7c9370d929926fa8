"""Scored review of a delegation call: who may review, scores 1–5 per criterion, conflicts, the ranked list.

Only the reviewers invited to the call score (a coordinator who wants to score invites themself). A reviewer
who declared a conflict of interest with an application cannot score it; declaring one removes their scores.
An application's mark is the mean of its reviewers' weighted means; the spread is the difference between the
highest and the lowest of those reviewers' weighted means.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import Role, User
from ecosystem.delegations.models import (
    Application,
    ApplicationStatus,
    CallReviewer,
    ConflictOfInterest,
    DelegationCall,
    Score,
)
from ecosystem.extensions import db

SCORE_MIN, SCORE_MAX = 1, 5
COMMENT_MAX = 1000
REASON_MAX = 300

# Applications that appear in the review: submitted, and those already decided.
REVIEW_STATUSES = (
    ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED, ApplicationStatus.RESERVE,
    ApplicationStatus.OFFERED, ApplicationStatus.REJECTED,
)


class ReviewError(Exception):
    """A review rule refused the action; `message` is translated and shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def is_coordinator(user) -> bool:
    return bool(user is not None and user.is_authenticated and (user.is_admin or user.has_role(Role.COORDINATOR)))


def is_invited_reviewer(user, call: DelegationCall) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return db.session.scalar(
        select(CallReviewer.id).where(CallReviewer.call_id == call.id, CallReviewer.user_id == user.id)
    ) is not None


def can_see_review(user, call: DelegationCall) -> bool:
    """Coordinators, and the reviewers invited to this call."""
    return is_coordinator(user) or is_invited_reviewer(user, call)


def call_by_slug(slug: str) -> DelegationCall | None:
    if not slug or len(slug) > 90:
        return None
    return db.session.scalar(select(DelegationCall).where(DelegationCall.slug == slug))


def application_of_call(call: DelegationCall, application_id: int) -> Application | None:
    application = db.session.get(Application, application_id)
    if application is None or application.call_id != call.id or application.status not in REVIEW_STATUSES:
        return None
    return application


def conflicted_application_ids(call: DelegationCall, reviewer_id: int) -> set[int]:
    return set(db.session.scalars(
        select(ConflictOfInterest.application_id)
        .join(Application, Application.id == ConflictOfInterest.application_id)
        .where(Application.call_id == call.id, ConflictOfInterest.reviewer_id == reviewer_id)
    ))


def has_conflict(application: Application, reviewer_id: int) -> bool:
    return db.session.scalar(select(ConflictOfInterest.id).where(
        ConflictOfInterest.application_id == application.id, ConflictOfInterest.reviewer_id == reviewer_id,
    )) is not None


@dataclass(frozen=True)
class Ranked:
    application: Application
    mean: float | None  # mean of the reviewers' weighted means, None before any score
    spread: float | None  # max - min of the reviewers' weighted means
    reviewers: int  # how many reviewers scored it
    scores: int  # how many score values were given


def reviewer_means(application: Application, weights: dict[int, int]) -> dict[int, float]:
    """Each reviewer's weighted mean for the application: sum(weight × value) / sum(weight) of what they scored."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for score in application.scores:
        weight = weights.get(score.criterion_id)
        if weight is None:  # a criterion since removed from the rubric
            continue
        totals[score.reviewer_id][0] += weight * score.value
        totals[score.reviewer_id][1] += weight
    return {reviewer: total / weight for reviewer, (total, weight) in totals.items() if weight}


def review_applications(call: DelegationCall) -> list[Application]:
    return list(db.session.scalars(
        select(Application)
        .where(Application.call_id == call.id, Application.status.in_(REVIEW_STATUSES))
        .options(selectinload(Application.startup), selectinload(Application.team),
                 selectinload(Application.allocation), selectinload(Application.scores),
                 selectinload(Application.travellers))
        .order_by(Application.id)
    ))


def ranking(call: DelegationCall) -> list[Ranked]:
    """The call's applications, best weighted mean first; unscored ones last; ties by name."""
    weights = {criterion.id: criterion.weight for criterion in call.criteria_items}
    ranked = []
    for application in review_applications(call):
        means = list(reviewer_means(application, weights).values())
        counted = sum(1 for score in application.scores if score.criterion_id in weights)
        ranked.append(Ranked(
            application,
            sum(means) / len(means) if means else None,
            max(means) - min(means) if means else None,
            len(means),
            counted,
        ))
    ranked.sort(key=lambda row: (row.mean is None, -(row.mean or 0), row.application.applicant_name.casefold(),
                                 row.application.id))
    return ranked


def my_scores(call: DelegationCall, reviewer_id: int) -> dict[int, dict[int, int]]:
    """{application id: {criterion id: value}} already given by this reviewer in this call."""
    found: dict[int, dict[int, int]] = defaultdict(dict)
    rows = db.session.execute(
        select(Score.application_id, Score.criterion_id, Score.value)
        .join(Application, Application.id == Score.application_id)
        .where(Application.call_id == call.id, Score.reviewer_id == reviewer_id)
    )
    for application_id, criterion_id, value in rows:
        found[application_id][criterion_id] = value
    return found


def _parse_value(raw, criterion_name: str) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    text = raw.strip() if isinstance(raw, str) else ""
    # ASCII digits only: int() would also take "５" or "٣".
    if len(text) != 1 or text not in "12345":
        raise ReviewError(_("Give %(criterion)s a whole number from 1 to 5.", criterion=criterion_name))
    return int(text)


def score_application(application: Application, reviewer: User, values: dict[int, object],
                      comment: str | None = None) -> None:
    """Record (or replace) `reviewer`'s scores: one value 1–5 for every criterion of the rubric."""
    call = application.call
    if not is_invited_reviewer(reviewer, call):
        raise ReviewError(_("Only the reviewers invited to this call can score its applications."))
    if application.status not in REVIEW_STATUSES:
        raise ReviewError(_("This application is not open to review."))
    if has_conflict(application, reviewer.id):
        raise ReviewError(_("You declared a conflict of interest with this application: you cannot score it."))
    criteria = list(call.criteria_items)
    if not criteria:
        raise ReviewError(_("This call has no scoring criteria yet."))
    parsed = {criterion.id: _parse_value(values.get(criterion.id), criterion.name) for criterion in criteria}
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > COMMENT_MAX:
        raise ReviewError(_("The comment can be at most %(count)d characters.", count=COMMENT_MAX))
    db.session.execute(delete(Score).where(Score.application_id == application.id,
                                           Score.reviewer_id == reviewer.id))
    for criterion_id, value in parsed.items():
        db.session.add(Score(application_id=application.id, reviewer_id=reviewer.id, criterion_id=criterion_id,
                             value=value, comment=comment))
    db.session.commit()
    db.session.expire(application, ["scores"])


def declare_conflict(application: Application, reviewer: User, reason: str | None = None) -> bool:
    """Record the reviewer's conflict of interest and drop their scores. False when already declared."""
    if not is_invited_reviewer(reviewer, application.call):
        raise ReviewError(_("Only the reviewers invited to this call can declare a conflict of interest."))
    reason = (reason or "").strip() or None
    if reason is not None and len(reason) > REASON_MAX:
        raise ReviewError(_("The reason can be at most %(count)d characters.", count=REASON_MAX))
    if has_conflict(application, reviewer.id):
        return False
    db.session.add(ConflictOfInterest(application_id=application.id, reviewer_id=reviewer.id, reason=reason))
    db.session.execute(delete(Score).where(Score.application_id == application.id,
                                           Score.reviewer_id == reviewer.id))
    db.session.commit()
    db.session.expire(application, ["scores"])
    return True

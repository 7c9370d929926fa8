"""Scored review of a delegation call: who may review, scores 1–5 per criterion, conflicts, the ranked list.

Only the reviewers invited to the call score (a coordinator who wants to score invites themself). A reviewer
who declared a conflict of interest with an application cannot score it; declaring one removes their scores.
A reviewer on the applicant's side (a member of the startup, a member of the team or a leader of its club,
whoever submitted it, a traveller) is conflicted automatically. Scores are tied to a criterion by its id.
An application's mark is the mean of its reviewers' weighted means; the spread is the difference between the
highest and the lowest of those reviewers' weighted means. Only the scores of the call's current reviewers,
without a conflict, count: a reviewer removed from the call keeps their rows but no longer weighs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from babel.numbers import format_decimal
from flask_babel import gettext as _
from sqlalchemy import delete, select, union
from sqlalchemy.orm import selectinload

from ecosystem.auth.models import Role, User
from ecosystem.clubs.membership import team_leaders, team_members
from ecosystem.core.errors import DomainError
from ecosystem.delegations.models import (
    Allocation,
    Application,
    ApplicationStatus,
    CallReviewer,
    ConflictOfInterest,
    DelegationCall,
    Score,
    Traveller,
)
from ecosystem.extensions import db
from ecosystem.i18n import current_language
from ecosystem.startups.membership import startup_people

SCORE_MIN, SCORE_MAX = 1, 5
COMMENT_MAX = 1000
REASON_MAX = 300

# Applications that appear in the review: submitted, and those already decided.
REVIEW_STATUSES = (
    ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED, ApplicationStatus.RESERVE,
    ApplicationStatus.OFFERED, ApplicationStatus.REJECTED,
)


class ReviewError(DomainError):
    """A review rule refused the action; `message` is translated and shown to the user."""


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


def format_score(value: float | None) -> str:
    """A mean score with two decimals in the reader's language: "3,90" in Vietnamese, "3.90" in English."""
    if value is None:
        return "—"
    return format_decimal(value, format="0.00", locale=current_language())


def call_by_slug(slug: str) -> DelegationCall | None:
    if not slug or len(slug) > 90:
        return None
    return db.session.scalar(select(DelegationCall).where(DelegationCall.slug == slug))


def application_of_call(call: DelegationCall, application_id: int) -> Application | None:
    application = db.session.get(Application, application_id)
    if application is None or application.call_id != call.id or application.status not in REVIEW_STATUSES:
        return None
    return application


def _applicant_side(reviewer_ids, application_ids=None):
    """(application id, user id) of the given users who are on an application's side: a member of the
    startup, a member of the team or a leader of its club, whoever submitted it, a traveller. One query."""
    def limited(statement):
        statement = statement.where(statement.selected_columns[1].in_(reviewer_ids))
        return statement.where(Application.id.in_(application_ids)) if application_ids is not None else statement

    startup_side = startup_people().subquery()
    team_side = team_members().subquery()
    leaders = team_leaders().subquery()
    return union(
        limited(select(Application.id, startup_side.c.user_id)
                .join(startup_side, startup_side.c.startup_id == Application.startup_id)),
        limited(select(Application.id, team_side.c.user_id)
                .join(team_side, team_side.c.team_id == Application.team_id)),
        limited(select(Application.id, leaders.c.user_id)
                .join(leaders, leaders.c.team_id == Application.team_id)),
        limited(select(Application.id, Application.submitted_by_id)),
        limited(select(Application.id, Traveller.user_id)
                .join(Traveller, Traveller.application_id == Application.id)),
    )


def conflicts_of(call: DelegationCall, reviewer_ids) -> set[tuple[int, int]]:
    """(application id, reviewer id) pairs that may not score in this call: declared or automatic."""
    reviewer_ids = list(reviewer_ids)
    if not reviewer_ids:
        return set()
    in_call = select(Application.id).where(Application.call_id == call.id)
    declared = db.session.execute(
        select(ConflictOfInterest.application_id, ConflictOfInterest.reviewer_id)
        .where(ConflictOfInterest.application_id.in_(in_call), ConflictOfInterest.reviewer_id.in_(reviewer_ids))
    ).all()
    automatic = db.session.execute(_applicant_side(reviewer_ids, in_call)).all()
    return {(application_id, user_id) for application_id, user_id in (*declared, *automatic)}


def conflicted_application_ids(call: DelegationCall, reviewer_id: int) -> set[int]:
    return {application_id for application_id, _reviewer in conflicts_of(call, [reviewer_id])}


def declared_conflict(application: Application, reviewer_id: int) -> bool:
    return db.session.scalar(select(ConflictOfInterest.id).where(
        ConflictOfInterest.application_id == application.id, ConflictOfInterest.reviewer_id == reviewer_id,
    )) is not None


def is_applicant_side(application: Application, user_id: int) -> bool:
    return db.session.execute(_applicant_side([user_id], [application.id]).limit(1)).first() is not None


def has_conflict(application: Application, reviewer_id: int) -> bool:
    return declared_conflict(application, reviewer_id) or is_applicant_side(application, reviewer_id)


def current_reviewer_ids(call: DelegationCall) -> set[int]:
    return set(db.session.scalars(select(CallReviewer.user_id).where(CallReviewer.call_id == call.id)))


@dataclass(frozen=True)
class Ranked:
    application: Application
    mean: float | None  # mean of the reviewers' weighted means, None before any score
    spread: float | None  # max - min of the reviewers' weighted means
    reviewers: int  # how many reviewers scored it
    scores: int  # how many score values were given
    criterion_means: dict[int, float]  # criterion id → mean of the counted values


def reviewer_means(scores: list[Score], weights: dict[int, int]) -> dict[int, float]:
    """Each reviewer's weighted mean: sum(weight × value) / sum(weight) of what they scored."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for score in scores:
        weight = weights[score.criterion_id]
        totals[score.reviewer_id][0] += weight * score.value
        totals[score.reviewer_id][1] += weight
    return {reviewer: total / weight for reviewer, (total, weight) in totals.items() if weight}


def review_applications(call: DelegationCall) -> list[Application]:
    return list(db.session.scalars(
        select(Application)
        .where(Application.call_id == call.id, Application.status.in_(REVIEW_STATUSES))
        .options(selectinload(Application.startup), selectinload(Application.team),
                 selectinload(Application.allocation).selectinload(Allocation.unit), selectinload(Application.scores),
                 selectinload(Application.travellers))
        .order_by(Application.id)
    ))


def counted_scores(application: Application, weights: dict[int, int], reviewers: set[int],
                   conflicts: set[tuple[int, int]]) -> list[Score]:
    """The scores that weigh: a criterion still in the rubric, a current reviewer, no conflict."""
    return [score for score in application.scores
            if score.criterion_id in weights and score.reviewer_id in reviewers
            and (application.id, score.reviewer_id) not in conflicts]


def ranking(call: DelegationCall) -> list[Ranked]:
    """The call's applications, best weighted mean first; unscored ones last; ties by name."""
    weights = {criterion.id: criterion.weight for criterion in call.criteria_items}
    reviewers = current_reviewer_ids(call)
    conflicts = conflicts_of(call, reviewers)
    ranked = []
    for application in review_applications(call):
        scores = counted_scores(application, weights, reviewers, conflicts)
        means = list(reviewer_means(scores, weights).values())
        values: dict[int, list[int]] = defaultdict(list)
        for score in scores:
            values[score.criterion_id].append(score.value)
        ranked.append(Ranked(
            application,
            sum(means) / len(means) if means else None,
            max(means) - min(means) if means else None,
            len(means),
            len(scores),
            {criterion_id: sum(items) / len(items) for criterion_id, items in values.items()},
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
    if declared_conflict(application, reviewer.id):
        raise ReviewError(_("You declared a conflict of interest with this application: you cannot score it."))
    if is_applicant_side(application, reviewer.id):
        raise ReviewError(_("You are part of this application: you cannot score it."))
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
    if declared_conflict(application, reviewer.id):
        return False
    db.session.add(ConflictOfInterest(application_id=application.id, reviewer_id=reviewer.id, reason=reason))
    db.session.execute(delete(Score).where(Score.application_id == application.id,
                                           Score.reviewer_id == reviewer.id))
    db.session.commit()
    db.session.expire(application, ["scores"])
    return True

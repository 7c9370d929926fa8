"""Techfest delegation calls, their quotas, applications, reviews and decisions."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecosystem.auth.models import User
from ecosystem.clubs.models import Team
from ecosystem.core.columns import status_type
from ecosystem.directory.models import Component
from ecosystem.extensions import db
from ecosystem.startups.models import Startup
from ecosystem.timeutil import UTCDateTime, utcnow


class CallStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"  # published; applications accepted inside the window
    CLOSED = "closed"  # the event is over: rosters kept for the record


class Category(enum.StrEnum):
    BOOTH = "booth"
    PITCHING = "pitching"
    EXHIBITION = "exhibition"


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    RESERVE = "reserve"
    OFFERED = "offered"  # a reserve offered a freed place, until `offer_expires_at`
    REJECTED = "rejected"


PLACE_STATUSES = (ApplicationStatus.ACCEPTED, ApplicationStatus.OFFERED)


class DelegationCall(db.Model):
    __tablename__ = "delegation_calls"
    __table_args__ = (
        CheckConstraint("total_booths >= 0 AND total_places >= 0", name="quota_not_negative"),
        CheckConstraint("event_ends_on >= event_starts_on", name="event_dates_in_order"),
        Index(
            "ix_delegation_calls_search_text_trgm", "search_text",
            postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(90), unique=True)
    name: Mapped[str] = mapped_column(String(160))  # "Techfest Vietnam 2022"
    host_city: Mapped[str] = mapped_column(String(80))
    event_starts_on: Mapped[datetime] = mapped_column(UTCDateTime())
    event_ends_on: Mapped[datetime] = mapped_column(UTCDateTime())
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    criteria: Mapped[str] = mapped_column(Text, default="")  # Markdown, shown to applicants
    required_documents: Mapped[str] = mapped_column(Text, default="")
    applications_open_at: Mapped[datetime] = mapped_column(UTCDateTime())
    applications_close_at: Mapped[datetime] = mapped_column(UTCDateTime())
    roster_locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set once the "roster locked" e-mails are queued, so the periodic task sends them once.
    roster_lock_announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    total_booths: Mapped[int] = mapped_column(default=0)
    total_places: Mapped[int] = mapped_column(default=0)  # travelling participants
    status: Mapped[str] = mapped_column(status_type(CallStatus, 10), default=CallStatus.DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Accent-folded copies for ?q= search, kept up to date by the services.
    search_name: Mapped[str] = mapped_column(String(160), default="", index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The official notice (công văn) as a stored PDF under a random name; public on the call's page.
    notice_file: Mapped[str | None] = mapped_column(String(80))
    # The decision letter's number and symbol ("123/QĐ-SKHCN"), date and signer, filled in by a coordinator.
    decision_number: Mapped[str | None] = mapped_column(String(40))
    decision_date: Mapped[date | None] = mapped_column(Date)
    decision_signer_name: Mapped[str | None] = mapped_column(String(120))
    # A deputy director signs on the director's behalf: the letter then carries "KT. GIÁM ĐỐC".
    decision_signed_on_behalf: Mapped[bool] = mapped_column(default=False)

    allocations: Mapped[list[Allocation]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="Allocation.position, Allocation.id"
    )
    criteria_items: Mapped[list[Criterion]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="Criterion.position, Criterion.id"
    )
    reviewers: Mapped[list[CallReviewer]] = relationship(back_populates="call", cascade="all, delete-orphan")


class Allocation(db.Model):
    """A share of the province's quota: for a nominating unit (university, club, incubator) or the open pool."""

    __tablename__ = "delegation_allocations"
    __table_args__ = (CheckConstraint("booths >= 0 AND places >= 0", name="allocation_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("delegation_calls.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("directory_components.id", ondelete="SET NULL"))
    # The person who nominates applications into this allocation (a club leader, an incubator manager).
    representative_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    is_open_pool: Mapped[bool] = mapped_column(default=False)
    booths: Mapped[int] = mapped_column(default=0)
    places: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)

    call: Mapped[DelegationCall] = relationship(back_populates="allocations")
    unit: Mapped[Component | None] = relationship()
    representative: Mapped[User | None] = relationship()


class Criterion(db.Model):
    """One line of the call's rubric: scored 1 to 5, weighted."""

    __tablename__ = "delegation_criteria"
    __table_args__ = (CheckConstraint("weight > 0", name="weight_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("delegation_calls.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    weight: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)

    call: Mapped[DelegationCall] = relationship(back_populates="criteria_items")


class CallReviewer(db.Model):
    __tablename__ = "delegation_reviewers"
    __table_args__ = (UniqueConstraint("call_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("delegation_calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    call: Mapped[DelegationCall] = relationship(back_populates="reviewers")
    user: Mapped[User] = relationship()


class Application(db.Model):
    __tablename__ = "delegation_applications"
    __table_args__ = (
        CheckConstraint("(startup_id IS NULL) <> (team_id IS NULL)", name="startup_or_team"),
        Index("ix_delegation_applications_call_status", "call_id", "status"),
        # One live application per startup (or team) and call.
        Index("uq_delegation_applications_startup", "call_id", "startup_id", unique=True,
              postgresql_where=text("startup_id IS NOT NULL AND status <> 'withdrawn'"),
              sqlite_where=text("startup_id IS NOT NULL AND status <> 'withdrawn'")),
        Index("uq_delegation_applications_team", "call_id", "team_id", unique=True,
              postgresql_where=text("team_id IS NOT NULL AND status <> 'withdrawn'"),
              sqlite_where=text("team_id IS NOT NULL AND status <> 'withdrawn'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # An application is the delegation's record: deleting its call, startup or team never takes it along.
    call_id: Mapped[int] = mapped_column(ForeignKey("delegation_calls.id", ondelete="RESTRICT"), index=True)
    startup_id: Mapped[int | None] = mapped_column(ForeignKey("startups.id", ondelete="RESTRICT"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("club_teams.id", ondelete="RESTRICT"), index=True)
    allocation_id: Mapped[int | None] = mapped_column(
        ForeignKey("delegation_allocations.id", ondelete="SET NULL"), index=True
    )
    nominated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    product_name: Mapped[str] = mapped_column(String(160))
    product_description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(12))
    booth_size: Mapped[str | None] = mapped_column(String(40))
    needs_power: Mapped[bool] = mapped_column(default=False)
    needs_accommodation: Mapped[bool] = mapped_column(default=False)
    other_needs: Mapped[str | None] = mapped_column(String(500))
    pitch_deck: Mapped[str | None] = mapped_column(String(80))  # stored PDF, random name
    status: Mapped[str] = mapped_column(status_type(ApplicationStatus, 10), default=ApplicationStatus.DRAFT)
    reserve_rank: Mapped[int | None]
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_message: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Logistics (coordinator) and outcomes (the applicant, after the event).
    travel_arrangements: Mapped[str | None] = mapped_column(Text)
    travel_cost_vnd: Mapped[int] = mapped_column(default=0)
    lodging_cost_vnd: Mapped[int] = mapped_column(default=0)
    outcome_contacts: Mapped[int | None]
    outcome_mous: Mapped[int | None]
    outcome_investment_offers: Mapped[int | None]
    outcome_awards: Mapped[str | None] = mapped_column(String(500))
    outcomes_reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    call: Mapped[DelegationCall] = relationship()
    startup: Mapped[Startup | None] = relationship()
    team: Mapped[Team | None] = relationship()
    allocation: Mapped[Allocation | None] = relationship()
    travellers: Mapped[list[Traveller]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="Traveller.id"
    )
    scores: Mapped[list[Score]] = relationship(back_populates="application", cascade="all, delete-orphan")

    @property
    def applicant_name(self) -> str:
        return self.startup.name if self.startup else self.team.name


class Traveller(db.Model):
    """A member who travels with the delegation. The place belongs to the application, not the person."""

    __tablename__ = "delegation_travellers"
    __table_args__ = (UniqueConstraint("application_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("delegation_applications.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))  # the roster's record
    legal_name: Mapped[str] = mapped_column(String(120))  # as on the ID card or passport
    role: Mapped[str | None] = mapped_column(String(80))
    phone: Mapped[str] = mapped_column(String(20))
    dietary_needs: Mapped[str | None] = mapped_column(String(200))

    application: Mapped[Application] = relationship(back_populates="travellers")
    user: Mapped[User] = relationship()


class Score(db.Model):
    __tablename__ = "delegation_scores"
    __table_args__ = (
        UniqueConstraint("application_id", "reviewer_id", "criterion_id"),
        CheckConstraint("value BETWEEN 1 AND 5", name="value_1_to_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("delegation_applications.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("delegation_criteria.id", ondelete="CASCADE"))
    value: Mapped[int]
    comment: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="scores")


class ConflictOfInterest(db.Model):
    """A reviewer declared a conflict with an application: they cannot score it."""

    __tablename__ = "delegation_conflicts"
    __table_args__ = (UniqueConstraint("application_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("delegation_applications.id", ondelete="CASCADE"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str | None] = mapped_column(String(300))
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PendingUpload(db.Model):
    """A checked pitch deck kept after a form that failed: its owner sends it again with `token`, not the file.

    Bound to the user who uploaded it; the token (unguessable) travels in a hidden field. Abandoned ones are
    deleted with their file after a day (`services.purge_pending_uploads`).
    """

    __tablename__ = "delegation_pending_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(String(80))
    original_name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

"""Events, ticket types, questions, orders and registrations."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecosystem.auth.models import User
from ecosystem.core.columns import status_type
from ecosystem.extensions import db
from ecosystem.places.models import Locality
from ecosystem.timeutil import UTCDateTime, utcnow


class EventKind(enum.StrEnum):
    WORKSHOP = "workshop"
    PITCHING = "pitching"
    DEMO_DAY = "demo-day"
    CONFERENCE = "conference"
    TECHFEST = "techfest"
    NETWORKING = "networking"
    TRAINING = "training"


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Audience(enum.StrEnum):
    EVERYONE = "everyone"
    STARTUPS = "startups"  # founders of a startup
    STUDENTS = "students"  # members of a university club


class QuestionKind(enum.StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    YES_NO = "yes-no"


class RegistrationStatus(enum.StrEnum):
    PENDING_APPROVAL = "pending-approval"
    AWAITING_PAYMENT = "awaiting-payment"  # a seat held until `hold_expires_at`
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked-in"


# Statuses that take a seat, and those that keep a person "registered" for the event.
SEAT_STATUSES = (
    RegistrationStatus.PENDING_APPROVAL,
    RegistrationStatus.AWAITING_PAYMENT,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.CHECKED_IN,
)
ACTIVE_STATUSES = (*SEAT_STATUSES, RegistrationStatus.WAITLISTED)


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        Index("ix_events_listing", "status", "starts_at"),
        Index(
            "ix_events_search_text_trgm", "search_text",
            postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(90), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(status_type(EventStatus, 10), default=EventStatus.DRAFT)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    venue_name: Mapped[str | None] = mapped_column(String(160))
    address: Mapped[str | None] = mapped_column(String(255))
    locality_id: Mapped[int | None] = mapped_column(ForeignKey("localities.id", ondelete="SET NULL"))
    online_url: Mapped[str | None] = mapped_column(String(300))
    cover: Mapped[str | None] = mapped_column(String(80))
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    capacity: Mapped[int | None]  # overall, on top of each ticket type's capacity
    refund_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bank account for "payment by bank transfer" (VietQR) when Stripe is not configured.
    bank_bin: Mapped[str | None] = mapped_column(String(8))
    bank_account_number: Mapped[str | None] = mapped_column(String(19))
    bank_account_name: Mapped[str | None] = mapped_column(String(50))
    search_name: Mapped[str] = mapped_column(String(160), index=True)
    search_text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    locality: Mapped[Locality | None] = relationship()
    ticket_types: Mapped[list[TicketType]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="TicketType.position, TicketType.id"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Question.position, Question.id"
    )
    organisers: Mapped[list[EventOrganiser]] = relationship(back_populates="event", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Event {self.slug}>"


class EventOrganiser(db.Model):
    """Someone a coordinator named to manage one event (a club leader, an incubator's staff)."""

    __tablename__ = "event_organisers"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    event: Mapped[Event] = relationship(back_populates="organisers")
    user: Mapped[User] = relationship()


class TicketType(db.Model):
    __tablename__ = "event_ticket_types"
    __table_args__ = (
        CheckConstraint("price_vnd >= 0", name="price_not_negative"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("per_person_limit > 0", name="limit_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(300), default="")
    price_vnd: Mapped[int] = mapped_column(default=0)  # VND has no minor unit
    capacity: Mapped[int]
    per_person_limit: Mapped[int] = mapped_column(default=1)  # tickets one buyer may order
    audience: Mapped[str] = mapped_column(String(10), default=Audience.EVERYONE)
    requires_approval: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="ticket_types")

    @property
    def is_free(self) -> bool:
        return self.price_vnd == 0


class Question(db.Model):
    __tablename__ = "event_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10), default=QuestionKind.TEXT)
    choices: Mapped[str] = mapped_column(Text, default="")  # one choice a line, for kind "choice"
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="questions")

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class Order(db.Model):
    """One registration act: a person for themselves, or a founder/club leader for a group."""

    __tablename__ = "event_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Orders and registrations are records of money and seats: no delete of an event, a ticket type or a
    # user takes them along (RESTRICT); an event with registrations is cancelled, never deleted.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="RESTRICT"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship()
    buyer: Mapped[User] = relationship()
    registrations: Mapped[list[Registration]] = relationship(back_populates="order", order_by="Registration.id")


class Registration(db.Model):
    """One attendee's place at an event: their ticket once confirmed."""

    __tablename__ = "event_registrations"
    __table_args__ = (
        # Backstop for the service's rule: one active registration per person and event.
        Index(
            "uq_event_registrations_one_active", "event_id", "attendee_id", unique=True,
            postgresql_where=text("status <> 'cancelled'"), sqlite_where=text("status <> 'cancelled'"),
        ),
        Index("ix_event_registrations_seats", "ticket_type_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="RESTRICT"), index=True)
    ticket_type_id: Mapped[int] = mapped_column(ForeignKey("event_ticket_types.id", ondelete="RESTRICT"))
    order_id: Mapped[int] = mapped_column(ForeignKey("event_orders.id", ondelete="RESTRICT"), index=True)
    attendee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(status_type(RegistrationStatus, 20))
    # Unguessable, set when the registration is confirmed: /tickets/<code>.
    ticket_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    hold_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # An organiser declined a registration awaiting approval (its status is then "cancelled"): when, who, why.
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    declined_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decline_reason: Mapped[str | None] = mapped_column(String(500))

    event: Mapped[Event] = relationship()
    ticket_type: Mapped[TicketType] = relationship()
    order: Mapped[Order] = relationship(back_populates="registrations")
    attendee: Mapped[User] = relationship(foreign_keys=[attendee_id])
    checked_in_by: Mapped[User | None] = relationship(foreign_keys=[checked_in_by_id])
    answers: Mapped[list[Answer]] = relationship(back_populates="registration", cascade="all, delete-orphan")


class Answer(db.Model):
    __tablename__ = "event_answers"
    __table_args__ = (UniqueConstraint("registration_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("event_registrations.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("event_questions.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(Text)

    registration: Mapped[Registration] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()

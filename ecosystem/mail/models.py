"""The durable e-mail outbox."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecosystem.core.columns import status_type
from ecosystem.extensions import db
from ecosystem.timeutil import UTCDateTime, utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(db.Model):
    """One e-mail, written in the same transaction as the change that causes it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    template: Mapped[str] = mapped_column(String(100))
    locale: Mapped[str] = mapped_column(String(5))
    # Set by callers that must send a message at most once (e.g. one reminder per person).
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(status_type(OutboxStatus, 10), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    attachments: Mapped[list[OutboxAttachment]] = relationship(
        cascade="all, delete-orphan", order_by="OutboxAttachment.id", lazy="selectin"
    )

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.template} -> {self.recipient} {self.status}>"


class OutboxAttachment(db.Model):
    """A file sent with an outbox message (a ticket's QR code, an .ics invitation)."""

    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(120))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)

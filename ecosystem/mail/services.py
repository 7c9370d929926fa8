"""Writing e-mails to the outbox and delivering them.

`queue_mail` only adds a row to the current session: the caller's commit makes
the message durable together with the change that caused it. `deliver_due`
sends what is due, one row at a time under `FOR UPDATE SKIP LOCKED`, so several
workers can drain the same outbox on PostgreSQL without sending anything twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ecosystem.extensions import db, mail
from ecosystem.mail.models import OutboxAttachment, OutboxMessage, OutboxStatus
from ecosystem.timeutil import utcnow

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=6)
SUBJECT_MAX = OutboxMessage.subject.type.length
FILENAME_MAX = OutboxAttachment.filename.type.length


def one_line(text: str, max_length: int) -> str:
    """A header value built from user text: one line (CR, LF, tabs and runs of spaces become one space, so a
    name cannot break a mail header) that fits its column (cut with an ellipsis)."""
    text = " ".join(str(text).split())
    return text if len(text) <= max_length else text[: max_length - 1].rstrip() + "…"


def _fit_filename(filename: str) -> str:
    """An attachment's name within its column, keeping the extension."""
    filename = one_line(filename, 10_000)
    if len(filename) <= FILENAME_MAX:
        return filename
    stem, dot, extension = filename.rpartition(".")
    if not dot or len(extension) > 10:
        return filename[:FILENAME_MAX]
    return stem[: FILENAME_MAX - len(extension) - 1] + "." + extension


def queue_mail(
    recipient: str,
    subject,
    template: str,
    locale: str,
    dedupe_key: str | None = None,
    attachments: list[tuple[str, str, bytes]] = (),
    **context,
) -> OutboxMessage:
    """Render `templates/<template>.txt` and `.html` in `locale` and add them to the outbox.

    `subject` may be a lazy string; it is rendered in the recipient's language, on one line, cut to fit
    its column (names in it come from users). `attachments` are (filename, content type, bytes).
    """
    with force_locale(locale):
        subject = one_line(str(subject), SUBJECT_MAX)
        message = OutboxMessage(
            recipient=recipient,
            subject=subject,
            body_text=render_template(f"{template}.txt", **context),
            body_html=render_template(f"{template}.html", subject=subject, **context),
            template=template,
            locale=locale,
            dedupe_key=dedupe_key,
            status=OutboxStatus.PENDING,
            next_attempt_at=utcnow(),
            attachments=[
                OutboxAttachment(filename=_fit_filename(filename), content_type=content_type, data=data)
                for filename, content_type, data in attachments
            ],
        )
    db.session.add(message)
    return message


def queue_mail_once(recipient: str, subject, template: str, locale: str, dedupe_key: str, **context) -> bool:
    """`queue_mail` unless a message with `dedupe_key` exists; False when it did.

    Safe from several processes at once: a concurrent insert of the same key makes ours fail
    inside its own SAVEPOINT, which is rolled back alone.
    """
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        return False
    try:
        with db.session.begin_nested():
            queue_mail(recipient, subject, template, locale, dedupe_key=dedupe_key, **context)
            db.session.flush()
    except IntegrityError:
        log.info("Mail %s already queued by another run", dedupe_key)
        return False
    return True


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return len(self.sent) + len(self.retried) + len(self.failed)


def _claim_next_due(now: datetime) -> OutboxMessage | None:
    statement = (
        db.select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return db.session.scalars(statement).first()


def _transmit(message: OutboxMessage) -> None:
    config = current_app.config
    if not config["MAIL_SERVER"]:
        log.info(
            "E-mail (no MAIL_SERVER set, not sent)\nTo: %s\nSubject: %s\n\n%s",
            message.recipient,
            message.subject,
            message.body_text,
        )
        return
    email = Message(
        subject=message.subject,
        recipients=[message.recipient],
        body=message.body_text,
        html=message.body_html,
        sender=config["MAIL_DEFAULT_SENDER"],
        extra_headers={"X-Ecosystem-Outbox-Id": str(message.id)},
    )
    for attachment in message.attachments:
        email.attach(attachment.filename, attachment.content_type, attachment.data)
    mail.send(email)


def retry_delay(attempts: int) -> timedelta:
    base = timedelta(seconds=current_app.config["OUTBOX_BACKOFF_SECONDS"])
    return min(base * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver_due(limit: int = 100, now: datetime | None = None) -> DeliveryReport:
    """Send up to `limit` due messages; each one in its own short transaction."""
    report = DeliveryReport()
    max_attempts = current_app.config["OUTBOX_MAX_ATTEMPTS"]
    for _ in range(limit):
        moment = now or utcnow()
        message = _claim_next_due(moment)
        if message is None:
            db.session.rollback()
            break
        try:
            _transmit(message)
        except Exception as error:  # noqa: BLE001 - any transport failure means retry later
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= max_attempts:
                message.status = OutboxStatus.FAILED
                report.failed.append(message.id)
                log.error("E-mail %s failed for good: %s", message.id, message.last_error)
            else:
                message.next_attempt_at = moment + retry_delay(message.attempts)
                report.retried.append(message.id)
                log.warning("E-mail %s will be retried: %s", message.id, message.last_error)
        else:
            message.attempts += 1
            message.status = OutboxStatus.SENT
            message.sent_at = utcnow()
            message.last_error = None
            report.sent.append(message.id)
        db.session.commit()
    return report


def requeue_failed(message_id: int) -> OutboxMessage | None:
    """Put a failed message back in line (an admin's decision after fixing the cause)."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.status != OutboxStatus.FAILED:
        return None
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    db.session.commit()
    return message


def outbox_counts() -> dict[str, int]:
    rows = db.session.execute(
        db.select(OutboxMessage.status, db.func.count()).group_by(OutboxMessage.status)
    ).all()
    counts = {status.value: 0 for status in OutboxStatus}
    counts.update({status: count for status, count in rows})
    return counts


def undelivered_messages(limit: int = 200) -> list[OutboxMessage]:
    statement = (
        db.select(OutboxMessage)
        .where(OutboxMessage.status != OutboxStatus.SENT)
        .order_by(OutboxMessage.status, OutboxMessage.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement))

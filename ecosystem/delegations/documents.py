"""PDF files of the delegation domain besides the stored pitch decks: decks kept after a failed form, and a
call's official notice (công văn).

A pitch deck chosen in a form that comes back with errors is checked (like any deck) and kept as a *pending
upload*: a row bound to the user who sent it, with an unguessable token that the form carries in a hidden
field, and the file under `UPLOAD_DIR/pending-decks/`. Sending the form again with the token (and no new file)
uses that file; a token of another user, or an expired one, is ignored. `purge_pending_uploads` (run by the
periodic tasks) deletes the rows and files left for more than `PENDING_TTL`.

A call's notice is a PDF of at most 10 MB, checked by content like a deck, stored under a random name in
`UPLOAD_DIR/notices/` and downloaded by anyone who may see the call.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ecosystem.core.uploads import upload_root
from ecosystem.delegations import decks, policies
from ecosystem.delegations.models import DelegationCall, PendingUpload
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow

PENDING_FOLDER = "pending-decks"
PENDING_TTL = timedelta(hours=24)
PENDING_PER_USER = 3
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
STORED_NAME = re.compile(r"^[A-Za-z0-9_-]{22,64}\.pdf$")
ORIGINAL_NAME_MAX = 120
NOTICE_FOLDER = "notices"
NOTICE_MAX_BYTES = 10 * 1024 * 1024


def _folder(name: str) -> Path:
    folder = upload_root() / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_new(folder: str, data: bytes) -> str:
    name = f"{secrets.token_urlsafe(24)}.pdf"
    (_folder(folder) / name).write_bytes(data)
    return name


def _unlink(folder: str, name: str | None) -> None:
    if name and STORED_NAME.match(name):
        (_folder(folder) / name).unlink(missing_ok=True)


def display_name(filename: str | None) -> str:
    """The name the user's file had, as something safe to show: no path, no control characters, short."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in unicodedata.normalize("NFC", name) if char.isprintable()).strip()
    return (name or "deck.pdf")[:ORIGINAL_NAME_MAX]


# ---------------------------------------------------------------------------
# Pitch decks kept after a failed form
# ---------------------------------------------------------------------------


def keep_pending_deck(user, stream, filename: str | None, replaces: PendingUpload | None = None) -> PendingUpload:
    """Check the deck (DelegationError on field "pitch_deck") and keep it for `user`. Commits."""
    data = decks.check_deck(stream)
    stored = _write_new(PENDING_FOLDER, data)
    try:
        pending = PendingUpload(token=secrets.token_urlsafe(32), user_id=user.id, stored_name=stored,
                                original_name=display_name(filename))
        db.session.add(pending)
        db.session.flush()
        # The one it replaces, and any beyond the user's newest few: a user never holds more than
        # PENDING_PER_USER kept decks (10 MB each), whatever they send.
        older = db.session.scalars(
            select(PendingUpload).where(PendingUpload.user_id == user.id, PendingUpload.id != pending.id)
            .order_by(PendingUpload.created_at.desc(), PendingUpload.id.desc())).all()
        dropped = list(older[PENDING_PER_USER - 1:])
        if replaces is not None and replaces.user_id == user.id and replaces not in dropped:
            dropped.append(replaces)
        old_names = [old.stored_name for old in dropped]
        for old in dropped:
            db.session.delete(old)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        _unlink(PENDING_FOLDER, stored)
        raise
    for name in old_names:
        _unlink(PENDING_FOLDER, name)
    return pending


def pending_deck(user, token: str | None, now: datetime | None = None) -> PendingUpload | None:
    """`user`'s pending deck for `token`, if it is theirs, not expired and its file is still there."""
    token = token or ""
    if user is None or not getattr(user, "is_authenticated", False) or not TOKEN.match(token):
        return None
    pending = db.session.scalar(select(PendingUpload).where(
        PendingUpload.token == token, PendingUpload.user_id == user.id,
        PendingUpload.created_at > (now or utcnow()) - PENDING_TTL))
    if pending is None or pending_path(pending) is None:
        return None
    return pending


def pending_path(pending: PendingUpload) -> Path | None:
    if not STORED_NAME.match(pending.stored_name):
        return None
    path = _folder(PENDING_FOLDER) / pending.stored_name
    return path if path.is_file() else None


def forget_pending(pending: PendingUpload) -> None:
    """Delete the row (in the caller's transaction) and, after the caller commits, its file with
    `delete_pending_file`."""
    db.session.delete(pending)


def delete_pending_file(stored_name: str) -> None:
    _unlink(PENDING_FOLDER, stored_name)


def purge_pending_uploads(now: datetime | None = None) -> int:
    """Delete the pending decks left for more than PENDING_TTL, and stray files of that age. Commits.
    Returns how many rows were deleted."""
    now = now or utcnow()
    cutoff = now - PENDING_TTL
    expired = db.session.scalars(select(PendingUpload).where(PendingUpload.created_at <= cutoff)).all()
    names = [pending.stored_name for pending in expired]
    for pending in expired:
        db.session.delete(pending)
    db.session.commit()
    for name in names:
        _unlink(PENDING_FOLDER, name)
    # Files whose row went with its user (ON DELETE CASCADE), or whose commit never came.
    known = set(db.session.scalars(select(PendingUpload.stored_name)))
    for path in _folder(PENDING_FOLDER).iterdir():
        if path.name not in known and path.is_file() and path.stat().st_mtime <= cutoff.timestamp():
            path.unlink(missing_ok=True)
    return len(names)


# ---------------------------------------------------------------------------
# A call's official notice (công văn)
# ---------------------------------------------------------------------------


def check_notice(stream) -> bytes:
    """The notice's bytes if it is a PDF of at most 10 MB, checked by content."""
    data = stream.read(NOTICE_MAX_BYTES + 1)
    if len(data) > NOTICE_MAX_BYTES:
        raise policies.DelegationError(_l("The notice is larger than 10 MB. Please send a smaller PDF."), "notice")
    if not data:
        raise policies.DelegationError(_l("The file is empty."), "notice")
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:] or b"obj" not in data:
        raise policies.DelegationError(_l("The official notice must be a PDF file."), "notice")
    return data


def store_notice(data: bytes) -> str:
    return _write_new(NOTICE_FOLDER, data)


def delete_notice(name: str | None) -> None:
    _unlink(NOTICE_FOLDER, name)


def notice_path(call: DelegationCall) -> Path | None:
    if not call.notice_file or not STORED_NAME.match(call.notice_file):
        return None
    path = _folder(NOTICE_FOLDER) / call.notice_file
    return path if path.is_file() else None

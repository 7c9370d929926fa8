"""Pitch decks: checking an upload (a PDF of at most 10 MB) and storing, deleting and finding the stored files.
"""

from __future__ import annotations

import re
import secrets

from flask_babel import lazy_gettext as _l

from ecosystem.core.uploads import upload_root
from ecosystem.delegations.models import (
    Application,
)
from ecosystem.delegations.policies import DelegationError

DECK_MAX_BYTES = 10 * 1024 * 1024
DECK_FOLDER = "decks"
DECK_NAME = re.compile(r"^[A-Za-z0-9_-]{22,64}\.pdf$")


def check_deck(stream) -> bytes:
    """The uploaded pitch deck's bytes if it is a PDF of at most 10 MB (checked by content)."""
    data = stream.read(DECK_MAX_BYTES + 1)
    if len(data) > DECK_MAX_BYTES:
        raise DelegationError(_l("The pitch deck is larger than 10 MB. Please send a smaller PDF."), "pitch_deck")
    if not data:
        raise DelegationError(_l("The file is empty."), "pitch_deck")
    tail = data[-2048:]
    if not data.startswith(b"%PDF-") or b"%%EOF" not in tail or b"obj" not in data:
        raise DelegationError(_l("The pitch deck must be a PDF file."), "pitch_deck")
    return data


def store_deck(data: bytes) -> str:
    folder = upload_root() / DECK_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(24)}.pdf"
    (folder / name).write_bytes(data)
    return name


def delete_deck(name: str | None) -> None:
    if name and DECK_NAME.match(name):
        (upload_root() / DECK_FOLDER / name).unlink(missing_ok=True)


def deck_path(application: Application):
    if not application.pitch_deck or not DECK_NAME.match(application.pitch_deck):
        return None
    path = upload_root() / DECK_FOLDER / application.pitch_deck
    return path if path.is_file() else None

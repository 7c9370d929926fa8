"""The checks every domain makes of what people type: phone numbers, e-mail addresses, names and ids.

One Vietnamese phone pattern with one message, one e-mail rule, one id parser: the domains call these
instead of keeping copies that drift apart. Web addresses are checked by `core.urls.is_web_address`; the
commune or ward a record may keep by `places.services.keepable_locality`.
"""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l

PHONE_MAX = 20
# Vietnamese numbers: 0 followed by 9-10 digits, or +84 and 9-10 digits (after separators are dropped).
PHONE_PATTERN = re.compile(r"^(\+84|0)\d{9,10}$")
PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
PHONE_MESSAGE = _l("This is not a valid Vietnamese phone number.")
PHONE_EXAMPLE = _l("For example 0912 345 678 or +84 912 345 678.")

EMAIL_MAX = 254
EMAIL_MESSAGE = _l("This is not a valid e-mail address.")

# Ids typed or posted as text: at most 9 digits, so that every one fits a 32-bit integer column.
ID_MAX_DIGITS = 9


def clean_phone(text: str | None) -> str:
    """A typed phone number without its spaces, dots, dashes and parentheses ("0912 345 678" → "0912345678")."""
    return PHONE_SEPARATORS.sub("", text or "")


def is_phone(text: str | None) -> bool:
    """A cleaned Vietnamese phone number (see `clean_phone`)."""
    return bool(text) and len(text) <= PHONE_MAX and PHONE_PATTERN.fullmatch(text) is not None


def normalize_email(email: str) -> str:
    return unicodedata.normalize("NFC", email.strip()).lower()


def is_email_address(address: str | None) -> bool:
    """A syntactically valid e-mail address of at most 254 characters (no DNS lookup)."""
    if not address or len(address) > EMAIL_MAX:
        return False
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def clean_name(text: str | None) -> str:
    """A name with its runs of white space folded to one space and trimmed."""
    return " ".join((text or "").split())


def is_id_text(value: object) -> bool:
    """Text that can be a database id: ASCII digits only, at most `ID_MAX_DIGITS` of them."""
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= ID_MAX_DIGITS


def parse_id(raw: object) -> int | None:
    """A database id from form or query input ("12" or 12), or None for anything else (0 included)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 < raw < 10**ID_MAX_DIGITS else None
    if isinstance(raw, str):
        raw = raw.strip()
        if is_id_text(raw) and int(raw) > 0:
            return int(raw)
    return None

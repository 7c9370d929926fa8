"""Questions the events domain asks a higher domain (payments) without importing it.

The payments domain registers its answers when it is loaded (`set_bank_directory`,
`set_refund_preview`); until then the events pages work with the defaults: no bank
list (the BIN is checked for its six digits only) and nothing known about money paid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ecosystem.events.models import Registration


@dataclass(frozen=True)
class Bank:
    """A bank that VietQR transfers reach: its BIN (the NAPAS bank id), short and full name."""

    bin: str
    short_name: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.short_name} — {self.name}"


@dataclass(frozen=True)
class RefundPreview:
    """What cancelling a registration oneself gives back, as the payments domain's rules say."""

    paid_vnd: int  # paid for this registration and not given back yet
    refund_vnd: int  # what the attendee's own cancellation, now, gives back
    deadline: datetime | None  # until when the attendee's own cancellation is refunded in full
    by_transfer: bool  # paid by bank transfer (paid back by hand) rather than by card


def _no_banks() -> list[Bank]:
    return []


def _nothing_paid(registration: Registration, now: datetime) -> RefundPreview | None:
    return None


bank_directory: Callable[[], list[Bank]] = _no_banks
refund_preview: Callable[[Registration, datetime], RefundPreview | None] = _nothing_paid


def set_bank_directory(function: Callable[[], list[Bank]]) -> None:
    global bank_directory
    bank_directory = function


def set_refund_preview(function: Callable[[Registration, datetime], RefundPreview | None]) -> None:
    global refund_preview
    refund_preview = function


def banks() -> list[Bank]:
    return bank_directory()


def bank_named(bank_bin: str | None) -> Bank | None:
    """The bank with this BIN, if the directory knows it."""
    if not bank_bin:
        return None
    return next((bank for bank in bank_directory() if bank.bin == bank_bin), None)


def preview_refund(registration: Registration, now: datetime) -> RefundPreview | None:
    return refund_preview(registration, now)

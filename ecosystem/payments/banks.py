"""The Vietnamese banks that VietQR transfers reach, by BIN (the NAPAS bank id).

The list ships with the project (`data/vietqr_banks.csv`: BIN, short name, full
Vietnamese name), so the payment page names the bank and the event form offers
banks by name. The events domain reads it through `events.hooks`.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from ecosystem.events.hooks import Bank, set_bank_directory

BANKS_FILE = Path(__file__).parent / "data" / "vietqr_banks.csv"
_BIN = re.compile(r"^\d{6}$")


def read_banks(path: Path = BANKS_FILE) -> list[Bank]:
    """The banks in `path`, in the file's order; a malformed row or a repeated BIN is an error."""
    banks: list[Bank] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            bank = Bank((row.get("bin") or "").strip(), (row.get("short_name") or "").strip(),
                        (row.get("name") or "").strip())
            if not _BIN.match(bank.bin) or not bank.short_name or not bank.name:
                raise ValueError(f"{path.name}:{line}: a bank needs a 6-digit BIN, a short and a full name")
            if bank.bin in seen:
                raise ValueError(f"{path.name}:{line}: BIN {bank.bin} is listed twice")
            seen.add(bank.bin)
            banks.append(bank)
    return banks


@lru_cache(maxsize=1)
def vietqr_banks() -> tuple[Bank, ...]:
    return tuple(read_banks())


def bank_by_bin(bank_bin: str | None) -> Bank | None:
    return next((bank for bank in vietqr_banks() if bank.bin == bank_bin), None)


set_bank_directory(lambda: list(vietqr_banks()))

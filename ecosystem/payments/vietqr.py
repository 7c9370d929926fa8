"""VietQR (NAPAS) payloads: the EMVCo merchant-presented QR that Vietnamese banking apps read.

Structure (each field is tag, two-digit length, value):
00 payload format "01"; 01 point of initiation "12" (dynamic: amount set);
38 merchant account: 00 GUID "A000000727", 01 (00 bank BIN, 01 account number),
02 service "QRIBFTTA" (transfer to an account); 53 currency "704" (VND);
54 amount; 58 country "VN"; 62 additional data: 08 purpose (our transfer
reference); 63 CRC16-CCITT (poly 0x1021, initial 0xFFFF) over everything
before it, including "6304".
"""

from __future__ import annotations

import re

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"

_BIN = re.compile(r"^\d{6}$")
_ACCOUNT = re.compile(r"^[0-9A-Za-z]{1,19}$")
_REFERENCE = re.compile(r"^[0-9A-Za-z]{1,25}$")


def tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"value of tag {tag} too long")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def vietqr_payload(bank_bin: str, account_number: str, amount_vnd: int, reference: str) -> str:
    """The payload string for a transfer of `amount_vnd` đồng with `reference` as its message."""
    if not _BIN.match(bank_bin or ""):
        raise ValueError("bank BIN must be 6 digits")
    if not _ACCOUNT.match(account_number or ""):
        raise ValueError("account number must be 1-19 letters or digits")
    if not _REFERENCE.match(reference or ""):
        raise ValueError("reference must be 1-25 letters or digits")
    if not isinstance(amount_vnd, int) or not 0 < amount_vnd < 10**13:
        raise ValueError("amount must be a positive whole number of đồng")
    beneficiary = tlv("00", bank_bin) + tlv("01", account_number)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TO_ACCOUNT)
    body = (
        tlv("00", "01")
        + tlv("01", "12")
        + tlv("38", merchant)
        + tlv("53", CURRENCY_VND)
        + tlv("54", str(amount_vnd))
        + tlv("58", COUNTRY_VN)
        + tlv("62", tlv("08", reference))
        + "6304"
    )
    return body + f"{crc16_ccitt(body.encode('ascii')):04X}"

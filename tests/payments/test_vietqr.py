import binascii

import pytest

from ecosystem.payments.vietqr import vietqr_payload


def parse(payload: str) -> dict[str, str]:
    fields, index = {}, 0
    while index < len(payload):
        tag, length = payload[index:index + 2], int(payload[index + 2:index + 4])
        fields[tag] = payload[index + 4:index + 4 + length]
        index += 4 + length
    return fields


def test_payload_follows_the_emvco_napas_structure():
    payload = vietqr_payload("970415", "113366668888", 150000, "TNAB12CD34")
    fields = parse(payload)
    assert list(fields) == ["00", "01", "38", "53", "54", "58", "62", "63"]
    assert fields["00"] == "01"
    assert fields["01"] == "12"
    merchant = parse(fields["38"])
    assert merchant["00"] == "A000000727"
    assert parse(merchant["01"]) == {"00": "970415", "01": "113366668888"}
    assert merchant["02"] == "QRIBFTTA"
    assert fields["53"] == "704"
    assert fields["54"] == "150000"
    assert fields["58"] == "VN"
    assert parse(fields["62"]) == {"08": "TNAB12CD34"}
    expected_crc = binascii.crc_hqx(payload[:-4].encode("ascii"), 0xFFFF)
    assert fields["63"] == f"{expected_crc:04X}"
    assert payload[-8:-4] == "6304"


@pytest.mark.parametrize(
    ("bank_bin", "account", "amount", "reference"),
    [("97041", "1133", 1000, "TN1"), ("970415", "", 1000, "TN1"), ("970415", "1" * 20, 1000, "TN1"),
     ("970415", "1133", 0, "TN1"), ("970415", "1133", -5, "TN1"), ("970415", "1133", 1000, "TN 1"),
     ("970415", "1133", 1000, ""), ("970415", "1133", 1.5, "TN1")],
)
def test_bad_values_are_refused(bank_bin, account, amount, reference):
    with pytest.raises(ValueError):
        vietqr_payload(bank_bin, account, amount, reference)

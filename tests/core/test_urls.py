"""The one web-address check that startups, events and the directory use."""

import pytest

from ecosystem.core.urls import is_web_address


@pytest.mark.parametrize("value, ok", [
    ("https://chetancuong.vn", True),
    ("http://thainguyen.gov.vn/khoi-nghiep?x=1", True),
    ("ftp://chetancuong.vn", False),
    ("https://localhost", False),
    ("https://che tan cuong.vn", False),
    ("https://chetancuong.vn/\x00", False),
    ("http://[", False),  # urlsplit raises ValueError: a clear "no", not a 500
    ("https://" + "a" * 300 + ".vn", False),
])
def test_is_web_address(value, ok):
    assert is_web_address(value, 200) is ok

"""Helpers shared by the clubs tests."""

import io

import pytest
from PIL import Image

from ecosystem.extensions import db
from ecosystem.places.models import Locality
from ecosystem.places.provinces import HOME_PROVINCE


def png_bytes(size=(300, 200)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 93, 59)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def english(forms) -> None:
    """Switch the (signed-out) browser to the English UI: the Vietnamese catalog comes later."""
    forms.post("/language", {"lang": "en"}, form_page="/")


@pytest.fixture
def locality_id(app) -> int:
    """A commune of Thái Nguyên (the reference list is loaded by the migration, not by create_all)."""
    with app.app_context():
        locality = Locality(name="Phường Phan Đình Phùng", province=HOME_PROVINCE, search_name="phuong phan dinh phung")
        db.session.add(locality)
        db.session.commit()
        return locality.id

"""Fixtures for the startup tests: images to upload, the English UI."""

from __future__ import annotations

import io

import pytest
from PIL import Image


@pytest.fixture
def english(forms):
    """Switch the visitor's session to the English UI (the Vietnamese catalog is filled later)."""

    def switch():
        forms.post("/language", {"lang": "en"}, form_page="/")

    return switch


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (320, 200), color=(11, 93, 59)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, image_format)
    return buffer.getvalue()


def noisy_png(min_bytes: int) -> bytes:
    """A real PNG larger than `min_bytes` (random pixels do not compress)."""
    import os

    side = int((min_bytes / 3) ** 0.5) + 64
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    assert buffer.tell() > min_bytes
    return buffer.getvalue()

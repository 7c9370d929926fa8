"""Uploaded images (logos, covers): checked by content, re-encoded, stored under random names.

Only PNG, JPEG and WebP are accepted, whatever the file name says; SVG and every
other format are refused. The image is decoded by Pillow, re-encoded to WebP at a
fixed size, and written to `UPLOAD_DIR/<kind>/<random>.webp` (default `instance/uploads/`), so what is
served is always an image this code produced.
"""

from __future__ import annotations

import io
import re
import secrets
import warnings
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from wtforms.validators import ValidationError

from ecosystem.extensions import db

MAX_IMAGE_BYTES = 2 * 1024 * 1024
ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP"}
STORED_NAME = re.compile(r"^[A-Za-z0-9_-]{22,64}\.webp$")


@dataclass(frozen=True)
class ImageKind:
    folder: str
    size: tuple[int, int]
    pad: bool  # logos keep their whole shape on a square; covers are cropped to fill
    # Width × height read from the file's header before anything is decoded: a small file can claim a huge
    # image (a 100 kB PNG of 6000 × 6000 pixels takes some 300 MB to decode and convert).
    max_pixels: int
    too_many_pixels: object  # the message, lazy


LOGO = ImageKind(
    "logos", (256, 256), pad=True, max_pixels=4_000_000,
    too_many_pixels=_l("A logo may have at most 4 megapixels (for example 2000 × 2000 pixels). "
                       "Please choose a smaller image."),
)
COVER = ImageKind(
    "covers", (1200, 630), pad=False, max_pixels=16_000_000,
    too_many_pixels=_l("A cover image may have at most 16 megapixels (for example 4600 × 3450 pixels). "
                       "Please choose a smaller image."),
)
KINDS = {kind.folder: kind for kind in (LOGO, COVER)}
# Pillow's own guard (any Image.open in this process) at the largest use: above it a warning, which
# decode_image turns into a refusal, and above twice it an error.
Image.MAX_IMAGE_PIXELS = max(kind.max_pixels for kind in KINDS.values())


class UploadRejected(ValueError):
    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


def upload_root() -> Path:
    return Path(current_app.config["UPLOAD_DIR"])


def _read_limited(stream) -> bytes:
    data = stream.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise UploadRejected(_l("The image is larger than 2 MB. Please choose a smaller file."))
    if not data:
        raise UploadRejected(_l("The file is empty."))
    return data


def decode_image(stream, kind: ImageKind = LOGO) -> Image.Image:
    """The decoded image, or UploadRejected with a message for the user. The format and the pixel count
    (at most `kind.max_pixels`) are read from the header before anything is decoded."""
    data = _read_limited(stream)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))  # lazy: reads the header only
            if probe.format not in ACCEPTED_FORMATS:
                raise UploadRejected(_l("Only PNG, JPEG or WebP images are accepted."))
            if probe.width * probe.height > kind.max_pixels:
                raise UploadRejected(kind.too_many_pixels)
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UploadRejected(kind.too_many_pixels) from error
    except UnidentifiedImageError as error:
        raise UploadRejected(_l("Only PNG, JPEG or WebP images are accepted.")) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise UploadRejected(_l("The image is damaged and cannot be read.")) from error
    return image


def _resized(image: Image.Image, kind: ImageKind) -> Image.Image:
    image = ImageOps.exif_transpose(image).convert("RGBA")
    if not kind.pad:
        return ImageOps.fit(image, kind.size, Image.Resampling.LANCZOS)
    image = ImageOps.contain(image, kind.size, Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", kind.size, (255, 255, 255, 0))
    canvas.paste(image, ((kind.size[0] - image.width) // 2, (kind.size[1] - image.height) // 2))
    return canvas


def store_image(stream, kind: ImageKind = LOGO) -> str:
    """Check, re-encode and store an uploaded image; return its stored name."""
    image = _resized(decode_image(stream, kind), kind)
    name = f"{secrets.token_urlsafe(24)}.webp"
    folder = upload_root() / kind.folder
    folder.mkdir(parents=True, exist_ok=True)
    image.save(folder / name, "WEBP", quality=82, method=4)
    return name


def store_upload(upload, kind: ImageKind, reject_as: Callable[[str], Exception]) -> str | None:
    """`store_image` for a service: None when nothing was uploaded (None, or a form file without a name);
    a refused image raises the domain's own error, built by `reject_as(message)`."""
    if upload is None or (hasattr(upload, "filename") and not upload.filename):
        return None
    try:
        return store_image(getattr(upload, "stream", upload), kind)
    except UploadRejected as error:
        raise reject_as(error.message) from error


@contextmanager
def saving_with_image(current: str | None, new: str | None, remove: bool = False, kind: ImageKind = LOGO):
    """Yield the image name a row should keep while the caller changes the row; then commit.

    If the block or the commit fails, the session is rolled back and the newly stored file
    deleted; once the commit succeeds, the file it replaced is. Either way no orphan file
    and no row pointing at a missing file. For a new row, `current` is None.
    """
    keep = new if new is not None else (None if remove else current)
    try:
        yield keep
        db.session.commit()
    except BaseException:
        db.session.rollback()
        delete_image(new, kind)
        raise
    if current and current != keep:
        delete_image(current, kind)


def delete_image(name: str | None, kind: ImageKind = LOGO) -> None:
    if name and STORED_NAME.match(name):
        (upload_root() / kind.folder / name).unlink(missing_ok=True)


def stored_path(folder: str, name: str) -> Path | None:
    """The file for a `/media/<folder>/<name>` request, or None if it is not ours."""
    if folder not in KINDS or not STORED_NAME.match(name):
        return None
    path = upload_root() / folder / name
    return path if path.is_file() else None


class ImageFile:
    """WTForms validator: an optional upload must be an acceptable image for its use (checked by content)."""

    def __init__(self, kind: ImageKind = LOGO) -> None:
        self.kind = kind

    def __call__(self, form, field) -> None:
        upload = field.data
        if not upload or not getattr(upload, "filename", None):
            return
        try:
            decode_image(upload.stream, self.kind)
        except UploadRejected as error:
            raise ValidationError(str(error.message)) from error
        finally:
            upload.stream.seek(0)

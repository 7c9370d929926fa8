"""Logos: real PNG, JPEG and WebP accepted by content and re-encoded; everything else refused."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from ecosystem.extensions import db
from ecosystem.startups.models import Startup
from tests.factories import make_startup, make_user
from tests.startups.conftest import image_bytes, noisy_png
from tests.startups.test_views import form_fields

LOGO_SRC = re.compile(r'<img class="startup-logo[^"]*" src="(/media/logos/[A-Za-z0-9_-]+\.webp)" alt="([^"]+)"')


def logo_files(app) -> set[Path]:
    folder = Path(app.config["UPLOAD_DIR"]) / "logos"
    return set(folder.glob("*.webp")) if folder.is_dir() else set()


def stored_logo(app, startup_id: int) -> str | None:
    with app.app_context():
        return db.session.get(Startup, startup_id).logo


@pytest.mark.parametrize("image_format, filename", [("PNG", "logo.png"), ("JPEG", "logo.jpg"), ("WEBP", "logo.webp"),
                                                    ("PNG", "named-wrongly.jpg")])
def test_a_real_image_is_accepted_re_encoded_and_served_as_webp(app, client, auth, forms, image_format, filename):
    founder = make_user(app)
    auth.login(founder.email, founder.password)
    upload = (io.BytesIO(image_bytes(image_format, size=(640, 320))), filename)
    response = forms.post("/startups/new", {**form_fields(app), "logo": upload}, form_page="/startups/new")
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    src, alt = LOGO_SRC.search(html).groups()
    assert alt == "Logo of Nông sản Đại Từ" or "Nông sản Đại Từ" in alt
    served = client.get(src)
    assert served.status_code == 200
    assert served.mimetype == "image/webp"
    image = Image.open(io.BytesIO(served.data))
    assert (image.format, image.size) == ("WEBP", (256, 256))
    assert src in client.get("/startups/").get_data(as_text=True)  # the card shows it too


@pytest.mark.parametrize("content, filename, message", [
    (None, "big.png", "The image is larger than 2 MB."),
    (b"hello, this is text\n" * 50, "not-an-image.png", "Only PNG, JPEG or WebP images are accepted."),
    (b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>', "logo.svg",
     "Only PNG, JPEG or WebP images are accepted."),
    ("GIF", "logo.gif", "Only PNG, JPEG or WebP images are accepted."),
    (b"", "empty.png", "The file is empty."),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "broken.png", "Only PNG, JPEG or WebP images are accepted."),
])
def test_oversize_fake_and_other_formats_are_refused_with_a_message(app, client, auth, forms, content, filename,
                                                                       message):
    founder = make_user(app, locale="en")
    auth.login(founder.email, founder.password)
    if content is None:
        content = noisy_png(3 * 1024 * 1024)
    elif content == "GIF":
        content = image_bytes("GIF")
    before = logo_files(app)
    response = forms.post("/startups/new", {**form_fields(app), "logo": (io.BytesIO(content), filename)},
                          form_page="/startups/new")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html and 'id="logo-error"' in html
    assert logo_files(app) == before
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Startup)) == 0


def test_replacing_and_removing_the_logo_deletes_the_old_file(app, client, auth, forms):
    ref = make_startup(app, name="Logo Đổi", logo_stream=io.BytesIO(image_bytes("PNG")))
    first = stored_logo(app, ref.id)
    folder = Path(app.config["UPLOAD_DIR"]) / "logos"
    assert (folder / first).is_file()
    auth.login(ref.owner.email, ref.owner.password)
    edit = f"/startups/{ref.slug}/edit"
    fields = form_fields(app, name="Logo Đổi", tax_code="")
    response = forms.post(edit, {**fields, "logo": (io.BytesIO(image_bytes("JPEG")), "new.jpg")})
    assert response.status_code == 302
    second = stored_logo(app, ref.id)
    assert second != first and (folder / second).is_file() and not (folder / first).exists()
    # A refused upload keeps the current logo.
    refused = forms.post(edit, {**fields, "logo": (io.BytesIO(b"<svg/>"), "x.svg")})
    assert refused.status_code == 422
    assert stored_logo(app, ref.id) == second
    assert forms.post(edit, {**fields, "remove_logo": "y"}).status_code == 302
    assert stored_logo(app, ref.id) is None and not (folder / second).exists()
    assert client.get(f"/media/logos/{second}").status_code == 404


def test_deleting_a_startup_deletes_its_logo_file(app, client, auth, forms):
    ref = make_startup(app, logo_stream=io.BytesIO(image_bytes("WEBP")))
    path = Path(app.config["UPLOAD_DIR"]) / "logos" / stored_logo(app, ref.id)
    auth.login(ref.owner.email, ref.owner.password)
    assert forms.post(f"/startups/{ref.slug}/delete", {"confirm": "y"}).status_code == 302
    assert not path.exists()


def test_a_logo_on_a_refused_registration_is_not_kept(app):
    from ecosystem.auth.models import User
    from ecosystem.startups.profiles import create_startup
    from ecosystem.startups.services import StartupData, StartupError

    founder = make_user(app)
    before = logo_files(app)
    with app.app_context(), pytest.raises(StartupError):
        create_startup(db.session.get(User, founder.id), StartupData(name="X", province="Thái Nguyên",
                                                                     locality_id=None),
                       logo_stream=io.BytesIO(image_bytes("PNG")))
    assert logo_files(app) == before

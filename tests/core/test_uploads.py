import io

import pytest
from flask_babel import force_locale
from PIL import Image, ImageFile

from ecosystem.auth.models import Role
from ecosystem.core.uploads import COVER, LOGO, UploadRejected, decode_image, delete_image, store_image, stored_path


def image_bytes(fmt: str, size=(600, 300), mode="RGB") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new(mode, size, (11, 93, 59)).save(buffer, fmt)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_accepted_formats_are_reencoded_to_a_fixed_size_webp(app, client, fmt):
    with app.app_context():
        name = store_image(image_bytes(fmt), LOGO)
        path = stored_path("logos", name)
        assert path is not None
        with Image.open(path) as stored:
            assert stored.format == "WEBP" and stored.size == LOGO.size
    response = client.get(f"/media/logos/{name}")
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    with app.app_context():
        delete_image(name)
    assert client.get(f"/media/logos/{name}").status_code == 404


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "PNG, JPEG or WebP"),
        (b"GIF89a" + b"\x00" * 100, "PNG, JPEG or WebP"),
        (b"just text pretending to be a .png", "PNG, JPEG or WebP"),
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, ""),
    ],
)
def test_anything_else_is_refused_with_a_message(app, payload, message):
    with app.app_context(), pytest.raises(UploadRejected) as refused:
        decode_image(io.BytesIO(payload))
    assert message in str(refused.value.message)


def test_gif_image_is_refused(app):
    with app.app_context(), pytest.raises(UploadRejected):
        decode_image(image_bytes("GIF"))


def test_files_over_2_mb_are_refused(app):
    with app.app_context(), pytest.raises(UploadRejected) as refused:
        decode_image(io.BytesIO(b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 10)))
    assert "2 MB" in str(refused.value.message)


def test_media_route_refuses_guessed_and_traversal_paths(client):
    for path in ["/media/logos/../../secret_key", "/media/logos/x.webp", "/media/other/" + "a" * 32 + ".webp",
                 "/media/logos/" + "a" * 32 + ".html", "/media/logos/%2e%2e%2fsecret_key"]:
        assert client.get(path).status_code == 404, path


def test_replacing_an_image_leaves_no_orphan_file(app):
    from ecosystem.core.uploads import saving_with_image

    with app.app_context():
        old = store_image(image_bytes("PNG"), LOGO)
        failed_new = store_image(image_bytes("PNG"), LOGO)
        with pytest.raises(RuntimeError), saving_with_image(old, failed_new) as kept:
            assert kept == failed_new
            raise RuntimeError("the save failed")
        assert stored_path("logos", failed_new) is None and stored_path("logos", old) is not None

        new = store_image(image_bytes("PNG"), LOGO)
        with saving_with_image(old, new) as kept:
            assert kept == new
        assert stored_path("logos", old) is None and stored_path("logos", new) is not None

        with saving_with_image(new, None, remove=True) as kept:
            assert kept is None
        assert stored_path("logos", new) is None


# --- Pixel count: a small file can claim a huge image ------------------------------------------------------


def pixel_bomb(width: int, height: int) -> bytes:
    """A real PNG, 1 bit per pixel and all one colour: a few kB on disk, `width` × `height` pixels decoded."""
    buffer = io.BytesIO()
    Image.new("1", (width, height), 1).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@pytest.fixture
def forbid_decoding(monkeypatch):
    """After calling it, the test fails if any image data is decoded (the refusal must come from the header)."""
    def refuse(self, *args, **kwargs):
        raise AssertionError(f"decoded a {self.size} image")

    def forbid() -> None:
        monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
        monkeypatch.setattr(Image.Image, "load", refuse)

    return forbid


@pytest.mark.parametrize("kind, size", [(LOGO, (6000, 6000)), (LOGO, (2001, 2000)), (COVER, (6000, 3000)),
                                        (COVER, (20_000, 20_000)), (LOGO, (20_000, 20_000))])
def test_an_image_with_too_many_pixels_for_its_use_is_refused_before_decoding(app, forbid_decoding, kind, size):
    data = pixel_bomb(*size)
    assert len(data) < 130 * 1024  # well under the 2 MB file limit
    forbid_decoding()
    with app.test_request_context(), force_locale("en"), pytest.raises(UploadRejected) as refused:
        decode_image(io.BytesIO(data), kind)
    assert "megapixels" in str(refused.value.message)


def test_the_limit_is_per_use(app):
    photo = pixel_bomb(3000, 2000)  # 6 megapixels: a cover, not a logo
    with app.app_context():
        assert decode_image(io.BytesIO(photo), COVER).size == (3000, 2000)
        with pytest.raises(UploadRejected):
            decode_image(io.BytesIO(photo), LOGO)
        assert decode_image(io.BytesIO(pixel_bomb(2000, 2000)), LOGO).size == (2000, 2000)


def test_a_pixel_bomb_logo_is_a_clear_422(app, client, auth, forms):
    from ecosystem.extensions import db
    from ecosystem.startups.models import Startup
    from tests.factories import make_user
    from tests.startups.test_views import form_fields

    founder = make_user(app, locale="en")
    auth.login(founder.email, founder.password)
    response = forms.post("/startups/new", {**form_fields(app), "logo": (io.BytesIO(pixel_bomb(6000, 6000)),
                                                                          "logo.png")}, form_page="/startups/new")
    assert response.status_code == 422
    assert "A logo may have at most 4 megapixels" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Startup)) == 0


def test_a_pixel_bomb_cover_is_a_clear_422(app, client, auth, forms):
    from ecosystem.events.models import Event
    from ecosystem.extensions import db
    from tests.events.test_management import GOOD_EVENT
    from tests.factories import make_user

    coordinator = make_user(app, roles=(Role.COORDINATOR,), locale="en")
    auth.login(coordinator.email, coordinator.password)
    bomb = {**GOOD_EVENT, "cover": (io.BytesIO(pixel_bomb(8000, 4000)), "cover.png")}
    response = forms.post("/events/new", bomb)
    assert response.status_code == 422
    assert "A cover image may have at most 16 megapixels" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Event)) == 0
    photo = {**GOOD_EVENT, "cover": (io.BytesIO(pixel_bomb(4000, 3000)), "cover.png")}  # a 12-megapixel photo
    assert forms.post("/events/new", photo).status_code == 302

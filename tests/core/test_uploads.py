import io

import pytest
from PIL import Image

from ecosystem.core.uploads import LOGO, UploadRejected, decode_image, delete_image, store_image, stored_path


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

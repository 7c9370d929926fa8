"""Every e-mail link is built from PUBLIC_BASE_URL, never from the Host header of the request that caused it."""

import re

import pytest

from tests.conftest import csrf_token_from
from tests.delegations.test_applications import application_form, startup_with_member
from tests.factories import make_call, make_user
from tests.smtp_server import text_body

PUBLIC = "https://khoinghiep.example.vn"
FORGED = {"HTTP_HOST": "attacker.example"}


@pytest.fixture
def public_base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", PUBLIC)


def post_through_forged_host(client, url: str, data: dict, form_page: str | None = None, **kwargs):
    """A browser that reached the site under another Host name (no TRUSTED_HOSTS set) posts a form."""
    page = client.get(form_page or url, environ_overrides=FORGED)
    payload = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), **data}
    return client.post(url, data=payload, environ_overrides=FORGED, **kwargs)


def links(message) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text_body(message))


def test_the_application_received_mail_links_to_the_public_address(app, client, mailbox, deliver_mail,
                                                                  public_base_url):
    call = make_call(app)
    startup, _member = startup_with_member(app)
    login = {"email": startup.owner.email, "password": startup.owner.password}
    assert post_through_forged_host(client, "/auth/login", login).status_code == 302
    response = post_through_forged_host(client, f"/techfest/{call.slug}/apply", application_form(startup.owner),
                                        content_type="multipart/form-data")
    assert response.status_code == 302
    deliver_mail()
    [message] = mailbox.wait_for(startup.owner.email)
    found = links(message)
    assert found and all(link.startswith(PUBLIC + "/") for link in found), found
    assert any("/techfest/applications/" in link for link in found)


def test_the_reset_mail_asked_through_a_forged_host_links_to_the_public_address(app, client, mailbox,
                                                                               deliver_mail, public_base_url):
    user = make_user(app)
    assert post_through_forged_host(client, "/auth/reset", {"email": user.email}).status_code == 302
    deliver_mail()
    [message] = mailbox.wait_for(user.email)
    found = links(message)
    assert found and all(link.startswith(PUBLIC + "/") for link in found), found


def test_absolute_links_are_built_only_by_external_url():
    """`url_for(..., _external=True)` takes the request's Host: only core/urls.py may call it (it does so only
    when PUBLIC_BASE_URL is unset, in development)."""
    from pathlib import Path

    import ecosystem

    root = Path(ecosystem.__file__).parent
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if "_external=True" in path.read_text(encoding="utf-8") and path != root / "core" / "urls.py"]
    templates = root.parent / "templates"
    offenders += [str(path.relative_to(templates)) for path in templates.rglob("*")
                  if path.is_file() and ("_external=True" in path.read_text(encoding="utf-8")
                                         or "request.host" in path.read_text(encoding="utf-8"))]
    assert offenders == []

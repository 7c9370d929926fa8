import pytest


@pytest.mark.parametrize("language, text", [("vi", "Không tìm thấy trang"), ("en", "Page not found")])
def test_not_found_page_in_both_languages(client, forms, language, text):
    forms.post("/language", {"lang": language, "next": "/"}, form_page="/")
    response = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_api_clients_get_json_errors(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    body = response.get_json()
    assert body["error"]["code"] == 404 and body["error"]["message"]


def test_upload_too_large_gets_413_page(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = client.post("/auth/login", data={"email": "x" * 5000}, headers={"Accept": "text/html"})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 16 * 1024 * 1024
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True) or "quá lớn" in response.get_data(as_text=True)


def test_unexpected_error_renders_500_page_without_details():
    from ecosystem import create_app

    fresh_app = create_app("testing", {"PROPAGATE_EXCEPTIONS": False})

    @fresh_app.get("/_test/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = fresh_app.test_client().get("/_test/boom", headers={"Accept": "text/html"})
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "secret internal detail" not in html
    assert "<h1>" in html


def test_method_not_allowed_is_a_clean_405(client):
    response = client.post("/", headers={"Accept": "text/html"})
    assert response.status_code == 405


def test_api_messages_follow_accept_language_and_default_to_vietnamese(app):
    plain = app.test_client()
    vietnamese = plain.get("/api/v1/startups/khong-co").get_json()["error"]["message"]
    english = plain.get("/api/v1/startups/khong-co", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert english.get_json()["error"]["message"] == "There is no public startup at this address."
    assert vietnamese != english.get_json()["error"]["message"]
    # Pages stay Vietnamese first whatever the browser asks.
    assert '<html lang="vi">' in plain.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)

from ecosystem.core.markdown import render_markdown
from ecosystem.core.text import fold, like_pattern, make_slug, search_terms


def test_fold_removes_vietnamese_diacritics_and_case():
    assert fold("Thái Nguyên") == "thai nguyen"
    assert fold("ĐẦU TƯ  Đại   Từ") == "dau tu dai tu"
    assert fold("Hồ Núi Cốc, Phú Lương") == "ho nui coc, phu luong"
    assert fold(None) == ""
    assert fold("a\x00b\x1f\x7fc") == "a b c"


def test_slugs_fold_vietnamese_letters():
    assert make_slug("Nông sản Đại Từ") == "nong-san-dai-tu"
    assert make_slug("Trà Tân Cương — Thái Nguyên!") == "tra-tan-cuong-thai-nguyen"
    assert make_slug("!!!") == "muc"
    assert len(make_slug("Đ" * 500)) <= 80


def test_search_terms_are_bounded_and_like_wildcards_escaped():
    assert search_terms("  Đầu   TƯ ") == ["dau", "tu"]
    assert len(search_terms("a " * 100)) == 8
    assert like_pattern("50%_x") == "%50\\%\\_x%"


def test_markdown_is_rendered_and_sanitised():
    html = str(render_markdown(
        "# Tiêu đề\n\n**đậm** <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n"
        "[xấu](javascript:alert(1)) [tốt](https://thainguyen.gov.vn)"
    ))
    assert "<h2>Tiêu đề</h2>" in html and "<h1>" not in html
    assert "<strong>đậm</strong>" in html
    assert "<script" not in html and "<img" not in html and "onerror" not in html.split("&lt;img")[0]
    assert 'href="javascript' not in html
    assert 'href="https://thainguyen.gov.vn" rel="nofollow noopener noreferrer ugc"' in html
    assert str(render_markdown("")) == ""


def test_external_urls_outside_requests_use_the_public_address(app):
    from ecosystem.core.urls import external_url

    with app.app_context():
        assert external_url("auth.login") == "http://localhost:5000/auth/login"
        app.config["PUBLIC_BASE_URL"] = "https://khoinghiep.example.vn"
        try:
            assert external_url("auth.login") == "https://khoinghiep.example.vn/auth/login"
        finally:
            app.config["PUBLIC_BASE_URL"] = ""

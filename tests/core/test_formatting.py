from datetime import UTC, datetime

from flask_babel import force_locale

from ecosystem.i18n import format_day, format_vnd, format_when


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_money_is_vnd_without_decimals(app):
    with app.test_request_context(), force_locale("vi"):
        assert plain(format_vnd(1_500_000)) == "1.500.000 ₫"
        assert plain(format_vnd(0)) == "0 ₫"
    with app.test_request_context(), force_locale("en"):
        assert plain(format_vnd(1_500_000)) == "₫1,500,000"


def test_times_are_shown_in_ho_chi_minh_city_time(app):
    moment = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)  # 00:30 on 2 March in Vietnam (UTC+7)
    with app.test_request_context(), force_locale("vi"):
        assert format_when(moment) == "00:30 02/03/2026"
        assert format_day(moment) == "02/03/2026"
    with app.test_request_context(), force_locale("en"):
        assert format_when(moment) == "2 Mar 2026, 00:30"


def test_utc_is_stored_and_read_back_aware(app):
    from ecosystem.auth.models import User
    from ecosystem.extensions import db
    from tests.factories import make_user

    user = make_user(app)
    with app.app_context():
        created = db.session.get(User, user.id).created_at
    assert created.tzinfo is not None and created.utcoffset().total_seconds() == 0

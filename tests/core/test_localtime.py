"""One local-time helper: naive times are Vietnam wall time, aware times keep their own zone."""

from datetime import UTC, datetime, timedelta, timezone

from ecosystem.core.localtime import LOCAL_ZONE, to_local, to_utc
from ecosystem.delegations import forms as delegation_forms
from ecosystem.events import management as event_management


def test_a_naive_time_is_vietnam_wall_time():
    assert to_utc(datetime(2026, 3, 1, 9, 0)) == datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    assert to_utc(None) is None


def test_an_aware_time_keeps_its_own_zone():
    paris_winter = timezone(timedelta(hours=1))
    assert to_utc(datetime(2026, 3, 1, 9, 0, tzinfo=paris_winter)) == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert to_utc(datetime(2026, 3, 1, 9, 0, tzinfo=UTC)) == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert to_utc(datetime(2026, 3, 1, 9, 0, tzinfo=LOCAL_ZONE)) == datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def test_to_local_is_naive_vietnam_wall_time():
    assert to_local(datetime(2026, 3, 1, 2, 0, tzinfo=UTC)) == datetime(2026, 3, 1, 9, 0)
    assert to_local(None) is None


def test_delegations_convert_an_aware_time_by_its_own_zone(app):
    """The delegations copy used to replace an aware time's zone with Vietnam's (a 7-hour shift for UTC)."""
    form_class = delegation_forms.CallForm
    with app.test_request_context():
        form = form_class(meta={"csrf": False})
        form.name.data, form.host_city.data = "Techfest", "Hà Nội"
        form.event_starts_on.data = datetime(2026, 5, 1, 1, 0, tzinfo=UTC)
        form.event_ends_on.data = datetime(2026, 5, 1, 8, 0)
        data = form.call_data()
    assert data.event_starts_on == datetime(2026, 5, 1, 1, 0, tzinfo=UTC)
    assert data.event_ends_on == datetime(2026, 5, 1, 1, 0, tzinfo=UTC)


def test_every_domain_uses_the_core_helper():
    assert delegation_forms.to_utc is to_utc
    assert event_management.to_utc is to_utc

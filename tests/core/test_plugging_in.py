"""Domains plug themselves in (issue 11): scheduled jobs, the menu and deletion guards are registries that
each domain's init_app adds to; create_app names no domain's blueprint, command or job."""

import inspect

import ecosystem
from ecosystem.core import guards, jobs, navigation


def test_each_domain_schedules_its_own_jobs(app):
    names = {job.name: job.every_seconds for job in jobs.scheduled_jobs(app)}
    assert names == {
        "ecosystem.events.cli.run_periodic_tasks": 600,
        "ecosystem.delegations.cli.run_periodic_tasks": 600,
        "ecosystem.delegations.cli.purge_pending_uploads": 600,
        "ecosystem.payments.cli.run_periodic_tasks": 600,
        "ecosystem.payments.cli.run_due_refunds": 60,
    }


def test_a_due_job_runs_once_per_period_and_a_failing_one_does_not_stop_the_others(app, monkeypatch, caplog):
    ran = []

    def failing():
        raise RuntimeError("boom")

    def counting():
        ran.append(1)

    monkeypatch.setitem(app.extensions, jobs.EXTENSION_KEY, [jobs.Job(failing, 600), jobs.Job(counting, 600)])
    last_run: dict = {}
    jobs.run_due_jobs(app, last_run)
    jobs.run_due_jobs(app, last_run)  # not due again yet
    assert ran == [1]
    assert "failing failed" in caplog.text


def test_the_menu_follows_the_positions_the_domains_gave(app):
    endpoints = [item.endpoint for item in app.extensions[navigation.EXTENSION_KEY]]
    assert endpoints == ["startups.index", "clubs.index", "events.index", "delegations.index", "directory.index"]


def test_deletion_guards_are_asked_in_order_and_the_first_reason_wins(app, monkeypatch):
    monkeypatch.setitem(app.extensions, guards.EXTENSION_KEY, {"thing": [lambda record: None,
                                                                          lambda record: f"keep {record}",
                                                                          lambda record: "never asked"]})
    with app.app_context():
        assert guards.deletion_refusal("thing", 7) == "keep 7"
        assert guards.deletion_refusal("other", 7) is None


def test_create_app_names_no_domain_blueprint_command_or_job():
    source = inspect.getsource(ecosystem.create_app)
    for word in ("register_blueprint", "add_command", "schedule", "cli", "views"):
        assert word not in source

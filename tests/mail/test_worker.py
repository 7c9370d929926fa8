"""The worker loop that `flask outbox run` and the in-process mode use."""

import threading

import pytest

from ecosystem.mail.worker import run_forever
from tests.mail.test_outbox import queue_test_mail


@pytest.mark.committing
def test_worker_loop_delivers_queued_mail_until_stopped(app, mailbox):
    app.config["OUTBOX_POLL_SECONDS"] = 0.05
    stop = threading.Event()
    worker = threading.Thread(target=run_forever, args=(app, stop), daemon=True)
    worker.start()
    try:
        queue_test_mail(app, "loop1@example.com")
        assert mailbox.wait_for("loop1@example.com")
        queue_test_mail(app, "loop2@example.com")  # picked up on a later poll
        assert mailbox.wait_for("loop2@example.com")
    finally:
        stop.set()
        worker.join(5)
        app.config["OUTBOX_POLL_SECONDS"] = 5
    assert not worker.is_alive()
    assert len(mailbox.messages) == 2

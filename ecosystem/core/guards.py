"""Deletion guards: how a higher domain keeps a lower domain's record that its own rows refer to.

A lower domain asks `deletion_refusal(kind, record)` before it deletes a record (its row locked, so nothing
refers to it meanwhile); a higher domain adds a guard for that kind from its `init_app`
(`add_deletion_guard(app, "startup", guard)`), so the lower domain never imports it. A guard returns the
reason to show (a lazy string), or None when it has nothing against the deletion. The foreign keys are
`RESTRICT` as the backstop: a guard only turns that refusal into a clear message.

Kinds in use: "startup" (a Startup), "team" (a student Team).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

EXTENSION_KEY = "ecosystem.deletion_guards"

DeletionGuard = Callable[[object], object | None]


def add_deletion_guard(app: Flask, kind: str, guard: DeletionGuard) -> None:
    app.extensions.setdefault(EXTENSION_KEY, {}).setdefault(kind, []).append(guard)


def deletion_refusal(kind: str, record: object):
    """The first reason a guard gives to keep `record`, or None."""
    for guard in current_app.extensions.get(EXTENSION_KEY, {}).get(kind, []):
        reason = guard(record)
        if reason is not None:
            return reason
    return None

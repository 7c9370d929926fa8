"""Factories for the directory domain."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ecosystem.auth.models import User
from ecosystem.directory.models import ComponentKind, ComponentStatus
from ecosystem.directory.services import ComponentData, create_component, suggest_component
from ecosystem.extensions import db

__all__ = ["ComponentRef", "make_component"]

_sequence = itertools.count(1)


@dataclass(frozen=True)
class ComponentRef:
    id: int
    slug: str
    name: str


def make_component(app, kind: ComponentKind | str = ComponentKind.INCUBATOR,
                   status: ComponentStatus | str = ComponentStatus.APPROVED, suggested_by: int | None = None,
                   **fields) -> ComponentRef:
    """A component created through the services.

    `status` approved: created by a coordinator; pending: suggested by `suggested_by` (a user id,
    required); rejected: suggested, then marked rejected. `fields` are those of `ComponentData`
    (`name`, `description`, `services` as a list, `locality_id`, ...) plus `logo` (a stream).
    """
    logo = fields.pop("logo", None)
    fields.setdefault("name", f"Vườn ươm thử nghiệm {next(_sequence)}")
    data = ComponentData(kind=str(kind), **fields)
    with app.app_context():
        if status == ComponentStatus.APPROVED:
            component = create_component(data, None, logo=logo)
        else:
            if suggested_by is None:
                raise ValueError("a suggestion needs suggested_by (a user id)")
            component = suggest_component(data, db.session.get(User, suggested_by), logo=logo)
            if status == ComponentStatus.REJECTED:
                component.status = ComponentStatus.REJECTED
                component.review_note = "Chưa đủ thông tin."
                db.session.commit()
        return ComponentRef(component.id, component.slug, component.name)

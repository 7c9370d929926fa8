"""Column types every domain shares: a status column the database checks."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def _values(enum_class: type[enum.Enum]) -> list[str]:
    return [member.value for member in enum_class]


def status_type(enum_class: type[enum.StrEnum], length: int, name: str = "status") -> Enum:
    """A VARCHAR(`length`) holding the values of `enum_class`, checked by the database.

    The stored strings are the members' values (not their names); the CHECK constraint is
    named by the naming convention, ck_<table>_<name>; Python refuses an unknown string before
    the database sees it, and reads the members back.
    """
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=length,
        values_callable=_values,
        name=name,
    )

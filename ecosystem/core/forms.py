"""Form pieces shared by the domains."""

from __future__ import annotations

from datetime import datetime

from flask import flash, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.validators import ValidationError
from wtforms.widgets import DateTimeLocalInput, NumberInput, TextInput

DATETIME_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


def strip_text(value):
    """WTForms filter: surrounding spaces removed from text input."""
    return value.strip() if isinstance(value, str) else value


class ButtonForm(FlaskForm):
    """A form with only its CSRF token: buttons that POST."""


class LocalDateTimeField(Field):
    """A date and time typed in Asia/Ho_Chi_Minh; `data` is a naive datetime, None when empty."""

    widget = DateTimeLocalInput()

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not raw:
            return
        if len(raw) <= 25:
            for pattern in DATETIME_FORMATS:
                try:
                    self.data = datetime.strptime(raw, pattern)  # noqa: DTZ007 - local wall time
                    return
                except ValueError:
                    continue
        raise ValueError(_l("Enter a date and time, for example 2026-05-20 08:30."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0][:25]
        return self.data.strftime("%Y-%m-%dT%H:%M") if self.data else ""


class WholeNumberField(Field):
    """A whole number typed as digits; `data` is an int, None when empty, -1 when not a number."""

    widget = NumberInput(min=0)

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip().replace(".", "").replace(",", "").replace(" ", "")
        if not raw:
            self.data = None
        elif raw.isascii() and raw.isdigit() and len(raw) <= 12:
            self.data = int(raw)
        else:
            self.data = -1

    def _value(self):
        return "" if self.data in (None, -1) else str(self.data)


class MoneyField(WholeNumberField):
    """An amount in đồng; a text box (numeric keypad on phones), so "1.200.000" can be typed as written."""

    widget = TextInput()

    def __init__(self, *args, **kwargs) -> None:
        render_kw = {"inputmode": "numeric", "autocomplete": "off", **(kwargs.pop("render_kw", None) or {})}
        super().__init__(*args, render_kw=render_kw, **kwargs)

    def _value(self):
        return "" if self.data in (None, -1) else f"{self.data:,}".replace(",", ".")


def number_between(low: int, high: int, message, required: bool = True):
    """Validator for WholeNumberField: one message for empty (when required), not a number and out of range."""
    def check(form, field):
        if field.data is None:
            if required:
                raise ValidationError(message)
            return
        if not low <= field.data <= high:
            raise ValidationError(message)

    return check


def form_status() -> int:
    """200 for a form shown, 422 for a form sent back with errors."""
    return 200 if request.method == "GET" else 422


def show_error(form, error) -> None:
    """Put a service error's message (`error.message`, `error.field`) next to its field, or at the top."""
    field = getattr(form, error.field, None) if getattr(error, "field", None) else None
    if field is not None and isinstance(getattr(field, "errors", None), list):
        field.errors = [*field.errors, str(error.message)]
    else:
        flash(str(error.message), "error")

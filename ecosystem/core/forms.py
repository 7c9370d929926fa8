"""Form pieces shared by the domains."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.widgets import DateTimeLocalInput

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

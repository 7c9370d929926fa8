"""Language choice and locale-aware formatting (dates in Asia/Ho_Chi_Minh, money in VND)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from babel.numbers import format_currency
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import force_locale, format_date, format_datetime, get_locale
from flask_login import current_user

SESSION_KEY = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    if request.path.startswith("/api/"):
        # API clients choose the language of messages with Accept-Language; pages stay Vietnamese first.
        return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def format_vnd(amount: int | Decimal | None) -> str:
    """`1.500.000 ₫` in Vietnamese, `₫1,500,000` in English; VND has no minor unit."""
    if amount is None:
        return ""
    return format_currency(int(amount), "VND", locale=current_language(), currency_digits=True)


# Day before month, 24-hour clock: how Vietnamese readers write dates.
DATETIME_FORMATS = {"vi": "HH:mm dd/MM/yyyy", "en": "d MMM yyyy, HH:mm"}
DATE_FORMATS = {"vi": "dd/MM/yyyy", "en": "d MMM yyyy"}


def format_when(value: datetime | None) -> str:
    """A UTC datetime shown in the configured time zone (Asia/Ho_Chi_Minh)."""
    if value is None:
        return ""
    return format_datetime(value, DATETIME_FORMATS.get(current_language(), DATETIME_FORMATS["vi"]))


def format_day(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_date(value, DATE_FORMATS.get(current_language(), DATE_FORMATS["vi"]))


# Event dates also name the weekday ("Thứ Bảy, 12/12/2026"): people plan around the day of the week.
WEEKDAY_DATETIME_FORMATS = {"vi": "HH:mm, EEEE, dd/MM/yyyy", "en": "EEEE d MMM yyyy, HH:mm"}
WEEKDAY_DATE_FORMATS = {"vi": "EEEE, dd/MM/yyyy", "en": "EEEE d MMM yyyy"}


def format_weekday_when(value: datetime | None) -> str:
    """An event's time with its weekday, in the configured time zone: `08:00, Thứ Bảy, 12/12/2026`."""
    if value is None:
        return ""
    return format_datetime(value, WEEKDAY_DATETIME_FORMATS.get(current_language(), WEEKDAY_DATETIME_FORMATS["vi"]))


def format_weekday_day(value: datetime | None) -> str:
    """An event's day with its weekday, in the configured time zone: `Thứ Bảy, 12/12/2026`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, WEEKDAY_DATE_FORMATS.get(current_language(), WEEKDAY_DATE_FORMATS["vi"]))
    return format_date(value, WEEKDAY_DATE_FORMATS.get(current_language(), WEEKDAY_DATE_FORMATS["vi"]))


def label_of(labels: dict, value: str) -> str:
    """The translated label of a stored value; the value itself when it has none (a retired choice)."""
    label = labels.get(value)
    return str(label) if label is not None else value


def labels_in_every_language(value: str, labels: dict) -> list[str]:
    """`value` and its label in each language, for search columns ("nong nghiep" and
    "agriculture" both find an agritech startup)."""
    words = [value]
    label = labels.get(value)
    if label is not None:
        for language in current_app.config["LANGUAGES"]:
            with force_locale(language):
                words.append(str(label))
    return list(dict.fromkeys(words))


def register_template_filters(app: Flask) -> None:
    app.add_template_filter(format_vnd, "vnd")
    app.add_template_filter(format_when, "datetime")
    app.add_template_filter(format_day, "date")
    app.add_template_filter(format_weekday_when, "weekday_datetime")
    app.add_template_filter(format_weekday_day, "weekday_date")
    app.add_template_global(current_language, "current_language")

"""Forms of the event pages. Every validator carries its own translated message.

The limits come from `services`, which checks the same rules again.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ecosystem.core.forms import LocalDateTimeField, MoneyField, WholeNumberField
from ecosystem.core.forms import number_between as _between
from ecosystem.core.forms import strip_text as _strip
from ecosystem.core.uploads import COVER, ImageFile
from ecosystem.core.validation import parse_id
from ecosystem.events import hooks, management, services, ticket_types
from ecosystem.events.models import Audience, QuestionKind
from ecosystem.places.services import offered_localities


def bank_choices(current_bank_bin: str | None = None) -> list[tuple[str, str]]:
    """The banks by name (their BIN as the value); the event's current bank stays offered if the list lost it."""
    choices = [("", str(_l("— no bank transfer —")))]
    choices += [(bank.bin, f"{bank.label} ({bank.bin})") for bank in hooks.banks()]
    if current_bank_bin and current_bank_bin not in {value for value, _ in choices}:
        choices.append((current_bank_bin, str(_l("Bank with BIN %(bin)s", bin=current_bank_bin))))
    return choices


def _required_time(message):
    def check(form, field):
        if field.data is None and not field.errors:
            raise ValidationError(message)

    return check


def kind_choices():
    return [(value, label) for value, label in services.KIND_LABELS.items()]


class EventForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip], validators=[
        DataRequired(message=_l("Please enter the event's title.")),
        Length(max=services.TITLE_MAX, message=_l("A title has at most %(max)d characters.", max=services.TITLE_MAX)),
    ])
    summary = StringField(_l("Summary (one or two sentences)"), filters=[_strip], validators=[
        Length(max=services.SUMMARY_MAX,
               message=_l("The summary has at most %(max)d characters.", max=services.SUMMARY_MAX)),
    ])
    description = TextAreaField(_l("Description (Markdown)"), filters=[_strip], validators=[
        Length(max=services.DESCRIPTION_MAX,
               message=_l("The description has at most %(max)d characters.", max=services.DESCRIPTION_MAX)),
    ])
    kind = SelectField(_l("Kind of event"), choices=kind_choices, validate_choice=False)
    starts_at = LocalDateTimeField(_l("Starts (Vietnam time)"),
                                   validators=[_required_time(_l("Please enter when the event starts."))])
    ends_at = LocalDateTimeField(_l("Ends (Vietnam time)"),
                                 validators=[_required_time(_l("Please enter when the event ends."))])
    venue_name = StringField(_l("Venue"), filters=[_strip], validators=[
        Length(max=services.VENUE_MAX,
               message=_l("The venue's name has at most %(max)d characters.", max=services.VENUE_MAX)),
    ])
    address = StringField(_l("Address"), filters=[_strip], validators=[
        Length(max=services.ADDRESS_MAX,
               message=_l("The address has at most %(max)d characters.", max=services.ADDRESS_MAX)),
    ])
    locality_id = SelectField(_l("Commune or ward"), validate_choice=False)
    online_url = StringField(_l("Online link (for online or hybrid events)"), filters=[_strip], validators=[
        Length(max=services.URL_MAX, message=_l("The online link starts with http:// or https://.")),
    ])
    cover = FileField(_l("Cover image (PNG, JPEG or WebP, at most 2 MB)"), validators=[ImageFile(COVER)])
    remove_cover = BooleanField(_l("Remove the cover image"))
    registration_opens_at = LocalDateTimeField(_l("Registration opens (optional)"))
    registration_closes_at = LocalDateTimeField(_l("Registration closes (optional)"))
    capacity = WholeNumberField(_l("Overall capacity (optional)"), validators=[
        _between(1, services.CAPACITY_MAX, _l("The capacity is a whole number from 1 to %(max)d, or empty.",
                                              max=services.CAPACITY_MAX), required=False),
    ])
    refund_deadline = LocalDateTimeField(_l("Refunds until (optional)"))
    bank_bin = SelectField(_l("Bank that holds the account"), validate_choice=False,
                           description=_l("Chosen by name; the bank's code (BIN) for the VietQR code is filled in."))
    bank_account_number = StringField(_l("Account number"), filters=[_strip], validators=[
        Length(max=19, message=_l("The account number has 4 to 19 digits.")),
    ])
    bank_account_name = StringField(_l("Account holder (as the bank writes it)"), filters=[_strip], validators=[
        Length(max=services.BANK_NAME_MAX, message=_l("The account holder's name has at most %(max)d characters.",
                                                      max=services.BANK_NAME_MAX)),
    ])

    def __init__(self, *args, current_locality=None, current_bank_bin=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", str(_l("— none —")))]
        choices += [(str(locality_id), name) for locality_id, name in offered_localities(current_locality)]
        self.locality_id.choices = choices
        self.bank_bin.choices = bank_choices(current_bank_bin)

    def validate_bank_bin(self, field):
        if field.data and field.data not in {value for value, _ in field.choices}:
            raise ValidationError(_l("Please choose the bank from the list."))

    def validate_kind(self, field):
        if field.data not in services.KIND_LABELS:
            raise ValidationError(_l("Please choose a kind of event from the list."))

    def validate_locality_id(self, field):
        if field.data and field.data not in {value for value, _ in field.choices}:
            raise ValidationError(_l("Please choose the commune or ward from the list."))

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The event ends after it starts."))

    def event_data(self) -> management.EventData:
        locality = self.locality_id.data
        return management.EventData(
            title=self.title.data or "", summary=self.summary.data or "", description=self.description.data or "",
            kind=self.kind.data, starts_at=self.starts_at.data, ends_at=self.ends_at.data,
            venue_name=self.venue_name.data, address=self.address.data,
            locality_id=int(locality) if locality and locality.isdigit() else None,
            online_url=self.online_url.data, registration_opens_at=self.registration_opens_at.data,
            registration_closes_at=self.registration_closes_at.data, capacity=self.capacity.data,
            refund_deadline=self.refund_deadline.data, bank_bin=self.bank_bin.data,
            bank_account_number=self.bank_account_number.data, bank_account_name=self.bank_account_name.data,
        )

    def cover_stream(self):
        data = self.cover.data
        return data.stream if data and getattr(data, "filename", "") else None


def audience_choices():
    return [(value, label) for value, label in services.AUDIENCE_LABELS.items()]


class TicketTypeForm(FlaskForm):
    name = StringField(_l("Ticket name"), filters=[_strip], validators=[
        DataRequired(message=_l("Please name the ticket type.")),
        Length(max=services.TICKET_NAME_MAX,
               message=_l("A ticket name has at most %(max)d characters.", max=services.TICKET_NAME_MAX)),
    ])
    description = StringField(_l("Short description (optional)"), filters=[_strip], validators=[
        Length(max=services.TICKET_DESCRIPTION_MAX, message=_l("The ticket description has at most %(max)d characters.",
                                                               max=services.TICKET_DESCRIPTION_MAX)),
    ])
    price_vnd = MoneyField(_l("Price in đồng (0 = free)"), default=0, validators=[
        _between(0, services.PRICE_MAX, _l("The price is a whole number of đồng from 0 (free) to 1,000,000,000.")),
    ])
    capacity = WholeNumberField(_l("Seats"), validators=[
        _between(1, services.CAPACITY_MAX,
                 _l("The capacity is a whole number from 1 to %(max)d.", max=services.CAPACITY_MAX)),
    ])
    per_person_limit = WholeNumberField(_l("Tickets one person may order"), default=1, validators=[
        _between(1, services.LIMIT_MAX,
                 _l("The limit per person is a whole number from 1 to %(max)d.", max=services.LIMIT_MAX)),
    ])
    audience = SelectField(_l("Who may buy it"), choices=audience_choices, default=Audience.EVERYONE,
                           validate_choice=False)
    requires_approval = BooleanField(_l("Organisers approve each registration"))

    def validate_audience(self, field):
        if field.data not in services.AUDIENCE_LABELS:
            raise ValidationError(_l("Please choose who may buy this ticket from the list."))

    def ticket_data(self) -> ticket_types.TicketTypeData:
        return ticket_types.TicketTypeData(
            name=self.name.data or "", description=self.description.data or "", price_vnd=self.price_vnd.data,
            capacity=self.capacity.data, per_person_limit=self.per_person_limit.data,
            audience=self.audience.data, requires_approval=bool(self.requires_approval.data),
        )


def question_kind_choices():
    return [(value, label) for value, label in services.QUESTION_KIND_LABELS.items()]


class QuestionForm(FlaskForm):
    label = StringField(_l("Question"), filters=[_strip], validators=[
        DataRequired(message=_l("Please write the question.")),
        Length(max=services.QUESTION_MAX,
               message=_l("A question has at most %(max)d characters.", max=services.QUESTION_MAX)),
    ])
    kind = SelectField(_l("Kind of answer"), choices=question_kind_choices, default=QuestionKind.TEXT,
                       validate_choice=False)
    choices = TextAreaField(_l("Choices, one a line (for a choice question)"), validators=[
        Length(max=services.CHOICES_MAX,
               message=_l("The choices have at most %(max)d characters.", max=services.CHOICES_MAX)),
    ])
    required = BooleanField(_l("An answer is required"))

    def validate_kind(self, field):
        if field.data not in services.QUESTION_KIND_LABELS:
            raise ValidationError(_l("Please choose a kind of question from the list."))

    def question_data(self) -> ticket_types.QuestionData:
        return ticket_types.QuestionData(label=self.label.data or "", kind=self.kind.data,
                                     choices=self.choices.data or "", required=bool(self.required.data))


class OrganiserForm(FlaskForm):
    email = EmailField(_l("E-mail of the organiser's account"), filters=[_strip], validators=[
        DataRequired(message=_l("Please enter an e-mail address.")),
        Length(max=254, message=_l("This is not a valid e-mail address.")),
    ])


class RegistrationForm(FlaskForm):
    """Registering oneself: the ticket type; the answers are read by `answers_from`."""

    ticket_type_id = SelectField(_l("Ticket"), validate_choice=False, validators=[Optional()])


def answers_from(formdata, event, prefix: str = "q") -> dict[int, str]:
    """The answers to the event's questions posted as `<prefix>-<question id>`."""
    return {question.id: (formdata.get(f"{prefix}-{question.id}") or "")[:5000] for question in event.questions}


def posted_int(formdata, name: str) -> int | None:
    return parse_id(formdata.get(name))

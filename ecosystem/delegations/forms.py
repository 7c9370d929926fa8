"""Forms of the delegation pages. The limits come from `services`, which checks the same rules again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ecosystem.core.forms import LocalDateTimeField, MoneyField, WholeNumberField, number_between
from ecosystem.core.forms import strip_text as _strip
from ecosystem.core.localtime import to_local, to_utc
from ecosystem.core.validation import PHONE_MAX, PHONE_MESSAGE, clean_phone, is_phone, parse_id
from ecosystem.delegations import allocations, applications, calls, documents, logistics, outcomes
from ecosystem.delegations.models import CallStatus
from ecosystem.delegations.review import REASON_MAX

_REQUIRED_DATE = _l("Please enter a date and time.")
_QUOTA_MESSAGE = _l("Please enter a number between 0 and %(max)d.", max=calls.QUOTA_MAX)
_QUOTA = number_between(0, calls.QUOTA_MAX, _QUOTA_MESSAGE)


class CallForm(FlaskForm):
    name = StringField(_l("Name of the call"), filters=[_strip], validators=[
        DataRequired(_l("Please enter the call's name.")),
        Length(max=calls.NAME_MAX, message=_l("At most %(max)d characters.", max=calls.NAME_MAX))])
    host_city = StringField(_l("Host city"), filters=[_strip], validators=[
        DataRequired(_l("Please enter the host city.")),
        Length(max=calls.CITY_MAX, message=_l("At most %(max)d characters.", max=calls.CITY_MAX))])
    event_starts_on = LocalDateTimeField(_l("Event starts (Vietnam time)"),
                                         validators=[InputRequired(_REQUIRED_DATE)])
    event_ends_on = LocalDateTimeField(_l("Event ends (Vietnam time)"), validators=[InputRequired(_REQUIRED_DATE)])
    description = TextAreaField(_l("Description (Markdown)"), validators=[
        Length(max=calls.TEXT_MAX, message=_l("At most %(max)d characters.", max=calls.TEXT_MAX))])
    criteria = TextAreaField(_l("Selection criteria (Markdown)"), validators=[
        Length(max=calls.TEXT_MAX, message=_l("At most %(max)d characters.", max=calls.TEXT_MAX))])
    required_documents = TextAreaField(_l("Required documents"), validators=[
        Length(max=calls.TEXT_MAX, message=_l("At most %(max)d characters.", max=calls.TEXT_MAX))])
    applications_open_at = LocalDateTimeField(_l("Applications open (Vietnam time)"),
                                              validators=[InputRequired(_REQUIRED_DATE)])
    applications_close_at = LocalDateTimeField(_l("Applications close (Vietnam time)"),
                                               validators=[InputRequired(_REQUIRED_DATE)])
    roster_locked_at = LocalDateTimeField(_l("Roster locked from (optional)"))
    total_booths = WholeNumberField(_l("Total booths"), default=0, validators=[_QUOTA])
    total_places = WholeNumberField(_l("Total participant places"), default=0, validators=[_QUOTA])
    status = SelectField(_l("Status"), choices=[
        SelectChoice(CallStatus.DRAFT.value, _l("Draft")), SelectChoice(CallStatus.OPEN.value, _l("Open")),
        SelectChoice(CallStatus.CLOSED.value, _l("Closed")),
    ])
    notice = FileField(_l("Official notice (công văn), PDF, at most 10 MB (optional)"),
                       description=_l("Shown on the call's page for anyone to download."))
    remove_notice = BooleanField(_l("Remove the attached notice"))

    def notice_stream(self):
        upload = self.notice.data
        return upload.stream if upload and getattr(upload, "filename", None) else None

    def call_data(self) -> calls.CallData:
        return calls.CallData(
            name=self.name.data, host_city=self.host_city.data,
            event_starts_on=to_utc(self.event_starts_on.data),
            event_ends_on=to_utc(self.event_ends_on.data),
            applications_open_at=to_utc(self.applications_open_at.data),
            applications_close_at=to_utc(self.applications_close_at.data),
            roster_locked_at=to_utc(self.roster_locked_at.data),
            description=self.description.data or "", criteria=self.criteria.data or "",
            required_documents=self.required_documents.data or "",
            total_booths=self.total_booths.data, total_places=self.total_places.data, status=self.status.data,
        )

    def fill_from(self, call) -> None:
        for name in ("name", "host_city", "description", "criteria", "required_documents", "total_booths",
                     "total_places", "status"):
            getattr(self, name).data = getattr(call, name)
        for name in ("event_starts_on", "event_ends_on", "applications_open_at", "applications_close_at",
                     "roster_locked_at"):
            getattr(self, name).data = to_local(getattr(call, name))


class AllocationRowForm(Form):
    """One allocation; a row left without a name is ignored."""

    id = HiddenField()
    name = StringField(_l("Allocation name"), filters=[_strip], validators=[
        Length(max=allocations.ALLOCATION_NAME_MAX,
               message=_l("At most %(max)d characters.", max=allocations.ALLOCATION_NAME_MAX))])
    unit_id = SelectField(_l("Nominating unit (optional)"), validate_choice=True)
    representative_email = StringField(_l("Representative's e-mail (optional)"), filters=[_strip],
                                       validators=[Length(max=254, message=_l("At most %(max)d characters.", max=254))])
    is_open_pool = BooleanField(_l("Open pool"))
    booths = WholeNumberField(_l("Booths"), default=0,
                              validators=[number_between(0, calls.QUOTA_MAX, _QUOTA_MESSAGE, required=False)])
    places = WholeNumberField(_l("Places"), default=0,
                              validators=[number_between(0, calls.QUOTA_MAX, _QUOTA_MESSAGE, required=False)])


class AllocationsForm(FlaskForm):
    rows = FieldList(FormField(AllocationRowForm), min_entries=1, max_entries=allocations.ROWS_MAX)

    def __init__(self, *args, units=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._unit_choices = [SelectChoice("", _l("None"))] + [SelectChoice(str(unit.id), unit.name)
                                                              for unit in units]
        self._set_choices()

    def _set_choices(self) -> None:
        for entry in self.rows:
            entry.form.unit_id.choices = self._unit_choices

    def fill_from(self, call, blank_rows: int = 3) -> None:
        while len(self.rows):
            self.rows.pop_entry()
        for allocation in call.allocations:
            self.rows.append_entry({
                "id": str(allocation.id), "name": allocation.name,
                "unit_id": str(allocation.unit_id) if allocation.unit_id else "",
                "representative_email": allocation.representative.email if allocation.representative else "",
                "is_open_pool": allocation.is_open_pool, "booths": allocation.booths, "places": allocation.places,
            })
        for _ in range(blank_rows):
            self.rows.append_entry({"booths": 0, "places": 0})
        self._set_choices()

    def inputs(self) -> list[allocations.AllocationInput]:
        rows = []
        for entry in self.rows:
            row = entry.form
            if not row.name.data:
                continue
            raw_id = row.id.data or ""
            rows.append(allocations.AllocationInput(
                name=row.name.data, booths=row.booths.data or 0, places=row.places.data or 0,
                unit_id=int(row.unit_id.data) if row.unit_id.data else None,
                representative_email=row.representative_email.data or None,
                is_open_pool=bool(row.is_open_pool.data),
                id=parse_id(raw_id),
            ))
        return rows


class CriterionRowForm(Form):
    """One criterion of the rubric; `id` is the criterion's (empty for a new row). A blank new row is ignored."""

    id = HiddenField()
    name = StringField(_l("Criterion"), filters=[_strip], validators=[
        Length(max=allocations.CRITERION_NAME_MAX,
               message=_l("At most %(max)d characters.", max=allocations.CRITERION_NAME_MAX))])
    weight = WholeNumberField(_l("Weight"), default=1, validators=[number_between(
        1, allocations.WEIGHT_MAX, _l("The weight is a whole number from 1 to %(max)d.", max=allocations.WEIGHT_MAX),
        required=False)])
    remove = BooleanField(_l("Remove this criterion and its scores"))


class RubricForm(FlaskForm):
    criteria = FieldList(FormField(CriterionRowForm), min_entries=1, max_entries=allocations.ROWS_MAX)
    reviewers = TextAreaField(
        _l("Invited reviewers: one e-mail address a line (they need an account)"),
        validators=[Length(max=calls.TEXT_MAX, message=_l("At most %(max)d characters.", max=calls.TEXT_MAX))])

    def fill_from(self, call, blank_rows: int = 2) -> None:
        while len(self.criteria):
            self.criteria.pop_entry()
        for item in call.criteria_items:
            self.criteria.append_entry({"id": str(item.id), "name": item.name, "weight": item.weight})
        for _ in range(blank_rows):
            self.criteria.append_entry({"weight": 1})
        self.reviewers.data = "\n".join(reviewer.user.email for reviewer in call.reviewers)

    def criterion_inputs(self) -> list[allocations.CriterionInput]:
        """The rows kept: a row ticked "remove" and a new row left without a name are left out."""
        items = []
        for index, entry in enumerate(self.criteria):
            row = entry.form
            criterion_id = parse_id(row.id.data)
            if row.remove.data or (criterion_id is None and not row.name.data):
                continue
            weight = row.weight.data
            items.append(allocations.CriterionInput(
                name=row.name.data or "", weight=1 if weight is None and criterion_id is None else weight,
                id=criterion_id, row=index,
            ))
        return items

    def reviewer_emails(self) -> list[str]:
        return [line.strip() for line in (self.reviewers.data or "").splitlines() if line.strip()]


class TravellerRowForm(Form):
    """One member who may travel; a row without a member chosen is ignored."""

    user_id = SelectField(_l("Member"), validate_choice=True)
    legal_name = StringField(_l("Name as on the ID card or passport"), filters=[_strip], validators=[
        Length(max=applications.LEGAL_NAME_MAX,
               message=_l("At most %(max)d characters.", max=applications.LEGAL_NAME_MAX))])
    role = StringField(_l("Role in the delegation"), filters=[_strip], validators=[
        Length(max=applications.TRAVELLER_ROLE_MAX,
               message=_l("At most %(max)d characters.", max=applications.TRAVELLER_ROLE_MAX))])
    phone = StringField(_l("Phone"), filters=[_strip], validators=[
        Length(max=PHONE_MAX, message=_l("At most %(max)d characters.", max=PHONE_MAX))])
    dietary_needs = StringField(_l("Dietary needs"), filters=[_strip], validators=[
        Length(max=applications.DIETARY_MAX, message=_l("At most %(max)d characters.", max=applications.DIETARY_MAX))])


class ApplicationForm(FlaskForm):
    product_name = StringField(_l("Product name"), filters=[_strip], validators=[
        DataRequired(_l("Please enter the product's name.")),
        Length(max=applications.PRODUCT_NAME_MAX,
               message=_l("At most %(max)d characters.", max=applications.PRODUCT_NAME_MAX))])
    product_description = TextAreaField(_l("Product description"), validators=[
        Length(max=applications.PRODUCT_DESCRIPTION_MAX,
               message=_l("At most %(max)d characters.", max=applications.PRODUCT_DESCRIPTION_MAX))])
    category = SelectField(_l("Category"), choices=[SelectChoice(key.value, label) for key, label in
                                                     calls.CATEGORY_LABELS.items()])
    allocation_id = SelectField(_l("Allocation"), validate_choice=True)
    travellers = FieldList(FormField(TravellerRowForm), min_entries=0, max_entries=applications.TRAVELLERS_MAX)
    booth_size = StringField(_l("Booth size (optional)"), filters=[_strip], validators=[
        Length(max=applications.BOOTH_SIZE_MAX,
               message=_l("At most %(max)d characters.", max=applications.BOOTH_SIZE_MAX))])
    needs_power = BooleanField(_l("Needs electric power"))
    needs_accommodation = BooleanField(_l("Needs accommodation"))
    other_needs = TextAreaField(_l("Other needs (optional)"), validators=[
        Length(max=applications.OTHER_NEEDS_MAX,
               message=_l("At most %(max)d characters.", max=applications.OTHER_NEEDS_MAX))])
    pitch_deck = FileField(_l("Pitch deck (PDF, at most 10 MB)"))
    # The token of the deck kept after a failed submit (documents.keep_pending_deck).
    deck_token = HiddenField()
    kept_deck = None  # that deck (a PendingUpload), set by the view

    def __init__(self, *args, call, applicant, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allocation_id.choices = [SelectChoice("", _l("Let the department decide"))] + [
            SelectChoice(str(a.id), allocations.allocation_label(a))
            for a in applications.allocation_choices(call, applicant)]
        self._member_choices = [SelectChoice("", _l("Does not travel"))] + [
            SelectChoice(str(user.id), f"{user.full_name} ({user.email})") for user in applicant.members]
        if not self.is_submitted():
            while len(self.travellers):
                self.travellers.pop_entry()
            for _ in applicant.members[:applications.TRAVELLERS_MAX]:
                self.travellers.append_entry()
        self._set_choices()

    def _set_choices(self) -> None:
        for entry in self.travellers:
            entry.form.user_id.choices = self._member_choices

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then each travelling row's name and phone, so that every row's mistakes are
        marked at once (the service checks the same again)."""
        valid = super().validate(extra_validators)
        chosen: set[str] = set()
        for number, entry in enumerate(self.travellers, start=1):
            row = entry.form
            if not row.user_id.data or row.user_id.errors:
                continue
            if row.user_id.data in chosen:
                row.user_id.errors.append(_l("Traveller %(row)d is listed twice.", row=number))
            chosen.add(row.user_id.data)
            if not row.legal_name.data and not row.legal_name.errors:
                row.legal_name.errors.append(_l("Please enter the name as on the ID card or passport."))
            if not is_phone(clean_phone(row.phone.data)) and not row.phone.errors:
                row.phone.errors.append(PHONE_MESSAGE)
        if any(entry.errors for entry in self.travellers):
            self.travellers.errors = [entry.errors for entry in self.travellers]
            valid = False
        return valid

    def fill_from(self, application) -> None:
        for name in ("product_name", "product_description", "category", "booth_size", "needs_power",
                     "needs_accommodation", "other_needs"):
            getattr(self, name).data = getattr(application, name)
        self.allocation_id.data = str(application.allocation_id) if application.allocation_id else ""
        for entry, traveller in zip(self.travellers, application.travellers, strict=False):
            entry.form.user_id.data = str(traveller.user_id)
            entry.form.legal_name.data = traveller.legal_name
            entry.form.role.data = traveller.role
            entry.form.phone.data = traveller.phone
            entry.form.dietary_needs.data = traveller.dietary_needs

    def application_data(self) -> applications.ApplicationData:
        travellers = [
            applications.TravellerData(
                user_id=parse_id(row.form.user_id.data), legal_name=row.form.legal_name.data or "",
                phone=row.form.phone.data or "", role=row.form.role.data or "",
                dietary_needs=row.form.dietary_needs.data or "", row=index,
            )
            for index, row in enumerate(self.travellers) if row.form.user_id.data
        ]
        return applications.ApplicationData(
            product_name=self.product_name.data, category=self.category.data,
            product_description=self.product_description.data or "",
            allocation_id=parse_id(self.allocation_id.data), booth_size=self.booth_size.data or "",
            needs_power=self.needs_power.data, needs_accommodation=self.needs_accommodation.data,
            other_needs=self.other_needs.data or "", travellers=travellers,
        )

    def deck_stream(self):
        upload = self.pitch_deck.data
        return upload.stream if upload and getattr(upload, "filename", None) else None

    def deck_filename(self) -> str:
        return documents.display_name(getattr(self.pitch_deck.data, "filename", None))


class NominationForm(FlaskForm):
    application_id = HiddenField()
    allocation_id = SelectField(_l("Into the allocation"), validate_choice=False)


class SwapForm(FlaskForm):
    traveller_id = SelectField(_l("Replace the traveller"), validate_choice=False)
    user_id = SelectField(_l("By the member"), validate_choice=False)
    legal_name = StringField(_l("Name as on the ID card or passport"), filters=[_strip], validators=[
        DataRequired(_l("Please enter the name as on the ID card or passport.")),
        Length(max=applications.LEGAL_NAME_MAX,
               message=_l("At most %(max)d characters.", max=applications.LEGAL_NAME_MAX))])
    role = StringField(_l("Role in the delegation"), filters=[_strip], validators=[
        Length(max=applications.TRAVELLER_ROLE_MAX,
               message=_l("At most %(max)d characters.", max=applications.TRAVELLER_ROLE_MAX))])
    phone = StringField(_l("Phone"), filters=[_strip], validators=[
        DataRequired(_l("Please enter a phone number.")),
        Length(max=PHONE_MAX, message=_l("At most %(max)d characters.", max=PHONE_MAX))])
    dietary_needs = StringField(_l("Dietary needs"), filters=[_strip], validators=[
        Length(max=applications.DIETARY_MAX, message=_l("At most %(max)d characters.", max=applications.DIETARY_MAX))])

    def __init__(self, *args, application=None, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        travellers = application.travellers if application is not None else []
        self.traveller_id.choices = [SelectChoice(str(t.id), t.legal_name) for t in travellers]
        self.user_id.choices = [SelectChoice(str(user.id), user.full_name) for user in members]


class ConflictForm(FlaskForm):
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=REASON_MAX)])


class DecisionForm(FlaskForm):
    decision = SelectField(
        _l("Decision"),
        choices=[SelectChoice("", _l("Choose a decision")), SelectChoice("accept", _l("Accept")),
                 SelectChoice("reserve", _l("Reserve list")), SelectChoice("reject", _l("Reject"))],
        default="",
        validators=[InputRequired(_l("Choose a decision: accept, reserve list or reject."))],
    )
    # Choices are the call's allocations, set by the view; empty keeps the application's own.
    allocation_id = SelectField(_l("Into the allocation"), default="", validate_choice=True)
    rank = WholeNumberField(_l("Reserve rank"), validators=[
        number_between(1, 9999, _l("The reserve rank is a whole number from 1."), required=False)])
    message = TextAreaField(_l("Message to the applicant"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, call=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allocation_id.choices = [SelectChoice("", _l("As nominated"))] + [
            SelectChoice(str(allocation.id), allocations.allocation_label(allocation))
            for allocation in (call.allocations if call else [])
        ]


class LogisticsForm(FlaskForm):
    travel_arrangements = TextAreaField(_l("Travel and lodging arrangements"), validators=[
        Length(max=logistics.ARRANGEMENTS_MAX,
               message=_l("At most %(max)d characters.", max=logistics.ARRANGEMENTS_MAX))])
    travel_cost_vnd = MoneyField(_l("Travel cost (đồng)"), default=0, validators=[
        number_between(0, logistics.COST_MAX_VND, _l("Please enter the cost in đồng, 0 if none."))])
    lodging_cost_vnd = MoneyField(_l("Lodging cost (đồng)"), default=0, validators=[
        number_between(0, logistics.COST_MAX_VND, _l("Please enter the cost in đồng, 0 if none."))])


_COUNT = number_between(0, outcomes.COUNT_MAX, _l("Please enter a whole number from 0 to %(max)d.",
                                                   max=outcomes.COUNT_MAX), required=False)


class OutcomesForm(FlaskForm):
    outcome_contacts = WholeNumberField(_l("Business contacts made"), validators=[_COUNT])
    outcome_mous = WholeNumberField(_l("Memoranda of understanding (MoU) signed"), validators=[_COUNT])
    outcome_investment_offers = WholeNumberField(_l("Investment offers received"), validators=[_COUNT])
    outcome_awards = TextAreaField(_l("Awards and prizes (optional)"), filters=[_strip], validators=[
        Length(max=outcomes.AWARDS_MAX, message=_l("At most %(max)d characters.", max=outcomes.AWARDS_MAX))])


class _DateField(DateField):
    """A date field whose refusal is translated like the rest of the form."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Please enter the date of the decision.")) from None


class DecisionDetailsForm(FlaskForm):
    """The decision letter's number and symbol, date and signer, as registered by the department."""

    number = StringField(_l("Number and symbol"), filters=[_strip], description=_l("For example 123/QĐ-SKHCN."),
                         validators=[Length(max=calls.DECISION_NUMBER_MAX,
                                            message=_l("At most %(max)d characters.",
                                                       max=calls.DECISION_NUMBER_MAX))])
    date = _DateField(_l("Date of the decision"), validators=[Optional()])
    signer_name = StringField(_l("Signed by (full name)"), filters=[_strip], validators=[
        Length(max=calls.SIGNER_NAME_MAX, message=_l("At most %(max)d characters.", max=calls.SIGNER_NAME_MAX))])
    signer = SelectField(_l("Who signs"), choices=[
        SelectChoice("director", _l("The director")),
        SelectChoice("deputy", _l("A deputy director, on the director's behalf (KT.)")),
    ])

    def fill_from(self, call) -> None:
        self.number.data = call.decision_number or ""
        self.date.data = call.decision_date
        self.signer_name.data = call.decision_signer_name or ""
        self.signer.data = "deputy" if call.decision_signed_on_behalf else "director"

    def details(self) -> calls.DecisionDetails:
        return calls.DecisionDetails(number=self.number.data or "", date=self.date.data,
                                        signer_name=self.signer_name.data or "",
                                        signed_on_behalf=self.signer.data == "deputy")

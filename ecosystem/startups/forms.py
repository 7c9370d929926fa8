"""Forms of the startup pages. Every validator carries its own translated message.

The limits and formats come from `services`, which checks the same rules again.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from ecosystem.core.uploads import ImageFile
from ecosystem.core.validation import EMAIL_MAX, PHONE_MAX, PHONE_MESSAGE, PHONE_PATTERN, clean_phone
from ecosystem.places.provinces import HOME_PROVINCE, PROVINCES
from ecosystem.places.services import offered_localities
from ecosystem.startups import services
from ecosystem.startups.models import VERIFICATION_NOTE_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _without_separators(value):
    return clean_phone(value) if isinstance(value, str) else value


def _optional_int(value):
    """'' → None, '2021' → 2021, anything else → -1 (refused by the field's validator)."""
    if value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    value = str(value).strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else -1


class YearField(StringField):
    """A year typed as digits; `data` is an int, None when empty, -1 when not a year."""

    def process_formdata(self, valuelist):
        self.data = _optional_int(valuelist[0]) if valuelist else None

    def _value(self):
        return "" if self.data in (None, -1) else str(self.data)


def _check_founded_year(form, field):
    if field.data is None:
        return
    last = services.current_year()
    if not services.FIRST_FOUNDING_YEAR <= field.data <= last:
        raise ValidationError(
            _l("Enter a year from %(first)d to %(last)d.", first=services.FIRST_FOUNDING_YEAR, last=last)
        )


def _check_website(form, field):
    if field.data and not services.valid_website(field.data):
        raise ValidationError(_l("The website starts with http:// or https://, for example https://example.vn."))


def _choice_in(allowed, message):
    def check(form, field):
        if field.data not in allowed:
            raise ValidationError(message)

    return check


class StartupForm(FlaskForm):
    name = StringField(
        _l("Name of the startup"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Please enter the startup's name.")),
            Length(max=services.NAME_MAX, message=_l("A name has at most %(max)d characters.", max=services.NAME_MAX)),
        ],
        render_kw={"maxlength": services.NAME_MAX, "autocomplete": "organization"},
    )
    tagline = StringField(
        _l("Tagline"),
        filters=[_strip],
        validators=[
            Length(max=services.TAGLINE_MAX,
                   message=_l("The tagline has at most %(max)d characters.", max=services.TAGLINE_MAX)),
        ],
        description=_l("One sentence: what you do and for whom."),
        render_kw={"maxlength": services.TAGLINE_MAX},
    )
    description = TextAreaField(
        _l("Description"),
        filters=[_strip],
        validators=[
            Length(max=services.DESCRIPTION_MAX,
                   message=_l("The description has at most %(max)d characters.", max=services.DESCRIPTION_MAX)),
        ],
        description=_l("Markdown: **bold**, *italic*, lists, links. No images or HTML."),
        render_kw={"rows": 10, "maxlength": services.DESCRIPTION_MAX},
    )
    sector = SelectField(
        _l("Sector"),
        validate_choice=False,
        validators=[_choice_in(services.STARTUP_FACETS["sector"], _l("Please choose a sector from the list."))],
    )
    stage = SelectField(
        _l("Stage"),
        validate_choice=False,
        validators=[_choice_in(services.STARTUP_FACETS["stage"], _l("Please choose a stage from the list."))],
    )
    founded_year = YearField(
        _l("Founding year"),
        validators=[_check_founded_year],
        render_kw={"inputmode": "numeric", "maxlength": 4, "autocomplete": "off"},
    )
    province = SelectField(
        _l("Province or city"),
        validate_choice=False,
        default=HOME_PROVINCE,
        choices=[SelectChoice(province, province) for province in PROVINCES],
        validators=[_choice_in(frozenset(PROVINCES), _l("Please choose a province from the list."))],
    )
    locality_id = SelectField(
        _l("Commune or ward in Thái Nguyên"),
        validate_choice=False,
        coerce=_optional_int,
        description=_l("Since 1 July 2025 there are no districts: choose the commune (xã) or ward (phường)."),
    )
    locality_text = StringField(
        _l("Commune or ward (other provinces)"),
        filters=[_strip],
        validators=[
            Length(max=services.LOCALITY_TEXT_MAX,
                   message=_l("The commune or ward has at most %(max)d characters.", max=services.LOCALITY_TEXT_MAX)),
        ],
        description=_l("Only for startups outside Thái Nguyên."),
    )
    website = StringField(
        _l("Website"),
        filters=[_strip],
        validators=[_check_website],
        render_kw={"inputmode": "url", "autocomplete": "url", "placeholder": "https://"},
    )
    contact_email = EmailField(
        _l("Contact e-mail"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=EMAIL_MAX, message=_l("An e-mail address has at most 254 characters.")),
            Email(message=_l("This is not a valid e-mail address."), granular_message=False),
        ],
        description=_l("Shown on the public profile."),
        render_kw={"autocomplete": "email"},
    )
    contact_phone = StringField(
        _l("Contact phone"),
        filters=[_without_separators],
        validators=[
            Optional(),
            Length(max=PHONE_MAX, message=PHONE_MESSAGE),
            Regexp(PHONE_PATTERN, message=PHONE_MESSAGE),
        ],
        description=_l("Shown on the public profile. For example 0912 345 678 or +84 912 345 678."),
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    tax_code = StringField(
        _l("Tax code (MST)"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=14, message=_l("A tax code (MST) has 10 digits, or 10 digits, a dash and 3 digits "
                                      "(0101234567-001).")),
            Regexp(services.TAX_CODE_PATTERN,
                   message=_l("A tax code (MST) has 10 digits, or 10 digits, a dash and 3 digits (0101234567-001).")),
        ],
        description=_l("Optional. 10 digits, or 13 with a branch number: 4601234567 or 4601234567-001."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    logo = FileField(
        _l("Logo"),
        validators=[ImageFile()],
        description=_l("PNG, JPEG or WebP, at most 2 MB. It is resized to 256 × 256 pixels."),
        render_kw={"accept": "image/png,image/jpeg,image/webp"},
    )
    is_public = BooleanField(_l("Show this profile to the public"), default=True)

    def __init__(self, *args, locked: bool = False, current_locality=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sector.choices = [SelectChoice("", _l("Choose…")), *sector_choices_for_filter()]
        self.stage.choices = [SelectChoice("", _l("Choose…")), *stage_choices_for_filter()]
        # A commune retired by the department since: the profile may keep it, nobody new may choose it.
        self.locality_id.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(locality_id, name) for locality_id, name in offered_localities(current_locality)
        ]
        self.locked = locked
        if locked:
            # Verified: name and tax code change only through the department.
            for field in (self.name, self.tax_code):
                field.render_kw = {**(field.render_kw or {}), "readonly": True}
                field.description = _l("Verified by the department: ask a coordinator to change it.")

    def validate_locality_id(self, field):
        if self.province.data != HOME_PROVINCE:
            return
        if field.data is None or field.data == -1 or field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Please choose the commune or ward from the list."))

    def validate_locality_text(self, field):
        if self.province.data != HOME_PROVINCE and not field.data:
            raise ValidationError(_l("Please enter the commune or ward (startups outside Thái Nguyên)."))

    def startup_data(self) -> services.StartupData:
        at_home = self.province.data == HOME_PROVINCE
        return services.StartupData(
            name=self.name.data or "",
            tagline=self.tagline.data or "",
            description=self.description.data or "",
            sector=self.sector.data,
            stage=self.stage.data,
            founded_year=self.founded_year.data,
            province=self.province.data,
            locality_id=self.locality_id.data if at_home else None,
            locality_text=None if at_home else self.locality_text.data,
            website=self.website.data or None,
            contact_email=self.contact_email.data or None,
            contact_phone=self.contact_phone.data or None,
            tax_code=self.tax_code.data or None,
            is_public=bool(self.is_public.data),
        )

    def logo_stream(self):
        upload = self.logo.data
        return upload.stream if upload is not None and getattr(upload, "filename", None) else None


class EditStartupForm(StartupForm):
    remove_logo = BooleanField(_l("Remove the current logo"))


class InviteForm(FlaskForm):
    email = EmailField(
        _l("E-mail address of the co-founder"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Please enter an e-mail address.")),
            Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
            Email(message=_l("This is not a valid e-mail address."), granular_message=False),
        ],
        render_kw={"autocomplete": "email"},
    )


class TransferForm(FlaskForm):
    member_id = SelectField(_l("New owner"), validate_choice=False, coerce=_optional_int)

    def __init__(self, *args, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.member_id.choices = [SelectChoice("", _l("Choose a member…"))] + [
            SelectChoice(member.id, member.user.full_name) for member in members
        ]

    def validate_member_id(self, field):
        if field.data is None or field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Ownership can only go to a member of the startup."))


class VerifyForm(FlaskForm):
    """The confirmation step of a verification: the coordinator's note and their word that they checked."""

    note = TextAreaField(
        _l("Note for the department"),
        filters=[_strip],
        validators=[
            Length(max=VERIFICATION_NOTE_MAX,
                   message=_l("A note has at most %(max)d characters.", max=VERIFICATION_NOTE_MAX)),
        ],
        description=_l("What you checked and against which document. Seen by coordinators only, never public."),
        render_kw={"rows": 4, "maxlength": VERIFICATION_NOTE_MAX},
    )
    confirm = BooleanField(
        _l("I checked the tax code, the contact and the commune or ward against the startup's documents."),
        validators=[DataRequired(message=_l("Please tick the box to confirm."))],
    )


class DeleteForm(FlaskForm):
    confirm = BooleanField(
        _l("I understand that the profile, its members and its logo are deleted for good."),
        validators=[DataRequired(message=_l("Please tick the box to confirm."))],
    )


def sector_choices_for_filter() -> list[SelectChoice]:
    return [SelectChoice(sector.value, label) for sector, label in services.SECTOR_LABELS.items()]


def stage_choices_for_filter() -> list[SelectChoice]:
    return [SelectChoice(stage.value, label) for stage, label in services.STAGE_LABELS.items()]


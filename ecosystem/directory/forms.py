"""Forms of the directory: a component (create, edit, suggest), a review decision, startup links."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ecosystem.core.uploads import ImageFile
from ecosystem.core.validation import EMAIL_MAX
from ecosystem.directory.models import ComponentKind
from ecosystem.directory.services import (
    ADDRESS_MAX,
    DESCRIPTION_MAX,
    KIND_LABELS,
    NAME_MAX,
    REVIEW_NOTE_MAX,
    WEBSITE_MAX,
    ComponentData,
    split_services,
)
from ecosystem.places.provinces import HOME_PROVINCE, PROVINCES
from ecosystem.places.services import offered_localities

SERVICES_FIELD_MAX = 1000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ComponentForm(FlaskForm):
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Please enter the name.")),
            Length(max=NAME_MAX, message=_l("A name has at most %(max)d characters.", max=NAME_MAX)),
        ],
        description=_l("The full official name, for example “Trường Đại học Nông Lâm”."),
    )
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice("", _l("Choose a kind"))]
        + [SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validate_choice=False,
    )
    description = TextAreaField(
        _l("Description"),
        validators=[
            Length(max=DESCRIPTION_MAX, message=_l("The description has at most %(max)d characters.",
                                                    max=DESCRIPTION_MAX)),
        ],
        description=_l("What it does and for whom. You may use Markdown: **bold**, lists, links."),
        render_kw={"rows": 8},
    )
    services = StringField(
        _l("Services offered"),
        filters=[_strip],
        validators=[
            Length(max=SERVICES_FIELD_MAX, message=_l("The list of services has at most %(max)d characters.",
                                                      max=SERVICES_FIELD_MAX)),
        ],
        description=_l("Separated by commas, for example “ươm tạo, đầu tư thiên thần, cố vấn pháp lý”."),
    )
    address = StringField(
        _l("Address"),
        filters=[_strip],
        validators=[Length(max=ADDRESS_MAX, message=_l("An address has at most %(max)d characters.",
                                                       max=ADDRESS_MAX))],
        render_kw={"autocomplete": "street-address"},
    )
    province = SelectField(_l("Province or city"), choices=[SelectChoice(name, name) for name in PROVINCES],
                           default=HOME_PROVINCE, validate_choice=False)
    locality_id = SelectField(
        _l("Commune or ward"), validate_choice=False,
        description=_l("Only for places in %(province)s.", province=HOME_PROVINCE),
    )
    website = StringField(
        _l("Website"),
        filters=[_strip],
        validators=[Length(max=WEBSITE_MAX, message=_l("A web address has at most %(max)d characters.",
                                                       max=WEBSITE_MAX))],
        render_kw={"inputmode": "url", "autocomplete": "url"},
        description=_l("For example https://example.vn"),
    )
    contact_email = EmailField(
        _l("Contact e-mail"),
        filters=[_strip],
        validators=[Length(max=EMAIL_MAX, message=_l("An e-mail address has at most %(max)d characters.",
                                                     max=EMAIL_MAX))],
        render_kw={"autocomplete": "email"},
    )
    contact_phone = StringField(
        _l("Contact phone"),
        filters=[_strip],
        validators=[Length(max=30, message=_l("This is not a valid Vietnamese phone number."))],
        render_kw={"inputmode": "tel", "autocomplete": "tel"},
        description=_l("For example 0208 3851 234 or +84 912 345 678."),
    )
    logo = FileField(
        _l("Logo"), validators=[ImageFile()],
        description=_l("PNG, JPEG or WebP, at most 2 MB. It is resized to a square."),
        render_kw={"accept": "image/png,image/jpeg,image/webp"},
    )

    def __init__(self, *args, current_locality=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        localities = offered_localities(current_locality)
        self.locality_id.choices = [SelectChoice("", _l("None or outside the province"))] + [
            SelectChoice(str(locality_id), name) for locality_id, name in localities
        ]
        self._locality_ids = {str(locality_id) for locality_id, _name in localities}

    def validate_kind(self, field) -> None:
        if field.data not in {kind.value for kind in ComponentKind}:
            raise ValidationError(_l("Please choose a kind from the list."))

    def validate_province(self, field) -> None:
        if field.data not in PROVINCES:
            raise ValidationError(_l("Please choose a province from the list."))

    def validate_locality_id(self, field) -> None:
        if field.data and field.data not in self._locality_ids:
            raise ValidationError(_l("Please choose a commune or ward from the list."))
        if field.data and self.province.data != HOME_PROVINCE:
            raise ValidationError(_l("Choose a commune or ward only for %(province)s.", province=HOME_PROVINCE))

    def to_data(self) -> ComponentData:
        return ComponentData(
            name=self.name.data or "",
            kind=self.kind.data or "",
            description=self.description.data or "",
            services=split_services(self.services.data),
            address=self.address.data,
            province=self.province.data,
            locality_id=int(self.locality_id.data) if self.locality_id.data else None,
            website=self.website.data,
            contact_email=self.contact_email.data,
            contact_phone=self.contact_phone.data,
        )

    def fill_from(self, component) -> None:
        """Show a stored component in the form (GET of the edit page)."""
        for name in ("name", "kind", "description", "address", "province", "website", "contact_email",
                     "contact_phone"):
            getattr(self, name).data = getattr(component, name)
        self.services.data = ", ".join(service.name for service in component.services)
        self.locality_id.data = str(component.locality_id) if component.locality_id else ""


class EditComponentForm(ComponentForm):
    remove_logo = BooleanField(_l("Remove the current logo"))


class ReviewForm(FlaskForm):
    """One per suggestion on the review page (fields prefixed `c<id>-` so their ids stay unique).

    The page's plain `csrf_token` field is checked by CSRFProtect for every POST.
    """

    class Meta:
        csrf = False

    note = TextAreaField(
        _l("Note to the suggester"),
        validators=[
            Optional(),
            Length(max=REVIEW_NOTE_MAX, message=_l("A note has at most %(max)d characters.", max=REVIEW_NOTE_MAX)),
        ],
        description=_l("Required when you reject: say why. It is sent by e-mail."),
        render_kw={"rows": 3},
    )
    approve = SubmitField(_l("Approve"))
    reject = SubmitField(_l("Reject"))


class StartupLinkForm(FlaskForm):
    startup_id = StringField(validators=[DataRequired(message=_l("Please choose a startup."))])

    def validate_startup_id(self, field) -> None:
        if not (field.data.isascii() and field.data.isdigit()) or len(field.data) > 9:
            raise ValidationError(_l("Please choose a startup."))


class DeleteForm(FlaskForm):
    """A button with a CSRF token."""

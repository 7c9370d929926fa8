"""Club, invitation, team and conversion forms. Every validator carries its own translated message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ecosystem.clubs.models import MAX_BULK_INVITATIONS
from ecosystem.core.uploads import ImageFile
from ecosystem.core.validation import parse_id
from ecosystem.places.provinces import HOME_PROVINCE
from ecosystem.startups.models import Sector, Stage
from ecosystem.startups.services import SECTOR_LABELS, STAGE_LABELS

CLUB_NAME_MAX = 160
TEAM_NAME_MAX = 120
DESCRIPTION_MAX = 10_000
IDEA_MAX = 5_000


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _allowed_values(field) -> set[str]:
    return {choice.value for choice in field.choices or [] if choice.value}


class ClubForm(FlaskForm):
    name = StringField(
        _l("Name of the club"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Please enter the name of the club.")),
            Length(max=CLUB_NAME_MAX, message=_l("A name has at most %(max)d characters.", max=CLUB_NAME_MAX)),
        ],
        description=_l("For example “Câu lạc bộ Khởi nghiệp Đại học Nông Lâm”."),
    )
    university = SelectField(_l("University"), validate_choice=False)
    description = TextAreaField(
        _l("About the club"),
        validators=[
            Length(max=DESCRIPTION_MAX, message=_l("The text has at most %(max)d characters.", max=DESCRIPTION_MAX)),
        ],
        description=_l("What the club does, who may join, when it meets. Markdown is allowed."),
        render_kw={"rows": 8},
    )
    contact_email = EmailField(
        _l("Contact e-mail"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
            Email(message=_l("This is not a valid e-mail address."), granular_message=False),
        ],
        description=_l("Shown on the club page. Optional."),
    )
    logo = FileField(
        _l("Logo"), validators=[ImageFile()],
        description=_l("PNG, JPEG or WebP, at most 2 MB."),
        render_kw={"accept": "image/png,image/jpeg,image/webp"},
    )
    remove_logo = BooleanField(_l("Remove the current logo"))

    def set_universities(self, universities) -> None:
        self.university.choices = [SelectChoice("", _l("Choose a university"))] + [
            SelectChoice(str(university.id), university.name) for university in universities
        ]

    def validate_university(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Please choose the university of the club."))
        if field.data not in _allowed_values(field):
            raise ValidationError(_l("Choose a university from the list."))

    @property
    def university_id(self) -> int | None:
        return parse_id(self.university.data)


class InviteForm(FlaskForm):
    email = TextAreaField(
        _l("E-mail addresses of the students"),
        validators=[
            DataRequired(message=_l("Please enter an e-mail address.")),
            Length(max=MAX_BULK_INVITATIONS * 300,
                   message=_l("At most %(max)d addresses at a time.", max=MAX_BULK_INVITATIONS)),
        ],
        description=_l("One address, or several separated by commas or new lines (at most %(max)d). Each "
                       "receives a link to join the club; it works for that address only.",
                       max=MAX_BULK_INVITATIONS),
        render_kw={"autocomplete": "off", "rows": 4, "spellcheck": "false", "autocapitalize": "off"},
    )


class TeamForm(FlaskForm):
    name = StringField(
        _l("Name of the team"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Please enter the name of the team.")),
            Length(max=TEAM_NAME_MAX, message=_l("A name has at most %(max)d characters.", max=TEAM_NAME_MAX)),
        ],
    )
    idea = TextAreaField(
        _l("Idea"),
        validators=[Length(max=IDEA_MAX, message=_l("The text has at most %(max)d characters.", max=IDEA_MAX))],
        description=_l("The problem, who has it and how the team wants to solve it. Markdown is allowed."),
        render_kw={"rows": 6},
    )
    members = SelectMultipleField(
        _l("Members of the team"),
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    lead = SelectField(_l("Team lead"), validate_choice=False, description=_l("One of the members chosen above."))
    mentor_wanted = BooleanField(_l("The team is looking for a mentor"))

    def set_club_members(self, club_members) -> None:
        choices = [SelectChoice(str(member.user_id), member.user.full_name) for member in club_members]
        self.members.choices = choices
        self.lead.choices = [SelectChoice("", _l("Choose the team lead")), *choices]

    def validate_members(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one member."))
        if any(parse_id(value) is None for value in field.data) or len(field.data) > 200:
            raise ValidationError(_l("Only members of the club can join its teams."))

    def validate_lead(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose the team lead."))
        if field.data not in (self.members.data or []):
            raise ValidationError(_l("The team lead must be one of the members of the team."))

    @property
    def member_ids(self) -> list[int]:
        return [parse_id(value) for value in self.members.data or []]

    @property
    def lead_id(self) -> int | None:
        return parse_id(self.lead.data)


class ConvertForm(FlaskForm):
    name = StringField(
        _l("Name of the startup"),
        filters=[_strip],
        validators=[
            DataRequired(message=_l("Please enter the name of the startup.")),
            Length(max=TEAM_NAME_MAX, message=_l("A name has at most %(max)d characters.", max=TEAM_NAME_MAX)),
        ],
    )
    sector = SelectField(
        _l("Sector"),
        choices=[SelectChoice("", _l("Choose a sector"))]
        + [SelectChoice(sector.value, label) for sector, label in SECTOR_LABELS.items()],
        validate_choice=False,
    )
    stage = SelectField(
        _l("Stage"),
        choices=[SelectChoice(stage.value, label) for stage, label in STAGE_LABELS.items()],
        default=Stage.IDEA.value,
        validate_choice=False,
    )
    locality = SelectField(
        _l("Commune or ward (%(province)s)", province=HOME_PROVINCE), validate_choice=False,
        description=_l("Where the startup works. You can change it later on its profile."),
    )

    def set_localities(self, localities) -> None:
        self.locality.choices = [SelectChoice("", _l("Choose a commune or ward"))] + [
            SelectChoice(str(locality.id), locality.name) for locality in localities
        ]

    def validate_locality(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Please choose the commune or ward."))
        if field.data not in _allowed_values(field):
            raise ValidationError(_l("Choose a commune or ward from the list."))

    @property
    def locality_id(self) -> int | None:
        return parse_id(self.locality.data)

    def validate_sector(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Please choose a sector."))
        if field.data not in Sector._value2member_map_:
            raise ValidationError(_l("Choose a sector from the list."))

    def validate_stage(self, field) -> None:
        if field.data not in Stage._value2member_map_:
            raise ValidationError(_l("Choose a stage from the list."))



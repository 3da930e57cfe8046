"""Fields drawn with `{{ form.field.as_field_group }}` come out as GOV.UK Frontend components,
and "are you sure" pages share one confirmation template."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from core.forms_renderer import GovukBoundField, GovukFormRenderer
from core.govuk_forms import GovukDateField, text_field
from core.models import User

COLOURS = [("red", "Red"), ("green", "Green"), ("blue", "Blue")]


class ProfileForm(forms.Form):
    nickname = text_field(
        "Nickname", max_length=20, help_text="What people call you", required_message="Enter it"
    )
    colour = forms.ChoiceField(
        label="Favourite colour",
        choices=COLOURS,
        widget=forms.RadioSelect,
        help_text="Choose one",
        error_messages={"required": "Choose a colour"},
    )
    colours = forms.MultipleChoiceField(
        label="Colours you like",
        choices=COLOURS,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick all that apply",
        error_messages={"required": "Tick at least one colour"},
    )
    started = GovukDateField(label="Start date", help_text="For example, 27 3 2026")
    notes = text_field("Notes", max_length=200, multiline=True, required=False)
    kind = forms.ChoiceField(label="Kind", choices=COLOURS, required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def bound_with_errors() -> ProfileForm:
    form = ProfileForm(data={})
    assert not form.is_valid()
    return form


def render(text: str, **context: object) -> str:
    return Template(text).render(Context(context))


def squashed(html: str) -> str:
    return " ".join(html.split())


def test_the_project_renderer_hands_forms_its_bound_field() -> None:
    form = ProfileForm()
    assert isinstance(get_default_renderer(), GovukFormRenderer)
    assert isinstance(form["nickname"], GovukBoundField)


@pytest.mark.parametrize(
    ("name", "template"),
    [
        ("nickname", "includes/field.html"),
        ("notes", "includes/field.html"),
        ("kind", "includes/field.html"),
        ("token", "includes/field.html"),
        ("colour", "includes/choices.html"),
        ("colours", "includes/choices.html"),
        ("started", "includes/date_input.html"),
    ],
)
def test_each_widget_picks_its_govuk_partial(name: str, template: str) -> None:
    assert ProfileForm()[name].template_name == template


def test_a_fields_own_template_name_wins() -> None:
    class OwnForm(forms.Form):
        code = forms.CharField(template_name="includes/date_input.html")

    assert OwnForm()["code"].template_name == "includes/date_input.html"


def test_a_text_field_is_a_govuk_input_with_its_hint_and_error() -> None:
    html = str(bound_with_errors()["nickname"].as_field_group())
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert '<label class="govuk-label" for="id_nickname">' in squashed(html)
    assert '<div id="id_nickname-hint" class="govuk-hint">What people call you</div>' in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_nickname-hint id_nickname-error"' in html
    error = squashed(html.split('<p id="id_nickname-error" class="govuk-error-message">')[1])
    assert error.startswith('<span class="govuk-visually-hidden">Error:</span> Enter it')


def test_an_unbound_text_field_points_only_at_its_hint() -> None:
    html = str(ProfileForm()["nickname"].as_field_group())
    assert "govuk-input" in html
    assert 'aria-describedby="id_nickname-hint"' in html
    assert "govuk-error-message" not in html


def test_a_radio_field_is_a_govuk_radios_fieldset() -> None:
    html = str(bound_with_errors()["colour"].as_field_group())
    assert 'class="govuk-radios" data-module="govuk-radios"' in squashed(html)
    assert 'aria-describedby="id_colour-hint id_colour-error"' in html
    assert '<div id="id_colour-hint" class="govuk-hint">Choose one</div>' in html
    assert '<span class="govuk-visually-hidden">Error:</span>' in html
    assert "Choose a colour" in html
    assert html.count('type="radio"') == 3
    assert 'id="id_colour"' in html and 'id="id_colour-2"' in html
    assert "govuk-checkboxes" not in html


def test_a_checkbox_field_is_a_govuk_checkboxes_fieldset() -> None:
    form = ProfileForm(data={"colours": ["green"]})
    form.is_valid()
    html = str(form["colours"].as_field_group())
    assert 'class="govuk-checkboxes" data-module="govuk-checkboxes"' in squashed(html)
    assert html.count('type="checkbox"') == 3
    assert html.count('class="govuk-checkboxes__input"') == 3
    assert 'aria-describedby="id_colours-hint"' in html
    assert '<div id="id_colours-hint" class="govuk-hint">Tick all that apply</div>' in html
    assert "govuk-radios" not in html
    assert squashed(html).count(" checked") == 1


def test_a_checkbox_field_with_an_error_says_so() -> None:
    html = str(bound_with_errors()["colours"].as_field_group())
    assert 'aria-describedby="id_colours-hint id_colours-error"' in html
    assert '<span class="govuk-visually-hidden">Error:</span>' in html
    assert "Tick at least one colour" in html


def test_a_govuk_date_field_is_a_govuk_date_input() -> None:
    html = str(bound_with_errors()["started"].as_field_group())
    assert 'class="govuk-date-input" id="id_started"' in html
    assert 'role="group"' in html
    assert 'aria-describedby="id_started-hint id_started-error"' in html
    assert '<div id="id_started-hint" class="govuk-hint">For example, 27 3 2026</div>' in html
    assert '<span class="govuk-visually-hidden">Error:</span>' in html
    assert "Enter the start date" in html
    for part in ("0", "1", "2"):
        assert f'id="id_started_{part}"' in html and f'name="started_{part}"' in html
    assert html.count("govuk-input--error") == 3


def test_a_date_keeps_what_was_typed() -> None:
    form = ProfileForm(data={"started_0": "27", "started_1": "13", "started_2": "2026"})
    form.is_valid()
    html = str(form["started"].as_field_group())
    assert 'value="27"' in html and 'value="13"' in html and 'value="2026"' in html
    assert "Start date must be a real date" in html


def test_a_hidden_field_is_only_its_input() -> None:
    html = str(ProfileForm()["token"].as_field_group())
    assert html == '<input type="hidden" name="token" id="id_token">'


@pytest.mark.parametrize("name", ["nickname", "colour", "colours", "started", "notes", "kind"])
def test_as_field_group_matches_the_include(name: str) -> None:
    form = bound_with_errors()
    included = render('{% include "includes/field.html" with field=f %}', f=form[name])
    assert squashed(str(form[name].as_field_group())) == squashed(included)


def test_the_error_summary_links_to_the_ids_the_fields_get() -> None:
    form = bound_with_errors()
    summary = render('{% include "includes/error_summary.html" with form=form %}', form=form)
    page = "".join(str(form[name].as_field_group()) for name in ("nickname", "colour", "started"))
    for anchor in ("id_nickname", "id_colour", "id_started_0"):
        assert f'href="#{anchor}"' in summary
        assert f'id="{anchor}"' in page


@pytest.fixture
def admin(signed_in: Callable[..., Client], admin_user: User) -> Client:
    return signed_in(admin_user)


def test_a_confirmation_page_has_the_warning_button_and_a_way_back(
    admin: Client, specialist: User
) -> None:
    html = admin.get(reverse("users:deactivate", args=[specialist.pk])).content.decode()
    page = squashed(html)
    assert "Deactivate Sam Owner?" in page
    assert '<div class="govuk-warning-text">' in page
    assert '<span class="govuk-visually-hidden">Warning</span>' in page
    assert 'name="csrfmiddlewaretoken"' in page
    button = page.split('<button type="submit" class="govuk-button govuk-button--warning"')[1]
    label = button.split("</button>")[0]
    assert label.endswith('data-prevent-double-click="true"> Yes, deactivate ')
    detail = reverse("users:detail", args=[specialist.pk])
    assert f'<a class="govuk-link" href="{detail}">No, go back</a>' in page


def test_a_confirmation_page_says_cancel_unless_told_otherwise(
    signed_in: Callable[..., Client], specialist: User
) -> None:
    client = signed_in(specialist)
    page = squashed(client.get(reverse("accounts:backup-codes-regenerate")).content.decode())
    assert "govuk-button--warning" in page
    assert f'<a class="govuk-link" href="{reverse("accounts:account")}">Cancel</a>' in page

"""The form renderer: `{{ form.field.as_field_group }}` draws a field in GOV.UK markup.

Django renders a field group with the template its bound field names: the field's own
`template_name` if it was given one, else the renderer's `field_template_name`. This
renderer hands forms a bound field that asks the renderer instead, and the renderer picks
the GOV.UK partial by the field's widget:

1. the field's own `template_name` (`forms.CharField(template_name=...)`), as in Django;
2. a widget that names its own field template (`field_template_name`, as
   `core.govuk_forms.DateInputWidget` does: includes/date_input.html);
3. radios (`RadioSelect`) and checkboxes (`CheckboxSelectMultiple`): includes/choices.html;
4. any other `MultiWidget`: includes/date_input.html (day, month and year);
5. everything else (text, email, number, textarea, select, file, a single checkbox,
   hidden inputs): includes/field.html.

includes/field.html makes the same choice for a field passed to it with
`{% include "includes/field.html" with field=... %}`, which a template uses when it needs the
partial's parameters (hint, classes, rows, label size...): `as_field_group` takes none.

Templates are loaded through the TEMPLATES setting, so the partials in templates/includes/
and Django's own widget templates (the `django.forms` app) are both found.
"""

from __future__ import annotations

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

FIELD_TEMPLATE = "includes/field.html"
CHOICES_TEMPLATE = "includes/choices.html"
DATE_TEMPLATE = "includes/date_input.html"


def field_template_for(widget: forms.Widget) -> str:
    """The GOV.UK partial that draws a field with this widget (rules 2 to 5 above)."""
    own = getattr(widget, "field_template_name", None)
    if own:
        return str(own)
    if widget.is_hidden:
        return FIELD_TEMPLATE
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return CHOICES_TEMPLATE
    if isinstance(widget, forms.MultiWidget):
        return DATE_TEMPLATE
    return FIELD_TEMPLATE


class GovukBoundField(BoundField):
    """A bound field whose field group is drawn by the GOV.UK partial for its widget."""

    @property
    def template_name(self) -> str:
        own = getattr(self.field, "template_name", None)
        if own:
            return str(own)
        return field_template_for(self.field.widget)


class GovukFormRenderer(TemplatesSetting):
    """The project's FORM_RENDERER: GOV.UK partials for field groups (see the module doc)."""

    field_template_name = FIELD_TEMPLATE
    bound_field_class = GovukBoundField

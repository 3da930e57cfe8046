"""GOV.UK Frontend components small enough to be a tag, not a partial: a partial's include
costs a template context each time, which a list of a hundred rows feels."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

#: The tag colours of GOV.UK Frontend v6 (blue is the default tag: it has no class).
TAG_COLOURS = frozenset(
    {"green", "grey", "magenta", "orange", "pink", "purple", "red", "teal", "turquoise", "yellow"}
)


@register.simple_tag
def govuk_tag(text: object, colour: str = "") -> SafeString:
    """A GOV.UK tag: `{% govuk_tag "Active" "green" %}`. The text is escaped; a colour
    outside TAG_COLOURS ("blue" or none) gives the default blue tag."""
    if colour in TAG_COLOURS:
        return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, text)
    return format_html('<strong class="govuk-tag">{}</strong>', text)


@register.simple_tag
def due_tag(due: date | None, today: date) -> SafeString:
    """ "Overdue" (red) before `today`, "Due today" (yellow) on it, nothing otherwise:
    `{% due_tag task.due_date today %}`."""
    if due is None or due > today:
        return SafeString("")
    return govuk_tag("Overdue", "red") if due < today else govuk_tag("Due today", "yellow")

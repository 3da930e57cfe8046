"""The GOV.UK tag template tags (core/templatetags/govuk.py)."""

from __future__ import annotations

import datetime

from django.template import Context, Template

TODAY = datetime.date(2026, 12, 3)


def render(source: str, **context: object) -> str:
    return Template("{% load govuk %}" + source).render(Context(context)).strip()


def test_a_tag_escapes_its_text_and_takes_a_known_colour() -> None:
    html = render("{% govuk_tag text 'red' %}", text="<b>Not active</b>")
    assert html == (
        '<strong class="govuk-tag govuk-tag--red">&lt;b&gt;Not active&lt;/b&gt;</strong>'
    )


def test_blue_or_an_unknown_colour_gives_the_default_tag() -> None:
    for colour in ["blue", "", '" onmouseover="x']:
        assert render("{% govuk_tag 'Draft' colour %}", colour=colour) == (
            '<strong class="govuk-tag">Draft</strong>'
        )


def test_a_due_date_is_overdue_before_today_due_today_on_it_and_untagged_after() -> None:
    def tag(due: datetime.date | None) -> str:
        return render("{% due_tag due today %}", due=due, today=TODAY)

    assert tag(TODAY - datetime.timedelta(days=1)) == (
        '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    )
    assert tag(TODAY) == '<strong class="govuk-tag govuk-tag--yellow">Due today</strong>'
    assert tag(TODAY + datetime.timedelta(days=1)) == ""
    assert tag(None) == ""

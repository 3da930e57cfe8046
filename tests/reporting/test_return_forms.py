"""IN-1: the returns' forms never crash, whatever is posted; they only say valid or not."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.forms import CaseUpdateForm, NarrativeForm, StartReturnForm

FIELDS = [
    "quarter",
    "progress",
    "challenges",
    "service_user_feedback",
    "case_studies",
    "case_studies_consent",
    "objectives",
    "achieved",
    "next_steps",
]
posted = st.dictionaries(
    st.sampled_from(FIELDS) | st.text(max_size=20),
    st.text(max_size=300) | st.sampled_from(["on", "2025-26-Q3", "2099-00-Q9", "\x00"]),
    max_size=len(FIELDS),
)


@settings(max_examples=200, deadline=None)
@given(data=posted, today=st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_the_start_form_only_says_valid_or_not(data: dict[str, str], today: date) -> None:
    form = StartReturnForm(data, today=today)
    assert form.is_valid() in {True, False}
    if form.is_valid():
        quarter = form.cleaned_data["quarter"]
        assert quarter.end < today  # only complete quarters


@settings(max_examples=200, deadline=None)
@given(data=posted)
def test_the_narrative_form_only_says_valid_or_not(data: dict[str, str]) -> None:
    form = NarrativeForm(data)
    assert form.is_valid() in {True, False}
    if form.is_valid():
        arguments = form.service_arguments()
        if arguments["case_studies"].strip():
            assert arguments["case_studies_consent"] is True


@settings(max_examples=200, deadline=None)
@given(data=posted)
def test_the_case_update_form_only_says_valid_or_not(data: dict[str, str]) -> None:
    form = CaseUpdateForm(data)
    assert form.is_valid() in {True, False}
    if form.is_valid():
        assert set(form.service_arguments()) == {"objectives", "achieved", "next_steps"}

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation error on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


#: A pk no row has, reversed in its place and then replaced.
_STAND_IN_PK = 987654321987


def pk_url(view_name: str) -> Callable[[int], str]:
    """`reverse(view_name, args=[pk])` for a URL whose one argument is an `<int:pk>`, made for
    many rows: the URL is reversed once and each row's pk put in its place (reversing each of
    a few hundred rows' links took longer than the rest of the page)."""
    before, found, after = reverse(view_name, args=[_STAND_IN_PK]).rpartition(str(_STAND_IN_PK))
    if not found:
        raise ValueError(f"{view_name} does not take its pk as its one argument")
    return lambda pk: f"{before}{int(pk)}{after}"

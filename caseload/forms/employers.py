"""Adding an employer, and logging job development with one."""

from __future__ import annotations

from django import forms

from caseload.forms.contacts import ContactForm
from core.once import OnceForm


class EmployerForm(OnceForm):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the name"}
    )
    sector = forms.CharField(label="Sector", required=False, max_length=100)
    contact_name = forms.CharField(label="Contact's name", required=False, max_length=150)
    contact_email = forms.EmailField(label="Contact's email", required=False)
    contact_phone = forms.CharField(label="Contact's phone", required=False, max_length=32)
    notes = forms.CharField(label="Notes", required=False, max_length=5000, widget=forms.Textarea)


class JobDevelopmentContactForm(OnceForm):
    date = ContactForm.base_fields["date"]
    time = ContactForm.base_fields["time"]
    mode = ContactForm.base_fields["mode"]
    duration_minutes = ContactForm.base_fields["duration_minutes"]
    note = ContactForm.base_fields["note"]

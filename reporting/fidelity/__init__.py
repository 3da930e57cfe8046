"""Reviews of the service against the IPS Supported Employment Fidelity Scale (statement
of requirement 8.6): the 25 items, their guidance, sections and bands (`scale.py`), the
evidence and suggested scores a review is pre-filled with (`evidence.py`, read from the
return's one computation, which is why it lives here), the review (`models.py`), its
recording (`services.py`), its pages (`views.py`, `forms.py`)."""

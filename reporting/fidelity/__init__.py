"""Reviews of the service against the IPS Supported Employment Fidelity Scale (statement
of requirement 8.6): the 25 items and bands (`scale.py`), the review (`models.py`), its
recording (`services.py`), its pages (`views.py`, `forms.py`). The evidence a review is
pre-filled with comes from the return's one computation, which is why it lives here."""

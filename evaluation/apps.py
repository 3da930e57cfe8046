from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """The evaluators' pseudonymised records, extract, live figures and read-only API. It
    reads every app, and the return's one computation in reporting, and nothing imports it."""

    name = "evaluation"
    verbose_name = "Evaluation"

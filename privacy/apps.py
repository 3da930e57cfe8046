from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Retention and erasure, subject access, data-protection requests: these read every
    app by nature, so they stand at the top of the layers, not in core."""

    name = "privacy"
    verbose_name = "Privacy"

from django.apps import AppConfig


class E4EConfig(AppConfig):
    name = "e4e"
    verbose_name = "E4E Case core"

    def ready(self) -> None:
        from e4e import checks, signals  # noqa: F401  (registers checks and auth event logging)

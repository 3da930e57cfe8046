from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses: users and roles, the access mechanism, sign-in.

    The Django label stays "e4e", the label these models were first made under: the tables
    (`e4e_user`, ...), the migration history and `AUTH_USER_MODEL = "e4e.User"` keep their
    names, so every existing database goes on working. Django cannot move a custom user
    model to another label by migration.
    """

    name = "core"
    label = "e4e"
    verbose_name = "E4E Case core"

    def ready(self) -> None:
        from core import checks, signals  # noqa: F401  (registers checks and auth event logging)

from django.apps import AppConfig


class CaseloadConfig(AppConfig):
    name = "caseload"
    verbose_name = "Caseload"

    def ready(self) -> None:
        from django.db.models.signals import pre_save

        from caseload.capacity import refuse_a_smaller_caseload
        from caseload.case_access import cover_basis
        from core.audit import register_basis
        from core.models import User

        register_basis("case", cover_basis)
        pre_save.connect(
            refuse_a_smaller_caseload, sender=User, dispatch_uid="caseload.capacity.workers"
        )

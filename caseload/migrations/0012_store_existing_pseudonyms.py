"""Every existing case gets its stored pseudonyms. The evaluators' one is the six-digit
pseudonym the case already had (computed as before, with settings.PSEUDONYM_KEY), so the
references evaluators saved keep working; where two cases shared one (the record page
refused it as ambiguous), each of them gets a new one instead. The OPCC's is new."""

from collections import defaultdict

from django.conf import settings
from django.db import migrations

from core.pseudonyms import EVALUATOR_PREFIX, OPCC_PREFIX, hmac_pseudonym, new_pseudonym


def store_pseudonyms(apps, schema_editor):
    Case = apps.get_model("caseload", "Case")
    CasePseudonym = apps.get_model("caseload", "CasePseudonym")
    by_old = defaultdict(list)
    for pk in Case.objects.order_by("pk").values_list("pk", flat=True).iterator():
        by_old[hmac_pseudonym(pk, settings.PSEUDONYM_KEY)].append(pk)
    used = set(by_old)

    def draw(prefix):
        value = new_pseudonym(prefix)
        while value in used:
            value = new_pseudonym(prefix)
        used.add(value)
        return value

    rows = [
        CasePseudonym(
            case_id=pk,
            evaluator=old if len(pks) == 1 else draw(EVALUATOR_PREFIX),
            opcc=draw(OPCC_PREFIX),
        )
        for old, pks in by_old.items()
        for pk in pks
    ]
    CasePseudonym.objects.bulk_create(rows, batch_size=1000)


def forget_pseudonyms(apps, schema_editor):
    apps.get_model("caseload", "CasePseudonym").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("caseload", "0011_case_pseudonyms"),
    ]

    operations = [
        migrations.RunPython(store_pseudonyms, forget_pseudonyms, elidable=False),
    ]

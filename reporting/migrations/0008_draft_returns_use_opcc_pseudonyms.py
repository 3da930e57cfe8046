"""Draft returns name their active cases and per-case updates by the OPCC's pseudonyms.

A draft's active cases and the updates a manager has already written were keyed by the
six-digit pseudonyms the evaluators see; each is re-keyed to the case's OPCC pseudonym, so
no update is lost. Signed-off returns are historical documents and keep the pseudonyms they
were signed off with.

Two cases could share a six-digit pseudonym, but never two cases active in one quarter (the
snapshot refused that): where several cases have it, the one open in the draft's quarter is
meant. An entry that still names no single case keeps its old key (its text stays; the next
snapshot drops it, as it drops any update of a case no longer active).
"""

from collections import defaultdict

from django.conf import settings
from django.db import migrations

from core.pseudonyms import hmac_pseudonym


def _open_in(period_start, period_end):
    def test(start_date, closed_date):
        return (
            start_date is not None
            and start_date <= period_end
            and (closed_date is None or closed_date > period_start)
        )

    return test


def _rekey(draft, mapping):
    active = sorted(mapping.get(p, p) for p in draft.active_cases)
    order = {pseudonym: index for index, pseudonym in enumerate(active)}
    updates = [
        {**update, "pseudonym": mapping.get(update.get("pseudonym"), update.get("pseudonym"))}
        for update in draft.case_updates
    ]
    draft.active_cases = active
    draft.case_updates = sorted(updates, key=lambda u: order.get(u["pseudonym"], len(order)))
    draft.save(update_fields=["active_cases", "case_updates"])


def to_opcc_pseudonyms(apps, schema_editor):
    QuarterlyReturn = apps.get_model("reporting", "QuarterlyReturn")
    Case = apps.get_model("caseload", "Case")
    CasePseudonym = apps.get_model("caseload", "CasePseudonym")
    drafts = [
        draft
        for draft in QuarterlyReturn.objects.filter(status="draft")
        if draft.active_cases or draft.case_updates
    ]
    if not drafts:
        return
    by_old = defaultdict(list)
    for pk, start, closed in Case.objects.values_list("pk", "start_date", "closed_date"):
        by_old[hmac_pseudonym(pk, settings.PSEUDONYM_KEY)].append((pk, start, closed))
    opcc = dict(CasePseudonym.objects.values_list("case_id", "opcc"))
    for draft in drafts:
        open_in = _open_in(draft.period_start, draft.period_end)
        mapping = {}
        for old in {*draft.active_cases, *(u.get("pseudonym") for u in draft.case_updates)}:
            cases = by_old.get(old, [])
            if len(cases) > 1:
                cases = [case for case in cases if open_in(case[1], case[2])]
            if len(cases) == 1 and cases[0][0] in opcc:
                mapping[old] = opcc[cases[0][0]]
        _rekey(draft, mapping)


def to_shared_pseudonyms(apps, schema_editor):
    QuarterlyReturn = apps.get_model("reporting", "QuarterlyReturn")
    CasePseudonym = apps.get_model("caseload", "CasePseudonym")
    old = {
        opcc: hmac_pseudonym(case_id, settings.PSEUDONYM_KEY)
        for case_id, opcc in CasePseudonym.objects.values_list("case_id", "opcc")
    }
    for draft in QuarterlyReturn.objects.filter(status="draft"):
        _rekey(draft, old)


class Migration(migrations.Migration):
    dependencies = [
        ("caseload", "0012_store_existing_pseudonyms"),
        ("reporting", "0007_heartbeat"),
    ]

    operations = [
        migrations.RunPython(to_opcc_pseudonyms, to_shared_pseudonyms, elidable=False),
    ]

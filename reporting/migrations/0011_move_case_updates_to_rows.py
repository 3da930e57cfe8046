"""The per-case updates move from the return's JSON (`case_updates`) to rows of their own
(CaseUpdate), history and all; the next migration removes the JSON.

Each entry for a case active in the return's quarter becomes one update, with the same text:
reviewed when the return is signed off (by whoever signed it off, when they did), else
submitted when all three parts are written, else a draft. An entry for a pseudonym that is
not one of the return's active cases was never shown and the next snapshot would have
dropped it: it is not moved.

The return's history holds each saved version of the JSON. Each update gains a history row
for every version in which its text (or its state) changed, made when and by whom that
version was saved, so that removing the column loses no earlier text; a last row records
the move where the history does not already end as the update is now. Drafts' earlier
versions may name the case by the six-digit pseudonym it had before 0008: those count too.

The case is found by its OPCC pseudonym. Returns signed off before the pseudonyms were
stored name their cases by the six-digit pseudonyms the evaluators saw then: the case that
kept that one as its evaluators' pseudonym is meant; where no case did (two cases shared
it), the update names no case, and keeps its text and pseudonym as signed off.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from core.pseudonyms import hmac_pseudonym

PARTS = ("objectives", "achieved", "next_steps")
REASON = "Moved from the return's stored updates"
BATCH_SIZE = 1000


def _text(entry):
    return {part: str((entry or {}).get(part) or "").strip() for part in PARTS}


def _state(signed_off, text):
    if signed_off:
        return "reviewed"
    return "submitted" if all(text.values()) else "draft"


def _history_row(HistoricalCaseUpdate, row, *, text, status, version, when, user_id, kind):
    signed = version if status == "reviewed" else None
    return HistoricalCaseUpdate(
        id=row.pk,
        created_at=row.created_at,
        updated_at=when,
        quarterly_return_id=row.quarterly_return_id,
        case_id=row.case_id,
        pseudonym=row.pseudonym,
        status=status,
        submitted_at=when if status == "submitted" else None,
        reviewed_by_id=signed.signed_off_by_id if signed else None,
        reviewed_at=signed.signed_off_at if signed else None,
        history_date=when,
        history_user_id=user_id,
        history_type=kind,
        history_change_reason=REASON,
        **text,
    )


def forwards(apps, schema_editor):
    QuarterlyReturn = apps.get_model("reporting", "QuarterlyReturn")
    HistoricalQuarterlyReturn = apps.get_model("reporting", "HistoricalQuarterlyReturn")
    CaseUpdate = apps.get_model("reporting", "CaseUpdate")
    HistoricalCaseUpdate = apps.get_model("reporting", "HistoricalCaseUpdate")
    CasePseudonym = apps.get_model("caseload", "CasePseudonym")
    moved_at = timezone.now()
    known = None  # pseudonym -> case id, read once if any return has updates
    for quarterly_return in QuarterlyReturn.objects.order_by("pk").iterator():
        active = list(quarterly_return.active_cases or [])
        entries = {}
        for entry in quarterly_return.case_updates or []:
            pseudonym = str((entry or {}).get("pseudonym") or "")
            if pseudonym in active:
                entries[pseudonym] = entry
        if not entries:
            continue
        if known is None:
            known = {}
            for case_id, evaluator, opcc in CasePseudonym.objects.values_list(
                "case_id", "evaluator", "opcc"
            ).iterator():
                known[opcc] = case_id
                known.setdefault(evaluator, case_id)
        signed_off = quarterly_return.status == "signed_off"
        taken = set()
        rows = []
        for pseudonym in active:
            if pseudonym not in entries:
                continue
            text = _text(entries[pseudonym])
            status = _state(signed_off, text)
            case_id = known.get(pseudonym)
            if case_id in taken:
                case_id = None
            taken.add(case_id)
            rows.append(
                CaseUpdate(
                    quarterly_return_id=quarterly_return.pk,
                    case_id=case_id,
                    pseudonym=pseudonym,
                    status=status,
                    submitted_at=quarterly_return.updated_at if status == "submitted" else None,
                    reviewed_by_id=quarterly_return.signed_off_by_id if signed_off else None,
                    reviewed_at=quarterly_return.signed_off_at if signed_off else None,
                    **text,
                )
            )
        rows = CaseUpdate.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        if any(row.pk is None for row in rows):  # a database that returns no ids
            by_pseudonym = dict(
                CaseUpdate.objects.filter(quarterly_return_id=quarterly_return.pk).values_list(
                    "pseudonym", "pk"
                )
            )
            for row in rows:
                row.pk = row.id = by_pseudonym[row.pseudonym]

        # Each row's names in the return's earlier versions: its pseudonym, and for a draft
        # the six-digit one its case had before 0008.
        names = {}
        for row in rows:
            names[row.pseudonym] = row
            if row.case_id is not None and not signed_off:
                names.setdefault(hmac_pseudonym(row.case_id, settings.PSEUDONYM_KEY), row)
        last = {}
        historical = []
        versions = HistoricalQuarterlyReturn.objects.filter(id=quarterly_return.pk).order_by(
            "history_date", "history_id"
        )
        for version in versions.iterator():
            seen = set()
            for entry in version.case_updates or []:
                row = names.get(str((entry or {}).get("pseudonym") or ""))
                if row is None or row.pk in seen:
                    continue
                seen.add(row.pk)
                text = _text(entry)
                status = _state(version.status == "signed_off", text)
                state = (tuple(text.values()), status)
                if last.get(row.pk) == state:
                    continue
                historical.append(
                    _history_row(
                        HistoricalCaseUpdate,
                        row,
                        text=text,
                        status=status,
                        version=version,
                        when=version.history_date,
                        user_id=version.history_user_id,
                        kind="~" if row.pk in last else "+",
                    )
                )
                last[row.pk] = state
        for row in rows:
            text = {part: getattr(row, part) for part in PARTS}
            if last.get(row.pk) == (tuple(text.values()), row.status):
                continue
            historical.append(
                _history_row(
                    HistoricalCaseUpdate,
                    row,
                    text=text,
                    status=row.status,
                    version=quarterly_return,
                    when=moved_at,
                    user_id=None,
                    kind="~" if row.pk in last else "+",
                )
            )
        HistoricalCaseUpdate.objects.bulk_create(historical, batch_size=BATCH_SIZE)


def backwards(apps, schema_editor):
    """The rows back into each return's JSON, in the order of its active cases."""
    QuarterlyReturn = apps.get_model("reporting", "QuarterlyReturn")
    CaseUpdate = apps.get_model("reporting", "CaseUpdate")
    HistoricalCaseUpdate = apps.get_model("reporting", "HistoricalCaseUpdate")
    for quarterly_return in QuarterlyReturn.objects.order_by("pk").iterator():
        rows = {
            row.pseudonym: row
            for row in CaseUpdate.objects.filter(quarterly_return_id=quarterly_return.pk)
        }
        if not rows:
            continue
        quarterly_return.case_updates = [
            {"pseudonym": pseudonym, **{part: getattr(rows[pseudonym], part) for part in PARTS}}
            for pseudonym in quarterly_return.active_cases or []
            if pseudonym in rows
        ]
        quarterly_return.save(update_fields=["case_updates"])
    HistoricalCaseUpdate.objects.all().delete()
    CaseUpdate.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("caseload", "0013_contact_date_index_for_figures"),
        ("reporting", "0010_case_updates"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]

"""Writes to referrals: intake, screening decisions and acceptance under the capacity lock;
partner links; telling the referrer the outcome."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any

import structlog
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core import history
from core.bulk import stored_values
from core.codes import RejectionReason, Source
from core.models import User
from core.system_user import system_user
from referrals.models import PartnerLink, PartnerSubmission, Referral
from referrals.selectors import token_hash

logger = structlog.get_logger("e4e.referrals")

# No 0/O or 1/I: references are read out over the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class AlreadySubmitted(Exception):
    """The partner form with this one-time token was sent before: nothing new was stored."""

    def __init__(self, referral: Referral | None) -> None:
        super().__init__("This form has already been sent.")
        self.referral = referral


class LinkNotUsable(Exception):
    """The partner link has expired or been revoked."""


class AlreadyDecided(ValidationError):
    def __init__(self, referral: Referral) -> None:
        super().__init__(
            f"Referral {referral.reference} has already been decided "
            f"({referral.get_status_display().lower()})."
        )


def _draw_references(count: int) -> set[str]:
    # One byte a character: the alphabet's 32 letters divide 256, so each is as likely.
    randomness = secrets.token_bytes(8 * count)
    codes = (
        "".join(_REFERENCE_ALPHABET[b % 32] for b in randomness[i : i + 8])
        for i in range(0, len(randomness), 8)
    )
    return {f"E4E-{code[:4]}-{code[4:]}" for code in codes}


def new_reference() -> str:
    while True:
        code = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
        reference = f"E4E-{code[:4]}-{code[4:]}"
        if not Referral.objects.filter(reference=reference).exists():
            return reference


def new_references(count: int) -> list[str]:
    """`count` different references no stored referral has: drawn together and checked
    against the stored ones in one query (drawn again, rarely, for any already taken)."""
    chosen: set[str] = set()
    while len(chosen) < count:
        drawn = _draw_references(count - len(chosen)) - chosen
        chosen |= drawn - stored_values(Referral, "reference", drawn)
    return sorted(chosen)


@transaction.atomic
def referral_create(*, by: User | None, **fields: Any) -> Referral:
    """Record a referral (staff entry, partner link or import). Validates every field."""
    referral = Referral(**fields)
    if not referral.reference:
        referral.reference = new_reference()
    if not referral.person_key:
        referral.person_key = f"p-{secrets.token_hex(8)}"
    referral.full_clean()
    history.save(referral, by=by)
    logger.info("referrals.created", referral_id=referral.pk, source=referral.source)
    return referral


def _lock_undecided(referral: Referral) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.is_decided:
        raise AlreadyDecided(locked)
    return locked


@transaction.atomic
def referral_mark_accepted(
    *,
    referral: Referral,
    by: User | None,
    decided_on: date | None = None,
    notify_referrer: bool = False,
    eligibility_override: str = "",
) -> Referral:
    """Record the referral as accepted. Only `caseload.intake.referral_accept` (and, for the
    legacy import, `caseload.legacy.bulk.cases_create`) calls this, in the transaction that
    gives a worker the case under the cap.

    `notify_referrer` emails the referrer the outcome once committed (screens pass True;
    imports and demo data leave it off so that no one is emailed about old decisions).
    """
    referral = _lock_undecided(referral)
    referral.status = Referral.Status.ACCEPTED
    referral.decision_date = decided_on or timezone.localdate()
    referral.decided_by = by
    referral.rejection_reason = ""
    referral.rejection_rationale = ""
    referral.eligibility_override = eligibility_override.strip()
    referral.full_clean()
    history.save(referral, by=by)
    if notify_referrer:
        _notify_referrer_on_commit(referral)
    return referral


@transaction.atomic
def referral_reject(
    *,
    referral: Referral,
    reason: str,
    rationale: str,
    by: User | None,
    decided_on: date | None = None,
    notify_referrer: bool = False,
) -> Referral:
    if reason not in RejectionReason.values:
        raise ValidationError({"reason": "Choose a reason for rejecting the referral."})
    if not rationale.strip():
        raise ValidationError({"rationale": "Write down why the referral is rejected."})
    referral = _lock_undecided(referral)
    referral.status = Referral.Status.REJECTED
    referral.decision_date = decided_on or timezone.localdate()
    referral.decided_by = by
    referral.rejection_reason = reason
    referral.rejection_rationale = rationale.strip()
    referral.full_clean()
    history.save(referral, by=by)
    logger.info("referrals.rejected", referral_id=referral.pk, reason=reason)
    if notify_referrer:
        _notify_referrer_on_commit(referral)
    return referral


@transaction.atomic
def referral_withdraw(
    *, referral: Referral, reason: str, by: User | None, decided_on: date | None = None
) -> Referral:
    """Withdraw an undecided referral; `reason` (why) is kept in its history."""
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the referral is being withdrawn"})
    referral = _lock_undecided(referral)
    referral.status = Referral.Status.WITHDRAWN
    referral.decision_date = decided_on or timezone.localdate()
    referral.decided_by = by
    referral.full_clean()
    history.save(referral, by=by, reason=reason.strip())
    logger.info("referrals.withdrawn", referral_id=referral.pk)
    return referral


@transaction.atomic
def referral_set_status(
    *,
    referral: Referral,
    status: str,
    by: User | None,
    changed_on: date | None = None,
    reason: str = "",
) -> Referral:
    """Move an undecided referral between received, screening and the waiting list. Putting
    it on the waiting list needs a reason, kept in its history."""
    allowed = {Referral.Status.RECEIVED, Referral.Status.SCREENING, Referral.Status.WAITING_LIST}
    if status not in allowed:
        raise ValidationError("Use accept, reject or withdraw to decide a referral.")
    if status == Referral.Status.WAITING_LIST and not reason.strip():
        raise ValidationError({"reason": "Enter why the referral is going on the waiting list"})
    referral = _lock_undecided(referral)
    if status == referral.status:
        return referral
    if status == Referral.Status.WAITING_LIST:
        referral.waiting_since = changed_on or timezone.localdate()
    else:
        referral.waiting_since = None
    referral.status = status
    history.save(referral, by=by, reason=reason.strip())
    logger.info("referrals.status_set", referral_id=referral.pk, status=status)
    return referral


# --- Telling the referrer the outcome ----------------------------------------------------

#: Decisions the referrer is told about, and the one word they are told.
OUTCOME_EMAILS = {
    Referral.Status.ACCEPTED: ("emails/referral_accepted.txt", "accepted"),
    Referral.Status.REJECTED: ("emails/referral_not_accepted.txt", "not accepted"),
}


def _notify_referrer_on_commit(referral: Referral) -> None:
    if not referral.referrer_email:
        return
    referral_id = referral.pk

    def enqueue() -> None:
        from referrals.tasks import send_outcome_email

        try:
            send_outcome_email.delay(referral_id)
        except Exception:
            # The decision stands; the referral page shows the email as not sent.
            logger.exception("referrals.outcome_email_not_queued", referral_id=referral_id)

    transaction.on_commit(enqueue)


@transaction.atomic
def referral_outcome_email_send(*, referral_id: int) -> bool:
    """Email the referrer the outcome: the reference and accepted or not, nothing else
    (no names, no reasons). Idempotent: sends at most once. True when it sent."""
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    if (
        referral.status not in OUTCOME_EMAILS
        or not referral.referrer_email
        or referral.outcome_emailed_at
    ):
        return False
    template, outcome = OUTCOME_EMAILS[Referral.Status(referral.status)]
    body = render_to_string(template, {"reference": referral.reference})
    subject = f"E4E referral {referral.reference}: {outcome}"
    send_mail(subject, body, None, [referral.referrer_email])
    referral.outcome_emailed_at = timezone.now()
    history.save(referral, by=system_user(), update_fields=["outcome_emailed_at", "updated_at"])
    logger.info("referrals.outcome_emailed", referral_id=referral.pk, status=referral.status)
    return True


# --- Partner links -------------------------------------------------------------------------

#: How long a new partner link lasts unless the manager chooses otherwise.
DEFAULT_LINK_DAYS = 30
LINK_DAYS_CHOICES = (7, 30, 90, 180)


@transaction.atomic
def partner_link_create(
    *, organisation: str, source: str, valid_days: int, by: User
) -> tuple[PartnerLink, str]:
    """Make a link for a partner organisation. Returns the link and its secret, which is
    not stored (only its hash is) and so can be shown only this once."""
    if source not in Source.values:
        raise ValidationError({"source": "Choose the kind of organisation."})
    if valid_days not in LINK_DAYS_CHOICES:
        raise ValidationError({"valid_days": "Choose how long the link works for."})
    token = secrets.token_urlsafe(32)
    link = PartnerLink(
        organisation=organisation.strip(),
        source=source,
        token_hash=token_hash(token),
        expires_at=timezone.now() + timedelta(days=valid_days),
        created_by=by,
    )
    link.full_clean()
    history.save(link, by=by)
    logger.info("referrals.partner_link_created", link_id=link.pk, by=by.pk)
    return link, token


@transaction.atomic
def partner_link_revoke(*, link: PartnerLink, by: User) -> PartnerLink:
    link = PartnerLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is not None:
        raise ValidationError("This link has already been revoked.")
    link.revoked_at = timezone.now()
    link.revoked_by = by
    history.save(link, by=by)
    logger.info("referrals.partner_link_revoked", link_id=link.pk, by=by.pk)
    return link


def _nonce_hash(nonce: str) -> str:
    return hashlib.sha256(f"referrals.partner-form:{nonce}".encode()).hexdigest()


@transaction.atomic
def referral_submit_via_link(
    *, link: PartnerLink, nonce: str, now: datetime | None = None, **fields: Any
) -> Referral:
    """Record a referral sent through a partner link, once per one-time form token.

    Raises LinkNotUsable when the link has expired or been revoked, and AlreadySubmitted
    (storing nothing) when a form with this token was sent before.
    """
    now = now or timezone.now()
    link = PartnerLink.objects.select_for_update().get(pk=link.pk)
    if not link.is_usable(now):
        raise LinkNotUsable
    nonce_hash = _nonce_hash(nonce)
    earlier = PartnerSubmission.objects.filter(nonce_hash=nonce_hash).first()
    if earlier is not None:
        raise AlreadySubmitted(earlier.referral)
    referral = referral_create(
        by=None,
        received_date=timezone.localdate(now),
        source=link.source,
        referrer_organisation=link.organisation,
        **fields,
    )
    try:
        with transaction.atomic():
            PartnerSubmission.objects.create(link=link, nonce_hash=nonce_hash, referral=referral)
    except IntegrityError:
        # The same form arrived twice at once: raising undoes this copy; the first stays.
        raise AlreadySubmitted(None) from None
    logger.info("referrals.partner_submitted", referral_id=referral.pk, link_id=link.pk)
    return referral

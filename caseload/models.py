"""Cases and what happens on them: contacts, outcomes, assessments and the rest."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from simple_history.models import HistoricalRecords

from core.codes import ClosureReason, Need
from core.models import BaseModel

#: A case is active on d when a client contact falls within the 28 days ending on d.
ACTIVE_WITHIN_DAYS = 27


def held_q() -> Q:
    """For cases: held against the worker's cap, from acceptance until closed (awaiting the
    initial assessment included; kpi-definitions.md, "Worker")."""
    return Q(closed_date__isnull=True)


def open_on(day: date) -> Q:
    """For cases: open on `day`: started on or before it, and not closed on or before it
    (kpi-definitions.md, "Records")."""
    return Q(start_date__lte=day) & (Q(closed_date__isnull=True) | Q(closed_date__gt=day))


def active_on(day: date) -> Q:
    """For cases: active on `day`: open on it, with a client contact (the initial
    assessment, on the start date, included) on one of the 28 days ending on it
    (kpi-definitions.md, "Active")."""
    since = day - timedelta(days=ACTIVE_WITHIN_DAYS)
    contact = Contact.objects.filter(CLIENT_CONTACT, case=OuterRef("pk"), date__range=(since, day))
    return open_on(day) & Q(Q(start_date__gte=since) | Q(Exists(contact)))


class CaseQuerySet(models.QuerySet["Case"]):
    """The one definition of held, open and active, used by the home pages, the team view
    and the figures alike."""

    def held(self) -> CaseQuerySet:
        return self.filter(held_q())

    def open_on(self, day: date) -> CaseQuerySet:
        return self.filter(open_on(day))

    def active_on(self, day: date) -> CaseQuerySet:
        return self.filter(active_on(day))


class Case(BaseModel):
    """One per accepted referral. It counts against the worker's capacity from acceptance
    until it is closed; active support starts with the initial assessment (`start_date`)."""

    class PriorSupport(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNKNOWN = "unknown", "Not known"

    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.PROTECT, related_name="case"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases"
    )
    accepted_date = models.DateField()
    start_date = models.DateField(
        null=True, blank=True, help_text="The initial assessment: active support begins."
    )
    prior_similar_support = models.CharField(
        max_length=8, choices=PriorSupport.choices, default=PriorSupport.UNKNOWN
    )
    prior_support_details = models.TextField(blank=True)
    closed_date = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=32, choices=ClosureReason.choices, blank=True)

    history = HistoricalRecords()

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-accepted_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="caseload_case_starts_after_acceptance",
                condition=Q(start_date__isnull=True) | Q(start_date__gte=F("accepted_date")),
            ),
            models.CheckConstraint(
                name="caseload_case_closes_after_start",
                condition=Q(closed_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(closed_date__gte=F("start_date")),
            ),
            models.CheckConstraint(
                name="caseload_case_closure_has_reason",
                condition=Q(closed_date__isnull=True) | ~Q(closure_reason=""),
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "closed_date"]),
            models.Index(fields=["start_date"]),
            models.Index(fields=["closed_date"]),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_date is None


class Employer(BaseModel):
    legacy_name = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=100, blank=True)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=32, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(BaseModel):
    class Mode(models.TextChoices):
        FACE_TO_FACE = "face_to_face", "Face to face"
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        MESSAGE = "message", "Message"
        ADMIN = "admin", "Admin"

    class Party(models.TextChoices):
        CLIENT = "client", "Client"
        EMPLOYER = "employer", "Employer"
        PARTNER = "partner", "Partner"
        NONE = "none", "None"

    class Place(models.TextChoices):
        OFFICE = "office", "Office"
        COMMUNITY = "community", "Community"
        ONLINE = "online", "Online"

    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts"
    )
    date = models.DateField()
    time = models.TimeField(null=True, blank=True)
    mode = models.CharField(max_length=16, choices=Mode.choices)
    party = models.CharField(max_length=16, choices=Party.choices)
    duration_minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    place = models.CharField(max_length=16, choices=Place.choices, blank=True)
    out_of_hours = models.BooleanField(default=False)
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="contacts"
    )
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-time", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="caseload_contact_duration_range",
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=720),
            ),
            # Without a case: general admin, or job development with an employer.
            models.CheckConstraint(
                name="caseload_contact_without_case_is_admin",
                condition=Q(case__isnull=False)
                | Q(mode="admin", party="none")
                | Q(party="employer", employer__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["case", "party", "date"]),
            models.Index(fields=["date"]),
            models.Index(fields=["worker", "date"]),
        ]


#: Client contacts: with the client, in any mode but admin.
CLIENT_CONTACT = Q(party=Contact.Party.CLIENT) & ~Q(mode=Contact.Mode.ADMIN)


class Outcome(BaseModel):
    class Type(models.TextChoices):
        PAID_EMPLOYMENT = "paid_employment", "Paid employment"
        SELF_EMPLOYMENT = "self_employment", "Self-employment"
        TRAINING = "training", "Training"
        EDUCATION = "education", "Education"
        VOLUNTEERING = "volunteering", "Volunteering"

    PAID = (Type.PAID_EMPLOYMENT, Type.SELF_EMPLOYMENT)

    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="outcomes")
    type = models.CharField(max_length=20, choices=Type.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    employer_name = models.CharField(max_length=200, blank=True)
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    role = models.CharField(max_length=150, blank=True)
    contract = models.CharField(max_length=50, blank=True)
    competitive = models.BooleanField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="caseload_outcome_ends_after_start",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
            ),
            models.CheckConstraint(
                name="caseload_outcome_paid_has_hours",
                condition=~Q(type__in=["paid_employment", "self_employment"])
                | Q(hours_per_week__gte=1, hours_per_week__lte=80),
            ),
        ]
        indexes = [models.Index(fields=["type", "start_date"])]


def _score(low: int, high: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        validators=[MinValueValidator(low), MaxValueValidator(high)]
    )


class DistanceAssessment(BaseModel):
    """Distance travelled: seven domains scored 1-10, repeated over the case."""

    DOMAINS = (
        "confidence",
        "motivation",
        "readiness",
        "stability",
        "housing",
        "finances",
        "wellbeing",
    )

    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="distance_assessments")
    date = models.DateField()
    confidence = _score(1, 10)
    motivation = _score(1, 10)
    readiness = _score(1, 10)
    stability = _score(1, 10)
    housing = _score(1, 10)
    finances = _score(1, 10)
    wellbeing = _score(1, 10)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                name=f"caseload_distanceassessment_{domain}_range",
                condition=Q(**{f"{domain}__gte": 1, f"{domain}__lte": 10}),
            )
            for domain in (
                "confidence",
                "motivation",
                "readiness",
                "stability",
                "housing",
                "finances",
                "wellbeing",
            )
        ]


class Offence(BaseModel):
    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="offences")
    date = models.DateField()
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]


class Signposting(BaseModel):
    class Result(models.TextChoices):
        ENGAGED = "engaged", "Engaged"
        DECLINED = "declined", "Declined"
        WAITING = "waiting", "Waiting"
        NOT_KNOWN = "not_known", "Not known"

    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="signposting")
    date = models.DateField()
    need = models.CharField(max_length=32, choices=Need.choices)
    organisation = models.CharField(max_length=200)
    outcome = models.CharField(max_length=16, choices=Result.choices, default=Result.NOT_KNOWN)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]


class Feedback(BaseModel):
    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="feedback")
    date = models.DateField()
    trust = _score(1, 5)
    confidence = _score(1, 5)
    respected = _score(1, 5)
    comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name=f"caseload_feedback_{field}_range",
                condition=Q(**{f"{field}__gte": 1, f"{field}__lte": 5}),
            )
            for field in ("trust", "confidence", "respected")
        ]


class InitialAssessment(BaseModel):
    """The first assessment with the person. Completing it starts active support."""

    class Readiness(models.TextChoices):
        READY_NOW = "ready_now", "Ready to start now"
        SOON = "soon", "Ready within a few weeks"
        NOT_YET = "not_yet", "Not ready yet"

    class Goal(models.TextChoices):
        WORK = "work", "Paid work"
        OWN_BUSINESS = "own_business", "Their own business"
        TRAINING = "training", "Training"
        EDUCATION = "education", "Education"

    class Barrier(models.TextChoices):
        ACCOMMODATION = "accommodation", "Accommodation"
        BENEFITS = "benefits", "Benefits"
        DEBT = "debt", "Debt"
        MENTAL_HEALTH = "mental_health", "Mental health"
        SUBSTANCE_USE = "substance_use", "Substance use"
        IDENTITY_DOCUMENTS = "identity_documents", "Identity documents"
        TRANSPORT = "transport", "Transport"
        CARING = "caring", "Caring responsibilities"
        CONVICTION_DISCLOSURE = "conviction_disclosure", "Disclosing a conviction"

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="assessment")
    date = models.DateField()
    readiness = models.CharField(max_length=16, choices=Readiness.choices)
    goal = models.CharField(max_length=16, choices=Goal.choices)
    barriers = models.JSONField(default=list, blank=True)
    benefits_situation = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()


class RiskAssessment(BaseModel):
    """Risks to and from the person and how staff stay safe. One is needed before any
    contact in the community; the latest one is the one in force."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="risk_assessments")
    date = models.DateField()
    risks_to_client = models.TextField("risks to the person")
    risks_from_client = models.TextField("risks from the person")
    lone_working_plan = models.TextField("lone-working plan")
    safe_meeting_places = models.TextField(blank=True)
    places_to_avoid = models.TextField(blank=True)
    review_date = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="caseload_riskassessment_review_after_date",
                condition=Q(review_date__gte=F("date")),
            )
        ]


class Task(BaseModel):
    """Something a specialist must do by a date: sustainment checks and in-work support
    after a job start, trading checks after a business start. Done with the evidence seen."""

    class Kind(models.TextChoices):
        IN_WORK_SUPPORT = "in_work_support", "In-work support"
        SUSTAINMENT_CHECK = "sustainment_check", "Sustainment check"
        TRADING_CHECK = "trading_check", "Trading check"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks")
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    done_date = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="caseload_task_done_has_evidence",
                condition=Q(done_date__isnull=True) | ~Q(evidence=""),
            ),
            models.UniqueConstraint(
                fields=["outcome", "kind", "due_date"], name="caseload_task_unique_per_outcome"
            ),
        ]
        indexes = [models.Index(fields=["done_date", "due_date"])]

    def __str__(self) -> str:
        return self.title


class CrisisEpisode(BaseModel):
    class Kind(models.TextChoices):
        HOUSING_LOSS = "housing_loss", "Lost their housing"
        ARREST = "arrest", "Arrested"
        HOSPITAL = "hospital", "In hospital"
        VICTIM_OF_VIOLENCE = "victim_of_violence", "Victim of violence"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="crises")
    date = models.DateField()
    kind = models.CharField(max_length=24, choices=Kind.choices)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]


class ThreatToLifeDisclosure(BaseModel):
    """A serious, credible and imminent threat to life passed to the police. Recording one
    alerts every manager at once."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="disclosures")
    disclosed_at = models.DateTimeField()
    what = models.TextField("what was disclosed")
    police_told_at = models.DateTimeField("when the police were told")
    police_contact = models.CharField("who at the police was told", max_length=150)
    police_reference = models.CharField(max_length=64)
    follow_up_report = models.TextField("written follow-up report", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-disclosed_at", "-pk"]


class Complaint(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="complaints")
    received_date = models.DateField()
    summary = models.TextField()
    acknowledged_date = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    learning = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_date", "-pk"]

    def __str__(self) -> str:
        return f"Complaint {self.pk}"


class CaseStudy(BaseModel):
    """A story of the person's progress for the OPCC return: only with recorded consent."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_studies")
    consent_date = models.DateField("date the person consented")
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-consent_date", "-pk"]
        verbose_name_plural = "case studies"


class VocationalProfile(BaseModel):
    """What the person has done, can do and wants: kept current, its history kept."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="vocational_profile")
    work_history = models.TextField(blank=True)
    skills = models.TextField(blank=True)
    job_preferences = models.TextField(blank=True)
    hours_wanted = models.CharField(max_length=100, blank=True)
    places_they_can_go = models.TextField("places they can safely go", blank=True)
    places_they_cannot_go = models.TextField("places they cannot safely go", blank=True)
    disclosure_plan = models.TextField("plan for disclosing convictions", blank=True)

    history = HistoricalRecords()


class ActionPlanGoal(BaseModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "No longer a goal"

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="action_plan")
    goal = models.CharField(max_length=300)
    target_date = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)

    history = HistoricalRecords()

    class Meta:
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return self.goal


class FidelityReview(BaseModel):
    """A review against the IPS 25-item fidelity scale: each item scored 1-5 with evidence."""

    period_start = models.DateField()
    period_end = models.DateField()
    reviewed_on = models.DateField()
    #: {"1": {"score": 5, "evidence": "..."}, ..., "25": {...}}
    items = models.JSONField()
    total = models.PositiveSmallIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="caseload_fidelityreview_total_range",
                condition=Q(total__gte=25, total__lte=125),
            )
        ]

    def __str__(self) -> str:
        return f"Fidelity review {self.reviewed_on}"

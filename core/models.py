"""Core models: the shared base model, the custom user and the roles."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords

#: Open cases per full-time worker (IPS: at most 25).
CASES_PER_FULL_TIME_WORKER = 25
#: Above this many open cases per FTE a caseload shows amber (the IPS fidelity scale's top band).
AMBER_CASES_PER_FTE = 20


class BaseModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Role(models.TextChoices):
    SPECIALIST = "specialist", "Employment specialist"
    MANAGER = "manager", "Manager"
    OPCC = "opcc", "OPCC staff"
    EVALUATOR = "evaluator", "Evaluator"
    ADMIN = "admin", "Administrator"

    @classmethod
    def with_caseload(cls) -> frozenset[Role]:
        """Roles that hold cases and so have an FTE and a capacity."""
        return frozenset({cls.SPECIALIST, cls.MANAGER})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        # Emails are compared without regard to case: sign-in must not depend on it.
        return self.get(email__iexact=username)

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=normalise_email(email), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("role", Role.ADMIN)
        extra["is_superuser"] = True
        return self.create_user(email, password, **extra)


def normalise_email(email: str) -> str:
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=20, choices=Role.choices)
    fte = models.DecimalField(
        "full-time equivalent",
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Specialists and managers only: more than 0, at most 1.",
    )
    #: When they began as a worker, for the year's targets (kpi-definitions.md, `year`);
    #: when unknown, the figures take their earliest case start or contact.
    start_date = models.DateField(
        "started as a worker",
        null=True,
        blank=True,
        help_text="Specialists and managers: the first day they worked on the service.",
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    #: The worker_id of a legacy import, so importing again updates rather than duplicates.
    legacy_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # Raised to end every session of the user at once (see get_session_auth_hash).
    session_generation = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.CheckConstraint(
                name="e4e_user_fte_matches_role",
                condition=(
                    Q(
                        role__in=[Role.SPECIALIST, Role.MANAGER],
                        fte__gt=0,
                        fte__lte=1,
                    )
                    | (~Q(role__in=[Role.SPECIALIST, Role.MANAGER]) & Q(fte__isnull=True))
                ),
            ),
            models.CheckConstraint(
                name="e4e_user_role_valid",
                condition=Q(role__in=Role.values),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def capacity(self) -> int:
        """Open cases this worker may hold: floor(25 * FTE); 0 for roles without a caseload."""
        if self.fte is None:
            return 0
        return math.floor(Decimal(CASES_PER_FULL_TIME_WORKER) * Decimal(self.fte))

    @property
    def amber_threshold(self) -> int:
        """Open cases above which the caseload is shown amber: 20 per FTE."""
        if self.fte is None:
            return 0
        return math.floor(Decimal(AMBER_CASES_PER_FTE) * Decimal(self.fte))

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    @property
    def is_invited(self) -> bool:
        """Invited but has not yet set a password."""
        return not self.has_usable_password()

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Every session stores this hash; raising session_generation changes it, which ends
        # every existing session of the user at their next request.
        return salted_hmac(
            "e4e.User.get_session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class AppendOnlyModel(models.Model):
    """A record the app only ever adds: saving an existing row or deleting one raises. The
    database enforces the same for the runtime role (`grant_app_role` gives it only INSERT
    and SELECT on every subclass's table)."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError(f"{self._append_only_name()} cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError(f"{self._append_only_name()} cannot be deleted.")

    def _append_only_name(self) -> str:
        return str(self._meta.verbose_name_plural).capitalize()


class AccessLog(AppendOnlyModel):
    """Who looked at which person's record, when (AL-3). Append-only: never changed or deleted
    by the app. Holds ids only, never names or case content."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(max_length=32)
    subject_id = models.PositiveBigIntegerField()
    view_name = models.CharField(max_length=100)
    request_id = models.CharField(max_length=64, blank=True)
    #: Why the user could see it, when not their own: "cover" (covering a colleague's case
    #: during leave). Empty for a worker's own case and a manager's view.
    basis = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.user_id} viewed {self.subject_type} {self.subject_id} at {self.at}"


class ApiToken(models.Model):
    """A personal token for the evaluators' read-only API, made after signing in with the
    second factor. Only its SHA-256 is stored; it is shown once, expires and can be revoked."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    #: The first characters of the token, to tell tokens apart on the page.
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class StoredFile(models.Model):
    """The SHA-256 of every file in private storage (core.storage), recorded when it is
    written, so that a backup and a restore can prove each file is the one the app saved.
    Files written before this existed get theirs from the first backup (core.backup)."""

    #: The storage name (relative to MEDIA_ROOT), as the FileField holds it.
    path = models.CharField(max_length=255, unique=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return f"{self.path} ({self.sha256[:12]}…)"


class SubmissionKey(models.Model):
    """A create form's one-time key, written in the same transaction as the row the form
    made (core.once): the same form posted again finds it and writes nothing."""

    key = models.CharField(max_length=64, unique=True)
    #: Whose post it was (none for the anonymous partner form) and where it was posted (a
    #: hash: a partner link's URL is its secret): a key is honoured only for both again.
    user = models.ForeignKey(User, null=True, on_delete=models.CASCADE, related_name="+")
    path_hash = models.CharField(max_length=64)
    #: Where the first post sent the user; relative to the posted URL when under it.
    redirect_to = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"Submission key {self.pk}"

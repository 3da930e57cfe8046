"""The person's plan: their vocational profile and the goals of their action plan."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from caseload.models.cases import Case
from core.models import BaseModel


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

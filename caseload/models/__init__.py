"""Cases and what happens on them: contacts, outcomes, assessments and the rest.

Every model is imported here: Django finds an app's models in its `models` module, and
migrations and the other apps refer to them as `caseload.models.X`. Everything else is
imported from its submodule.
"""

from caseload.models.access import CaseUserObjectPermission, Cover
from caseload.models.appointments import Appointment, CalendarFeed
from caseload.models.assessments import DistanceAssessment, InitialAssessment, RiskAssessment
from caseload.models.cases import Case
from caseload.models.contacts import Contact
from caseload.models.employers import Employer
from caseload.models.outcomes import Outcome
from caseload.models.plans import ActionPlanGoal, VocationalProfile
from caseload.models.pseudonyms import CasePseudonym
from caseload.models.records import (
    CaseStudy,
    Complaint,
    CrisisEpisode,
    Feedback,
    Offence,
    Signposting,
    ThreatToLifeDisclosure,
)
from caseload.models.reminders import Reminder, ReminderConsent
from caseload.models.tasks import Task

__all__ = [
    "ActionPlanGoal",
    "Appointment",
    "CalendarFeed",
    "Case",
    "CasePseudonym",
    "CaseStudy",
    "CaseUserObjectPermission",
    "Complaint",
    "Contact",
    "Cover",
    "CrisisEpisode",
    "DistanceAssessment",
    "Employer",
    "Feedback",
    "InitialAssessment",
    "Offence",
    "Outcome",
    "Reminder",
    "ReminderConsent",
    "RiskAssessment",
    "Signposting",
    "Task",
    "ThreatToLifeDisclosure",
    "VocationalProfile",
]

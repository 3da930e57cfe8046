"""Code lists shared by the screens, the importer and the return (see the import format)."""

from __future__ import annotations

from django.db import models


class Source(models.TextChoices):
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    PRISON = "prison", "Prison"
    DWP = "dwp", "DWP / Jobcentre Plus"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    CHILDRENS_TRUST = "childrens_trust", "Children's trust"
    FURTHER_EDUCATION = "further_education", "Further education"
    SCHOOL = "school", "School"
    COMMUNITY_GROUP = "community_group", "Community group"
    SELF = "self", "Self-referral"
    OTHER = "other", "Other"


class RejectionReason(models.TextChoices):
    RISK_UNACCEPTABLE = "risk_unacceptable", "Risk cannot be managed safely"
    CAPACITY = "capacity", "No capacity"
    INELIGIBLE_AGE = "ineligible_age", "Not eligible: age"
    INELIGIBLE_AREA = "ineligible_area", "Not eligible: area"
    NOT_READY = "not_ready", "Not ready to engage"
    DUPLICATE = "duplicate", "Duplicate referral"
    OTHER = "other", "Other"


class ClosureReason(models.TextChoices):
    SUSTAINED_OUTCOME = "sustained_outcome", "Sustained outcome"
    DISENGAGED = "disengaged", "Disengaged"
    MOVED_AWAY = "moved_away", "Moved away"
    CUSTODY = "custody", "In custody"
    TRANSFERRED = "transferred", "Transferred"
    CLIENT_REQUEST = "client_request", "Client's request"
    OTHER = "other", "Other"


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_STATED = "not_stated", "Not stated"


class Ethnicity(models.TextChoices):
    """ONS 2021 high-level groups."""

    ASIAN = "asian", "Asian, Asian British or Asian Welsh"
    BLACK = "black", "Black, Black British, Black Welsh, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class Cohort(models.TextChoices):
    AT_RISK = "at_risk", "At risk"
    CONVICTED = "convicted", "Convicted"


class Need(models.TextChoices):
    ACCOMMODATION = "accommodation", "Accommodation"
    BENEFITS = "benefits", "Benefits"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    MENTAL_HEALTH = "mental_health", "Mental health"
    DEBT = "debt", "Debt"
    IDENTITY_DOCUMENTS = "identity_documents", "Identity documents"
    OTHER = "other", "Other"

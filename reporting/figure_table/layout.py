"""The return's tables, the categories of its breakdowns, and its sections in the order the
OPCC's template reads them (the pages and the PDF follow it)."""

from __future__ import annotations

from caseload.models import Case, CrisisEpisode
from core.codes import Ethnicity, Gender, Need, RejectionReason, Source
from reporting.figure_table.shapes import Categories, ReturnChart, ReturnSection, ReturnTable

# --- Categories --------------------------------------------------------------------------

SOURCES: Categories = tuple(Source.choices)
REJECTION_REASONS: Categories = tuple(RejectionReason.choices)
ETHNICITIES: Categories = tuple(Ethnicity.choices)
GENDERS: Categories = tuple(Gender.choices)
AGE_BANDS: Categories = (
    ("under_18", "Under 18"),
    ("18_21", "18 to 21"),
    ("22_25", "22 to 25"),
    ("26_30", "26 to 30"),
    ("31_35", "31 to 35"),
    ("over_35", "Over 35"),
)
PRIOR_SUPPORT: Categories = tuple(Case.PriorSupport.choices)
NEEDS: Categories = tuple(Need.choices)
CRISIS_KINDS: Categories = tuple(CrisisEpisode.Kind.choices)
TIME_ON_SERVICE: Categories = (
    ("0_6_months", "0 to 6 months"),
    ("6_12_months", "6 to 12 months"),
    ("over_12_months", "Over 12 months"),
)
DOMAINS: Categories = (
    ("confidence", "Confidence"),
    ("motivation", "Motivation"),
    ("readiness", "Readiness"),
    ("stability", "Stability"),
    ("housing", "Housing"),
    ("finances", "Finances"),
    ("wellbeing", "Wellbeing"),
)

# --- The tables, and the sections as the OPCC's template reads them ----------------------

REFERRALS = ReturnTable("Referrals and decisions")
BY_SOURCE = ReturnTable(
    "Referrals by source",
    rows="Source",
    chart=ReturnChart("chart-referrals-by-source", "New referrals by source"),
)
BY_REASON = ReturnTable("Rejections by reason", rows="Reason")
BY_PRIOR_SUPPORT = ReturnTable(
    "Cases started, by similar support before (statement of requirement 5.30)",
    rows="Had similar support before",
)
CASELOAD = ReturnTable("Caseload", chart=ReturnChart("chart-caseload", "Caseload"))
TIME_ON_CASELOAD = ReturnTable("Time on the caseload")
BY_WORKER = ReturnTable("Caseload by worker", rows="Worker")
HOURS = ReturnTable(
    "Hours of contact",
    rows="Mode",
    values="Hours",
    chart=ReturnChart("chart-hours", "Hours of contact by mode"),
)
OUT_OF_HOURS = ReturnTable("Out of hours")
ENGAGEMENT = ReturnTable("Sustained engagement")
FEEDBACK = ReturnTable("Service user feedback (mean scores, 1 to 5)")
REASSESSMENTS = ReturnTable("Reassessments")
MEAN_CHANGE = ReturnTable(
    "Mean change in score, first to latest assessment (1 to 10)", rows="Domain"
)
STARTS = ReturnTable(
    "Outcomes started, by type",
    rows="Outcome",
    values="Started",
    chart=ReturnChart("chart-outcomes", "Outcomes started, by type"),
)
PAID_WORK = ReturnTable("Paid work")
BY_TIME_ON_SERVICE = ReturnTable(
    "Paid outcomes started, by time on the service", rows="Time on the service"
)
FIDELITY = ReturnTable("Fidelity")
FUND = ReturnTable("Enterprise fund")
BY_ETHNICITY = ReturnTable(
    "By ethnicity",
    rows="Ethnicity",
    chart=ReturnChart("chart-equity-ethnicity", "New referrals by ethnicity"),
)
BY_GENDER = ReturnTable("By gender", rows="Gender")
BY_AGE_BAND = ReturnTable("By age on the referral date", rows="Age on the referral date")
CUMULATIVE = ReturnTable("Cumulative")
SIGNPOSTING = ReturnTable("Signposting")
BY_NEED = ReturnTable(
    "Signposting by need",
    rows="Need",
    chart=ReturnChart("chart-signposting-by-need", "Signposting by need"),
)
CRISES = ReturnTable("Crises")
BY_CRISIS_KIND = ReturnTable("Crisis episodes by kind", rows="Kind of crisis")
HOUSING_AND_FINANCES = ReturnTable("Housing and finances, first to latest assessment")
COMPLAINTS = ReturnTable("Complaints")
YEAR = ReturnTable("The financial year to date")
YEAR_BY_WORKER = ReturnTable("The year by worker, against the targets", rows="Worker")

SECTIONS: tuple[ReturnSection, ...] = (
    ReturnSection(
        "access",
        "access",
        "Access to the service",
        "Table 1",
        (REFERRALS, BY_SOURCE, BY_REASON, BY_PRIOR_SUPPORT),
        summary=(
            "Referrals received and decided in the quarter, and how long people waited from "
            "referral to their initial assessment."
        ),
    ),
    ReturnSection(
        "caseload",
        "caseload",
        "Caseload",
        "Table 1",
        (CASELOAD, TIME_ON_CASELOAD, BY_WORKER),
        summary=(
            "Cases on the service: carried over, started, open and active (in contact in the last "
            "28 days) at the end of the quarter, by worker."
        ),
    ),
    ReturnSection(
        "hours",
        "hours",
        "Service provider information",
        "Table 1",
        (HOURS, OUT_OF_HOURS),
        summary=(
            "Hours of recorded contact in the quarter by mode, and the work done out of hours."
        ),
    ),
    ReturnSection(
        "engagement",
        "engagement",
        "Engagement",
        "Outcome Framework 12.1",
        (ENGAGEMENT, FEEDBACK),
        summary=(
            "Whether people stay in contact: the share of cases still active 6, 12 and 24 weeks "
            "after starting, returns after a gap, and what people said in feedback."
        ),
    ),
    ReturnSection(
        "distance",
        "distance_travelled",
        "Distance travelled",
        "Outcome Framework 12.2",
        (REASSESSMENTS, MEAN_CHANGE),
        summary=(
            "Change in the seven self-assessed scores (1 to 10) from a person's first assessment "
            "to their latest, over cases reassessed this quarter."
        ),
    ),
    ReturnSection(
        "stability",
        "stability",
        "Stability",
        "Outcome Framework 12.3 and 12.7.2",
        (SIGNPOSTING, BY_NEED, CRISES, BY_CRISIS_KIND, HOUSING_AND_FINANCES),
        summary=(
            "Signposting to other services and whether people engaged, crises and whether they "
            "became rarer, and housing and finances scores."
        ),
    ),
    ReturnSection(
        "employment",
        "employment",
        "Employment",
        "Outcome Framework 12.4",
        (STARTS, PAID_WORK, BY_TIME_ON_SERVICE),
        summary=(
            "Jobs, self-employment, training, education and volunteering started in the quarter, "
            "and whether paid work lasted 13, 26 and 52 weeks."
        ),
    ),
    ReturnSection(
        "voice",
        "voice",
        "Service user voice",
        "Outcome Framework 12.5",
        (COMPLAINTS,),
        summary=("Complaints received, acknowledged within 30 days and resolved."),
    ),
    ReturnSection(
        "equity",
        "equity",
        "Equity",
        "Outcome Framework 12.6",
        (BY_ETHNICITY, BY_GENDER, BY_AGE_BAND),
        summary=(
            "New referrals, people starting and people starting paid work, by ethnicity, gender "
            "and age on the referral date."
        ),
    ),
    ReturnSection(
        "fidelity",
        "fidelity",
        "IPS fidelity indicators",
        "Statement of requirement 8.6",
        (FIDELITY,),
        summary=(
            "IPS fidelity indicators: how soon workers meet employers for the people they "
            "support, and caseloads within capacity."
        ),
    ),
    ReturnSection(
        "fund",
        "enterprise_fund",
        "Enterprise fund",
        "Service specification 8",
        (FUND,),
        summary=(
            "Enterprise fund bids submitted and decided, money awarded against the fund, and "
            "whether the businesses kept trading."
        ),
    ),
    ReturnSection(
        "year",
        "year",
        "The year against the targets",
        "Statement of requirement 8.3 and 8.4",
        (YEAR, YEAR_BY_WORKER),
        summary=(
            "The financial year to date against the statement of requirement's targets: 35 people "
            "and 17 paid outcomes per full-time worker in their first year, 45 and 22 after, pro- "
            "rated."
        ),
    ),
    ReturnSection(
        "cumulative",
        "cumulative",
        "Since the service began",
        "Cumulative figures",
        (CUMULATIVE,),
        summary=(
            "Everyone the service has supported since it began, the share who went into paid "
            "work, and the share who reoffended while on the service."
        ),
    ),
)

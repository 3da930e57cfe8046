"""The IPS 25-item fidelity scale as the UK review form sets it out: its three sections, each
item's 1-5 scoring guidance, the bands of the total, and how this service reads the items it
adapts for a non-clinical setting.

The guidance paraphrases the scale's anchors (one sentence a score); it is what a reviewer
scores against on the form and what a saved review shows beside each score.

Adapted items: the statement of requirement (4.3) adapts two of the IPS principles for this
non-clinical setting, read here as (a) employment support integrated with treatment and (d)
work incentives (benefits) planning. The items resting on them keep the scale's anchors and
carry a note of how they are read in this service (ADAPTED).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: The principles of the statement of requirement (4.3) adapted here: letter -> principle.
PRINCIPLES: dict[str, str] = {
    "a": "employment support integrated with treatment",
    "d": "work incentives (benefits) planning",
}


@dataclass(frozen=True)
class Item:
    """One item of the scale: what it looks for, and what each score from 1 to 5 means."""

    number: int
    name: str
    looks_for: str
    #: The guidance for scores 1, 2, 3, 4 and 5, in that order.
    anchors: tuple[str, str, str, str, str]

    def anchor(self, score: int) -> str:
        return self.anchors[score - 1]

    @property
    def adaptation(self) -> Adaptation | None:
        return ADAPTED.get(self.number)


@dataclass(frozen=True)
class Adaptation:
    """How an item resting on an adapted principle is read in this service."""

    principle: str
    note: str

    @property
    def principle_name(self) -> str:
        return PRINCIPLES[self.principle]


@dataclass(frozen=True)
class Section:
    name: str
    numbers: tuple[int, ...]

    @property
    def items(self) -> list[Item]:
        return [ITEM[n] for n in self.numbers]

    @property
    def most(self) -> int:
        """The highest subtotal the section can score."""
        return 5 * len(self.numbers)


def _counted(elements: str) -> tuple[str, str, str, str, str]:
    """Anchors for an item scored by how many of its five elements are in place."""
    return (
        f"One or none of the five {elements} is in place.",
        f"Two of the five {elements} are in place.",
        f"Three of the five {elements} are in place.",
        f"Four of the five {elements} are in place.",
        f"All five {elements} are in place.",
    )


def _share(of_what: str) -> tuple[str, str, str, str, str]:
    """Anchors for the two diversity items, scored by the same shares."""
    return (
        f"Fewer than half of the jobs people get are {of_what}.",
        f"50-59% of the jobs people get are {of_what}.",
        f"60-69% of the jobs people get are {of_what}.",
        f"70-84% of the jobs people get are {of_what}.",
        f"85% or more of the jobs people get are {of_what}.",
    )


ITEMS: tuple[Item, ...] = (
    # --- Staffing ---------------------------------------------------------------------------
    Item(
        1,
        "Caseload size",
        "No full-time specialist holds more than 20 people, those looking for work and those "
        "in work together (a part-timer pro rata).",
        (
            "41 or more people per full-time specialist.",
            "31 to 40 people per full-time specialist.",
            "26 to 30 people per full-time specialist.",
            "21 to 25 people per full-time specialist.",
            "20 or fewer people per full-time specialist.",
        ),
    ),
    Item(
        2,
        "Employment services staff",
        "Specialists spend their time on employment support only, not on other casework.",
        (
            "About 80% or more of specialists' time goes on other work, such as case management.",
            "About 60% of specialists' time goes on other work.",
            "About 40% of specialists' time goes on other work.",
            "About 20% of specialists' time goes on other work.",
            "Specialists do employment support only.",
        ),
    ),
    Item(
        3,
        "Vocational generalists",
        "Each specialist takes a person through all six phases: intake, engagement, assessment, "
        "job placement, job coaching and support in work.",
        (
            "Specialists only refer people on to other providers for employment help.",
            "Specialists hold a caseload but send people elsewhere for the employment support.",
            "Specialists deliver one to four of the six phases themselves.",
            "Specialists deliver five of the six phases themselves.",
            "Specialists deliver all six phases themselves.",
        ),
    ),
    # --- Organisation -----------------------------------------------------------------------
    Item(
        4,
        "Integration of rehabilitation with mental health treatment through team assignment",
        "Each specialist works with one or two treatment teams, from which at least 90% of "
        "their caseload comes.",
        (
            "Specialists work in a separate employment programme, apart from treatment.",
            "Specialists are attached to three or more teams, or to one or two that supply "
            "under half their caseload.",
            "Specialists are attached to one or two teams that supply 50-74% of their caseload.",
            "Specialists are attached to one or two teams that supply 75-89% of their caseload.",
            "Specialists are attached to one or two teams that supply 90% or more of their "
            "caseload.",
        ),
    ),
    Item(
        5,
        "Integration of rehabilitation with mental health treatment through frequent contact",
        "Five elements: specialists go to the team's meeting weekly, take part in its decisions "
        "about people, help it think about work for everyone, write in the shared record and "
        "work from an office near the team's.",
        _counted("elements"),
    ),
    Item(
        6,
        "Collaboration between employment specialists and vocational rehabilitation",
        "Specialists and the public employment service (Jobcentre Plus work coaches) keep in "
        "touch about the people they share.",
        (
            "They are in touch about shared people less than every three months, or not at all.",
            "They are in touch about shared people about every three months.",
            "They are in touch about shared people about monthly.",
            "They meet at least every three months, or are in touch about shared people weekly.",
            "They meet at least monthly and are in touch about shared people weekly.",
        ),
    ),
    Item(
        7,
        "Vocational unit",
        "Specialists form a unit with a leader: weekly case supervision as a group, job leads "
        "shared, each other's caseloads covered.",
        (
            "Specialists are not part of an employment unit.",
            "Specialists share a supervisor but do not meet as a group.",
            "Specialists share a supervisor and talk cases through together, but do not work "
            "each other's cases.",
            "At least two specialists and a leader meet two to four times a month for case "
            "supervision, or cover each other's caseloads.",
            "At least two full-time specialists and a leader meet weekly for strengths-based "
            "case supervision, share job leads and cover each other's caseloads.",
        ),
    ),
    Item(
        8,
        "Role of the employment supervisor",
        "Five elements: one full-time leader for no more than ten specialists and nothing else "
        "to supervise; weekly group supervision on people; regular contact with the treatment "
        "teams' leaders; time out with new or struggling specialists monthly; outcomes reviewed "
        "and goals set with each specialist quarterly.",
        _counted("elements"),
    ),
    Item(
        9,
        "Zero exclusion criteria",
        "Everyone who wants to work can use the service, whatever their readiness, substance "
        "use, offending, symptoms or presentation, and is helped again when a job ends.",
        (
            "A formal policy screens people out as not ready (substance use, offending, "
            "low functioning and the like).",
            "Most people cannot use the service because of several screening criteria.",
            "Some people cannot use the service because of screening criteria.",
            "No one is screened out, but referrals are not sought from a wide range of sources.",
            "No one is screened out at referral or later, referrals are sought widely, and help "
            "is offered again whenever a job ends.",
        ),
    ),
    Item(
        10,
        "Agency focus on competitive employment",
        "Five elements: intake asks about work; reviews of each person's plan ask again; "
        "posters and leaflets about work are on show; people's work stories are shared at "
        "least twice a year; the rate of paid work is measured quarterly and shared.",
        _counted("elements"),
    ),
    Item(
        11,
        "Executive team support for supported employment",
        "Five elements: leaders know the IPS principles; quality checks review the employment "
        "service; a senior leader attends its steering group; the chief executive says how it "
        "serves the mission; its lead tells the executive of barriers and successes.",
        _counted("elements"),
    ),
    # --- Services ---------------------------------------------------------------------------
    Item(
        12,
        "Work incentives planning",
        "Before starting a job everyone is offered a personal plan, from someone trained to give "
        "it, of how work will change their benefits and income.",
        (
            "Benefits planning is not readily available to most people.",
            "Specialists refer people for benefits advice only when they ask.",
            "Specialists refer people for benefits advice when a benefits problem comes up.",
            "Specialists help people get benefits planning, but not always before a job starts.",
            "Everyone is offered personal benefits planning before a job starts, and again as "
            "their work or income changes.",
        ),
    ),
    Item(
        13,
        "Disclosure",
        "Four practices: no one is made to disclose; preferences are asked before any employer "
        "is approached; the pros and cons are talked through for the person's own situation; "
        "what will be said is agreed, and revisited.",
        (
            "None of the four practices is in place.",
            "One of the four practices is in place.",
            "Two of the four practices are in place.",
            "Three of the four practices are in place.",
            "All four practices are in place.",
        ),
    ),
    Item(
        14,
        "Ongoing, work-based vocational assessment",
        "The vocational profile starts over two or three meetings and is updated from each job, "
        "drawing on the person and, with consent, others who know them.",
        (
            "Assessment comes before any job search, by office tests and work samples.",
            "Assessment goes step by step through pre-vocational work, volunteering or "
            "set-aside jobs.",
            "Specialists help people into jobs without reviewing their interests, strengths and "
            "experience, or learning from jobs that end.",
            "Specialists help people learn from each job, but the vocational profile is not kept "
            "up to date.",
            "The profile is built early and updated with every job, its problems and its end.",
        ),
    ),
    Item(
        15,
        "Rapid search for competitive jobs",
        "The first face-to-face contact with an employer about a job, by the person or the "
        "specialist, comes within 30 days of starting.",
        (
            "On average 271 days or more after starting.",
            "On average 151 to 270 days after starting.",
            "On average 61 to 150 days after starting.",
            "On average 31 to 60 days after starting.",
            "On average within 30 days of starting.",
        ),
    ),
    Item(
        16,
        "Individualised job search",
        "Employer contacts follow each person's own preferences, strengths and circumstances, "
        "not whatever jobs are going, with a job search plan kept up to date.",
        (
            "Fewer than 25% of employer contacts follow the person's preferences.",
            "25-49% of employer contacts follow the person's preferences.",
            "50-74% of employer contacts follow the person's preferences.",
            "75-89% of employer contacts follow the person's preferences.",
            "90% or more of employer contacts follow the person's preferences and plan.",
        ),
    ),
    Item(
        17,
        "Job development: frequent employer contact",
        "Each specialist makes at least six face-to-face contacts a week with employers on "
        "behalf of particular people looking for work.",
        (
            "Fewer than two face-to-face employer contacts a week.",
            "Two face-to-face employer contacts a week.",
            "Three or four face-to-face employer contacts a week.",
            "Five face-to-face employer contacts a week.",
            "Six or more a week (or two for each person looking, where fewer than three are).",
        ),
    ),
    Item(
        18,
        "Job development: quality of employer contact",
        "Specialists build relationships with employers over several visits: learning what the "
        "employer needs and putting forward a person who fits.",
        (
            "Specialists meet employers only when handing in applications, or rarely.",
            "Specialists ask employers about vacancies and pass the leads on.",
            "Specialists follow up advertised vacancies, introduce the service and ask for an "
            "interview.",
            "Specialists meet employers whether or not there is a vacancy, speak for people's "
            "strengths and ask for interviews.",
            "Specialists learn each employer's needs over repeated visits, say what the service "
            "offers and match people to them.",
        ),
    ),
    Item(
        19,
        "Diversity of job types",
        "Specialists help people into different kinds of job.",
        _share("of different kinds"),
    ),
    Item(
        20,
        "Diversity of employers",
        "Specialists help people into jobs with different employers.",
        _share("with different employers"),
    ),
    Item(
        21,
        "Competitive jobs",
        "Jobs are ordinary, permanent jobs open to anyone and paying at least the minimum wage, "
        "not set aside for people on the service.",
        (
            "Under 65% of the jobs offered are competitive, or fewer than ten people are in work.",
            "65-74% of the jobs offered are competitive.",
            "75-84% of the jobs offered are competitive.",
            "85-94% of the jobs offered are competitive.",
            "95% or more of the jobs offered are competitive.",
        ),
    ),
    Item(
        22,
        "Individualised follow-along supports",
        "People in work get the support that suits their job and needs, from the specialist and "
        "others, and employers are supported too when the person asks.",
        (
            "Most people get no support once they start a job.",
            "About half of those in work get a narrow range of support, mostly from the "
            "specialist.",
            "Most of those in work get a narrow range of support, mostly from the specialist.",
            "People get support suited to their job and needs, and employers are helped when the "
            "person asks.",
            "Support comes from several people around the person, employers are helped when "
            "asked, and career steps are offered.",
        ),
    ),
    Item(
        23,
        "Time-unlimited follow-along supports",
        "Specialists see people just before and just after they start, weekly in the first "
        "month, then at least monthly for a year or more while they want it.",
        (
            "Specialists do not see people face to face after their first month in a job.",
            "Specialists see fewer than half of those in work face to face for four months.",
            "Specialists see at least half of those in work face to face for four months.",
            "Specialists see people weekly in their first month, then at least monthly for a "
            "year or more while they want it.",
            "As for 4, with a visit in the week before the start and in the three days after, "
            "and a planned step down.",
        ),
    ),
    Item(
        24,
        "Community-based services",
        "Specialists spend most of their working hours out in the community, not in the office.",
        (
            "30% or less of specialists' scheduled hours are spent in the community.",
            "30-39% of scheduled hours are spent in the community.",
            "40-49% of scheduled hours are spent in the community.",
            "50-64% of scheduled hours are spent in the community.",
            "65% or more of scheduled hours are spent in the community.",
        ),
    ),
    Item(
        25,
        "Assertive engagement and outreach by the integrated team",
        "Six strategies: no closing for missed appointments or set time limits; outreach "
        "attempts recorded; outreach by the team around the person; repeated visits at home or "
        "in the community; joint visits; contact with family where it fits.",
        (
            "Two or fewer of the six strategies are used.",
            "Three of the six strategies are used.",
            "Four of the six strategies are used.",
            "Five of the six strategies are used.",
            "All six strategies are used.",
        ),
    ),
)

#: Item number -> item.
ITEM: dict[int, Item] = {item.number: item for item in ITEMS}

#: The scale's three sections, as the review form groups them.
SECTIONS: tuple[Section, ...] = (
    Section("Staffing", tuple(range(1, 4))),
    Section("Organisation", tuple(range(4, 12))),
    Section("Services", tuple(range(12, 26))),
)

#: The items resting on the adapted principles (a and d), and how each is read here.
ADAPTED: dict[int, Adaptation] = {
    4: Adaptation(
        "a",
        "The treatment team is read as the partner agencies the person comes from: probation, "
        "youth offending and housing teams.",
    ),
    5: Adaptation(
        "a",
        "Read as regular, planned contact with each person's probation, youth offending or "
        "housing worker, sharing notes only as the person consents.",
    ),
    8: Adaptation(
        "a",
        "The treatment teams' leaders are read as the managers of the partner agencies: "
        "probation, youth offending and housing.",
    ),
    12: Adaptation(
        "d",
        "Read as a better-off-in-work calculation and benefits advice from the specialist or a "
        "benefits adviser the person is signposted to, as no clinical team provides it.",
    ),
    25: Adaptation(
        "a",
        "The integrated team is read as the specialist with the person's probation, youth "
        "offending or housing worker.",
    ),
}

#: (lowest total, band) from the top: 115-125 exemplary, 100-114 good, 74-99 fair.
BANDS: list[tuple[int, str]] = [
    (115, "Exemplary fidelity"),
    (100, "Good fidelity"),
    (74, "Fair fidelity"),
    (0, "Not supported employment"),
]


def band(total: int) -> str:
    return next(label for lowest, label in BANDS if total >= lowest)


def subtotals(scores: Mapping[int, int | None]) -> list[tuple[Section, int]]:
    """Each section with the sum of its items' scores (an unscored item adds nothing)."""
    return [(section, sum(scores.get(n) or 0 for n in section.numbers)) for section in SECTIONS]

"""Writes to the returns and their jobs. Views, tasks and commands all come through here.

A return is started as a draft with a job that snapshots its figures; the manager writes
the narrative and signs it off, which freezes it and queues the PDF and CSV builds. A
signed-off return never changes again: a correction is a new version of the same period.

Every job row is written in the same transaction as the change that needs it, and its
task is sent only when that transaction commits (JB-1). If the broker cannot take the
task, the job stays queued and the sweep sends it later (JB-2).

By concern: returns (start, correct, sign off, rebuild the files), narrative (the manager's
text and what sign-off needs), case updates (the update on each active case: drafted by the
snapshot in case_update_drafts, written and submitted by its specialist, reviewed by a
manager), jobs (the snapshot, PDF and CSV builds, their retries and the sweep).
"""

from reporting.services.case_update_drafts import case_updates_draft
from reporting.services.case_updates import (
    case_update_review,
    case_update_save,
    case_update_submit,
)
from reporting.services.common import FROZEN_MESSAGE
from reporting.services.jobs import (
    HARD_TIME_LIMIT,
    MAX_ATTEMPTS,
    MAX_RETRIES,
    SOFT_TIME_LIMIT,
    failure_reason,
    return_job_attempt_failed,
    return_job_retry,
    return_job_run,
    return_jobs_sweep,
)
from reporting.services.narrative import (
    return_narrative_update,
    sign_off_problems,
    updates_not_reviewed,
)
from reporting.services.returns import (
    return_files_rebuild,
    return_sign_off,
    return_start,
    return_start_correction,
)

__all__ = [
    "FROZEN_MESSAGE",
    "HARD_TIME_LIMIT",
    "MAX_ATTEMPTS",
    "MAX_RETRIES",
    "SOFT_TIME_LIMIT",
    "case_update_review",
    "case_update_save",
    "case_update_submit",
    "case_updates_draft",
    "failure_reason",
    "return_files_rebuild",
    "return_job_attempt_failed",
    "return_job_retry",
    "return_job_run",
    "return_jobs_sweep",
    "return_narrative_update",
    "return_sign_off",
    "return_start",
    "return_start_correction",
    "sign_off_problems",
    "updates_not_reviewed",
]

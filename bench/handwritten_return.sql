-- The quarterly return's figures (shared/spec/kpi-definitions.md) as one PostgreSQL
-- statement, written by hand for speed: the baseline the ORM's return is measured against.
-- Parameters: start and end, the period's first and last days (both included).
--
-- Every count, sum and cohort size comes back exact; percentages, means and hours are
-- left to the caller to round (half-even, one decimal, from the exact ratio). Breakdowns
-- by a code list come back as JSON objects holding the codes that occur; the caller adds
-- the zeros.
--
-- Contacts are read by date only over the period and the 28 days before it. Every
-- "active on day d" test the return makes (the day before the period, its last day, each
-- engagement milestone in it) looks back at most 27 days from a day in that range, and a
-- client contact in the period whose previous one is not in that range came more than 28
-- days after it. Older history is probed through the (case, party, date) index, and only
-- for the few cases a figure needs it for: whether a case's face-to-face employer contact
-- in the period is its first, the early-visit cohort, and the cases started in the range
-- (whose first client contact in it may yet follow an older one rather than the start).
WITH
-- Per case, its client contacts in the range, each with the one before it: one sort by
-- case and date serves both the window and the grouping.
case_contacts AS (
    SELECT
        case_id,
        min(date) AS first_client,
        bool_or(date < %(start)s::date) AS client_before_period,
        bool_or(date >= %(end)s::date - 27) AS client_at_end,
        bool_or(date - start_date BETWEEN 42 - 27 AND 42) AS client_at_6_weeks,
        bool_or(date - start_date BETWEEN 84 - 27 AND 84) AS client_at_12_weeks,
        bool_or(date - start_date BETWEEN 168 - 27 AND 168) AS client_at_24_weeks,
        -- A contact in the period, while the case was open, more than 28 days after the
        -- client contact before it (when that one is in the range too).
        bool_or(
            date >= %(start)s::date
            AND date >= start_date
            AND (closed_date IS NULL OR closed_date > date)
            AND date - previous > 28
        ) AS re_engaged_after_contact
    FROM (
        SELECT
            c.case_id,
            c.date,
            k.start_date,
            k.closed_date,
            lag(c.date) OVER (PARTITION BY c.case_id ORDER BY c.date) AS previous
        FROM caseload_contact AS c
        JOIN caseload_case AS k ON k.id = c.case_id
        WHERE c.date BETWEEN %(start)s::date - 28 AND %(end)s::date
            AND c.party = 'client'
            AND c.mode <> 'admin'
    ) AS client_contacts
    GROUP BY case_id
),

-- Cases started in the range with a client contact before the range: for their first
-- client contact in the range, the gap is from that older one, not from the start.
client_before_range AS (
    SELECT k.id AS case_id
    FROM caseload_case AS k
    WHERE k.start_date BETWEEN %(start)s::date - 28 AND %(end)s::date
        AND EXISTS (
            SELECT 1
            FROM caseload_contact AS c
            WHERE c.case_id = k.id
                AND c.party = 'client'
                AND c.mode <> 'admin'
                AND c.date < %(start)s::date - 28
        )
),

-- The contacts in the period, by worker and case: hours, employer visits.
period_contacts AS (
    SELECT
        worker_id,
        case_id,
        count(*) FILTER (WHERE mode = 'face_to_face' AND party = 'employer') AS employer_visits,
        min(date) FILTER (WHERE mode = 'face_to_face' AND party = 'employer') AS first_visit,
        sum(duration_minutes) FILTER (WHERE mode = 'face_to_face') AS face_to_face_minutes,
        sum(duration_minutes) FILTER (WHERE mode IN ('phone', 'video', 'message'))
            AS remote_minutes,
        sum(duration_minutes) FILTER (WHERE mode = 'admin') AS admin_minutes
    FROM caseload_contact
    WHERE date BETWEEN %(start)s::date AND %(end)s::date
    GROUP BY worker_id, case_id
),

-- Cases whose first face-to-face employer contact ever is in the period: for each case
-- with one in the period, its first, from the (case, party, date) index.
first_visits AS (
    SELECT v.case_id, earliest.date AS first_visit
    FROM (
        SELECT DISTINCT case_id
        FROM period_contacts
        WHERE first_visit IS NOT NULL AND case_id IS NOT NULL
    ) AS v
    CROSS JOIN LATERAL (
        SELECT c.date
        FROM caseload_contact AS c
        WHERE c.case_id = v.case_id AND c.party = 'employer' AND c.mode = 'face_to_face'
        ORDER BY c.date
        LIMIT 1
    ) AS earliest
    WHERE earliest.date >= %(start)s::date
),

-- The early-visit cohort's cases (start + 30 days in the period) that had a face-to-face
-- employer contact by then.
early_visits AS (
    SELECT k.id AS case_id
    FROM caseload_case AS k
    WHERE k.start_date BETWEEN %(start)s::date - 30 AND %(end)s::date - 30
        AND EXISTS (
            SELECT 1
            FROM caseload_contact AS c
            WHERE c.case_id = k.id
                AND c.party = 'employer'
                AND c.mode = 'face_to_face'
                AND c.date <= k.start_date + 30
        )
),

outcomes AS (
    SELECT
        o.case_id,
        o.type,
        o.start_date,
        o.end_date,
        o.hours_per_week,
        o.type IN ('paid_employment', 'self_employment') AS paid,
        o.start_date >= %(start)s::date AS started,
        o.start_date - k.start_date AS days_on_service
    FROM caseload_outcome AS o
    JOIN caseload_case AS k ON k.id = o.case_id
    WHERE o.start_date <= %(end)s::date
),

case_outcomes AS (
    SELECT
        case_id,
        count(*) FILTER (WHERE paid AND started) AS paid_starts,
        bool_or(paid) AS paid_by_end
    FROM outcomes
    GROUP BY case_id
),

offences AS (
    SELECT DISTINCT f.case_id
    FROM caseload_offence AS f
    JOIN caseload_case AS k ON k.id = f.case_id
    WHERE f.date <= %(end)s::date
        AND f.date >= k.start_date
        AND (k.closed_date IS NULL OR k.closed_date > f.date)
),

-- Every case once, with what each figure asks of it.
cases AS (
    SELECT
        k.id,
        k.worker_id,
        k.referral_id,
        k.start_date,
        k.closed_date,
        k.start_date BETWEEN %(start)s::date AND %(end)s::date AS started,
        k.closed_date BETWEEN %(start)s::date AND %(end)s::date AS closed,
        k.start_date <= %(start)s::date - 1
            AND (k.closed_date IS NULL OR k.closed_date > %(start)s::date - 1)
            AND (k.start_date >= %(start)s::date - 28 OR cc.client_before_period)
            AS carried_over,
        k.start_date <= %(end)s::date
            AND (k.closed_date IS NULL OR k.closed_date > %(end)s::date) AS open_at_end,
        k.start_date <= %(end)s::date
            AND (k.closed_date IS NULL OR k.closed_date > %(end)s::date)
            AND (k.start_date >= %(end)s::date - 27 OR cc.client_at_end) AS active_at_end,
        cc.client_at_6_weeks AND (k.closed_date IS NULL OR k.closed_date - k.start_date > 42)
            AS sustained_6_weeks,
        cc.client_at_12_weeks AND (k.closed_date IS NULL OR k.closed_date - k.start_date > 84)
            AS sustained_12_weeks,
        cc.client_at_24_weeks AND (k.closed_date IS NULL OR k.closed_date - k.start_date > 168)
            AS sustained_24_weeks,
        cc.re_engaged_after_contact
            -- The first client contact in the range: the gap is from an earlier one, which
            -- is more than 28 days before it, else from the start.
            OR (
                cc.first_client >= %(start)s::date
                AND cc.first_client >= k.start_date
                AND (k.closed_date IS NULL OR k.closed_date > cc.first_client)
                AND (cc.first_client - k.start_date > 28 OR cb.case_id IS NOT NULL)
            ) AS re_engaged,
        fv.first_visit - k.start_date AS days_to_first_visit,
        CASE
            WHEN k.start_date BETWEEN %(start)s::date - 30 AND %(end)s::date - 30
                THEN ev.case_id IS NOT NULL
        END AS visited_in_30_days,
        coalesce(co.paid_starts, 0) AS paid_starts,
        co.paid_by_end,
        f.case_id IS NOT NULL AS reoffended
    FROM caseload_case AS k
    LEFT JOIN case_contacts AS cc ON cc.case_id = k.id
    LEFT JOIN client_before_range AS cb ON cb.case_id = k.id
    LEFT JOIN first_visits AS fv ON fv.case_id = k.id
    LEFT JOIN early_visits AS ev ON ev.case_id = k.id
    LEFT JOIN case_outcomes AS co ON co.case_id = k.id
    LEFT JOIN offences AS f ON f.case_id = k.id
),

case_figures AS (
    SELECT
        count(*) FILTER (WHERE carried_over) AS carried_over,
        count(*) FILTER (WHERE started) AS newly_started,
        count(*) FILTER (WHERE open_at_end) AS open_at_end,
        count(*) FILTER (WHERE active_at_end) AS active_at_end,
        count(*) FILTER (WHERE closed) AS closed,
        sum(closed_date - start_date) FILTER (WHERE closed) AS closed_days,
        count(start_date) FILTER (WHERE closed) AS closed_cases,
        sum(%(end)s::date - start_date) FILTER (WHERE open_at_end) AS open_days,
        count(*) FILTER (
            WHERE start_date BETWEEN %(start)s::date - 42 AND %(end)s::date - 42
        ) AS sustained_6_weeks_cohort,
        count(*) FILTER (
            WHERE start_date BETWEEN %(start)s::date - 42 AND %(end)s::date - 42
                AND sustained_6_weeks
        ) AS sustained_6_weeks,
        count(*) FILTER (
            WHERE start_date BETWEEN %(start)s::date - 84 AND %(end)s::date - 84
        ) AS sustained_12_weeks_cohort,
        count(*) FILTER (
            WHERE start_date BETWEEN %(start)s::date - 84 AND %(end)s::date - 84
                AND sustained_12_weeks
        ) AS sustained_12_weeks,
        count(*) FILTER (
            WHERE start_date BETWEEN %(start)s::date - 168 AND %(end)s::date - 168
        ) AS sustained_24_weeks_cohort,
        count(*) FILTER (
            WHERE start_date BETWEEN %(start)s::date - 168 AND %(end)s::date - 168
                AND sustained_24_weeks
        ) AS sustained_24_weeks,
        count(*) FILTER (WHERE re_engaged) AS re_engaged,
        sum(days_to_first_visit) AS first_visit_days,
        count(days_to_first_visit) AS first_visit_cases,
        count(visited_in_30_days) AS visit_cohort,
        count(*) FILTER (WHERE visited_in_30_days) AS visited_in_30_days,
        count(*) FILTER (WHERE start_date <= %(end)s::date) AS people_supported,
        count(*) FILTER (WHERE start_date <= %(end)s::date AND paid_by_end) AS into_paid_work,
        count(*) FILTER (WHERE start_date <= %(end)s::date AND reoffended) AS reoffended
    FROM cases
),

-- The cases started in the period and those starting paid work in it, with their referral.
people_cases AS (
    SELECT
        k.started,
        k.paid_starts > 0 AS starting_paid_work,
        k.start_date - r.received_date AS waited,
        r.ethnicity,
        r.gender,
        r.received_date,
        r.date_of_birth
    FROM cases AS k
    JOIN referrals_referral AS r ON r.id = k.referral_id
    WHERE k.started OR k.paid_starts > 0
),

waits AS (
    SELECT
        sum(waited) AS total,
        count(waited) AS cases,
        percentile_disc(0.5) WITHIN GROUP (ORDER BY waited) AS lower_median,
        percentile_disc(0.5) WITHIN GROUP (ORDER BY waited DESC) AS upper_median
    FROM people_cases
    WHERE started
),

referrals AS (
    SELECT
        source,
        status,
        rejection_reason,
        ethnicity,
        gender,
        received_date,
        date_of_birth,
        received_date BETWEEN %(start)s::date AND %(end)s::date AS received,
        decision_date BETWEEN %(start)s::date AND %(end)s::date AS decided
    FROM referrals_referral
    WHERE received_date BETWEEN %(start)s::date AND %(end)s::date
        OR decision_date BETWEEN %(start)s::date AND %(end)s::date
),

referral_figures AS (
    SELECT
        count(*) FILTER (WHERE received) AS new_referrals,
        count(*) FILTER (WHERE decided AND status = 'accepted') AS accepted,
        count(*) FILTER (WHERE decided AND status = 'rejected') AS rejected,
        count(*) FILTER (WHERE decided AND status = 'withdrawn') AS withdrawn
    FROM referrals
),

referrals_by_source AS (
    SELECT json_object_agg(source, n) AS counts
    FROM (
        SELECT source, count(*) AS n FROM referrals WHERE received GROUP BY source
    ) AS t
),

rejections_by_reason AS (
    SELECT json_object_agg(rejection_reason, n) AS counts
    FROM (
        SELECT rejection_reason, count(*) AS n
        FROM referrals
        WHERE decided AND status = 'rejected'
        GROUP BY rejection_reason
    ) AS t
),

-- Equity: each measure's people by ethnicity, gender and age band on the referral date.
people AS (
    SELECT
        measure,
        ethnicity,
        gender,
        CASE
            WHEN age <= 17 THEN 'under_18'
            WHEN age <= 21 THEN '18_21'
            WHEN age <= 25 THEN '22_25'
            WHEN age <= 30 THEN '26_30'
            WHEN age <= 35 THEN '31_35'
            ELSE 'over_35'
        END AS age_band
    FROM (
        SELECT
            measure,
            ethnicity,
            gender,
            extract(year FROM received_date) - extract(year FROM date_of_birth)
            - CASE
                WHEN (extract(month FROM received_date), extract(day FROM received_date))
                    < (extract(month FROM date_of_birth), extract(day FROM date_of_birth))
                    THEN 1
                ELSE 0
            END AS age
        FROM (
            SELECT 'new_referrals' AS measure, ethnicity, gender, received_date, date_of_birth
            FROM referrals
            WHERE received
            UNION ALL
            SELECT 'newly_started', ethnicity, gender, received_date, date_of_birth
            FROM people_cases
            WHERE started
            UNION ALL
            SELECT 'people_starting_paid_work', ethnicity, gender, received_date, date_of_birth
            FROM people_cases
            WHERE starting_paid_work
        ) AS measured
    ) AS aged
),

equity AS (
    SELECT json_object_agg(measure, breakdowns) AS breakdowns
    FROM (
        SELECT measure, json_object_agg(breakdown, counts) AS breakdowns
        FROM (
            SELECT measure, breakdown, json_object_agg(code, n) AS counts
            FROM (
                SELECT measure, g.breakdown, g.code, count(*) AS n
                FROM people
                CROSS JOIN LATERAL (
                    VALUES
                        ('by_ethnicity', ethnicity),
                        ('by_gender', gender),
                        ('by_age_band', age_band)
                ) AS g (breakdown, code)
                GROUP BY measure, g.breakdown, g.code
            ) AS cells
            GROUP BY measure, breakdown
        ) AS tables
        GROUP BY measure
    ) AS measures
),

outcome_figures AS (
    SELECT
        count(*) FILTER (WHERE paid AND started AND hours_per_week >= 30) AS full_time_starts,
        count(*) FILTER (WHERE paid AND started AND hours_per_week < 30) AS part_time_starts,
        count(DISTINCT case_id) FILTER (WHERE paid AND started) AS people_starting_paid_work,
        count(*) FILTER (WHERE paid AND started AND days_on_service BETWEEN 0 AND 182)
            AS paid_0_6_months,
        count(*) FILTER (WHERE paid AND started AND days_on_service BETWEEN 183 AND 364)
            AS paid_6_12_months,
        count(*) FILTER (WHERE paid AND started AND days_on_service >= 365)
            AS paid_over_12_months,
        count(*) FILTER (
            WHERE paid AND start_date BETWEEN %(start)s::date - 91 AND %(end)s::date - 91
        ) AS jobs_13_weeks_cohort,
        count(*) FILTER (
            WHERE paid AND start_date BETWEEN %(start)s::date - 91 AND %(end)s::date - 91
                AND (end_date IS NULL OR end_date - start_date >= 91)
        ) AS jobs_13_weeks,
        count(*) FILTER (
            WHERE paid AND start_date BETWEEN %(start)s::date - 182 AND %(end)s::date - 182
        ) AS jobs_26_weeks_cohort,
        count(*) FILTER (
            WHERE paid AND start_date BETWEEN %(start)s::date - 182 AND %(end)s::date - 182
                AND (end_date IS NULL OR end_date - start_date >= 182)
        ) AS jobs_26_weeks,
        count(*) FILTER (
            WHERE paid AND start_date BETWEEN %(start)s::date - 364 AND %(end)s::date - 364
        ) AS jobs_52_weeks_cohort,
        count(*) FILTER (
            WHERE paid AND start_date BETWEEN %(start)s::date - 364 AND %(end)s::date - 364
                AND (end_date IS NULL OR end_date - start_date >= 364)
        ) AS jobs_52_weeks,
        count(*) FILTER (
            WHERE type = 'self_employment'
                AND start_date BETWEEN %(start)s::date - 182 AND %(end)s::date - 182
        ) AS businesses_26_weeks_cohort,
        count(*) FILTER (
            WHERE type = 'self_employment'
                AND start_date BETWEEN %(start)s::date - 182 AND %(end)s::date - 182
                AND (end_date IS NULL OR end_date - start_date >= 182)
        ) AS businesses_26_weeks,
        count(*) FILTER (
            WHERE type = 'self_employment'
                AND start_date BETWEEN %(start)s::date - 364 AND %(end)s::date - 364
        ) AS businesses_52_weeks_cohort,
        count(*) FILTER (
            WHERE type = 'self_employment'
                AND start_date BETWEEN %(start)s::date - 364 AND %(end)s::date - 364
                AND (end_date IS NULL OR end_date - start_date >= 364)
        ) AS businesses_52_weeks
    FROM outcomes
),

outcome_starts AS (
    SELECT json_object_agg(type, n) AS counts
    FROM (SELECT type, count(*) AS n FROM outcomes WHERE started GROUP BY type) AS t
),

fund_figures AS (
    SELECT
        count(*) FILTER (
            WHERE submitted_date BETWEEN %(start)s::date AND %(end)s::date
        ) AS applications_submitted,
        count(*) FILTER (
            WHERE status = 'approved' AND decision_date BETWEEN %(start)s::date AND %(end)s::date
        ) AS applications_approved,
        count(*) FILTER (
            WHERE status = 'rejected' AND decision_date BETWEEN %(start)s::date AND %(end)s::date
        ) AS applications_rejected,
        coalesce(
            sum(amount_awarded_pence) FILTER (
                WHERE status = 'approved'
                    AND decision_date BETWEEN %(start)s::date AND %(end)s::date
            ),
            0
        ) AS awarded_pence,
        coalesce(
            sum(amount_awarded_pence) FILTER (
                WHERE status = 'approved' AND decision_date <= %(end)s::date
            ),
            0
        ) AS awarded_to_date_pence,
        coalesce(
            (SELECT total_pence FROM enterprise_fund_fund ORDER BY id DESC LIMIT 1), 0
        ) AS fund_total_pence
    FROM enterprise_fund_fundapplication
),

-- Distance travelled: each case's first and latest assessments, when it has two or more
-- and the latest is in the period.
assessments AS (
    SELECT
        a.case_id,
        a.date,
        a.confidence,
        a.motivation,
        a.readiness,
        a.stability,
        a.housing,
        a.finances,
        a.wellbeing,
        row_number() OVER (PARTITION BY a.case_id ORDER BY a.date, a.id) AS from_first,
        row_number() OVER (PARTITION BY a.case_id ORDER BY a.date DESC, a.id DESC) AS from_latest
    FROM caseload_distanceassessment AS a
    WHERE a.case_id IN (
        SELECT case_id
        FROM caseload_distanceassessment
        WHERE date BETWEEN %(start)s::date AND %(end)s::date
    )
),

changes AS (
    SELECT
        case_id,
        sum(CASE WHEN from_latest = 1 THEN confidence ELSE -confidence END) AS confidence,
        sum(CASE WHEN from_latest = 1 THEN motivation ELSE -motivation END) AS motivation,
        sum(CASE WHEN from_latest = 1 THEN readiness ELSE -readiness END) AS readiness,
        sum(CASE WHEN from_latest = 1 THEN stability ELSE -stability END) AS stability,
        sum(CASE WHEN from_latest = 1 THEN housing ELSE -housing END) AS housing,
        sum(CASE WHEN from_latest = 1 THEN finances ELSE -finances END) AS finances,
        sum(CASE WHEN from_latest = 1 THEN wellbeing ELSE -wellbeing END) AS wellbeing
    FROM assessments
    WHERE from_first = 1 OR from_latest = 1
    GROUP BY case_id
    -- Two rows: the first and the latest are different assessments.
    HAVING count(*) = 2
        AND max(date) FILTER (WHERE from_latest = 1)
            BETWEEN %(start)s::date AND %(end)s::date
),

distance_figures AS (
    SELECT
        count(*) AS cases_reassessed,
        count(*) FILTER (
            WHERE confidence + motivation + readiness + stability + housing + finances
                + wellbeing > 0
        ) AS improved,
        sum(confidence) AS confidence,
        sum(motivation) AS motivation,
        sum(readiness) AS readiness,
        sum(stability) AS stability,
        sum(housing) AS housing,
        sum(finances) AS finances,
        sum(wellbeing) AS wellbeing
    FROM changes
),

-- Per worker: each one with an open case on the last day or a contact in the period.
worker_contacts AS (
    SELECT
        worker_id,
        sum(employer_visits) AS employer_visits,
        sum(face_to_face_minutes) AS face_to_face_minutes,
        sum(remote_minutes) AS remote_minutes,
        sum(admin_minutes) AS admin_minutes
    FROM period_contacts
    GROUP BY worker_id
),

worker_cases AS (
    SELECT
        worker_id,
        count(*) FILTER (WHERE open_at_end) AS open_at_end,
        count(*) FILTER (WHERE active_at_end) AS active_at_end,
        count(*) FILTER (WHERE started) AS newly_started,
        sum(paid_starts) AS paid_outcomes_started
    FROM cases
    GROUP BY worker_id
),

workers AS (
    SELECT
        u.email,
        u.fte,
        floor(25 * coalesce(u.fte, 0))::integer AS capacity,
        coalesce(wk.open_at_end, 0) AS open_at_end,
        coalesce(wk.active_at_end, 0) AS active_at_end,
        coalesce(wk.newly_started, 0) AS newly_started,
        coalesce(wk.paid_outcomes_started, 0) AS paid_outcomes_started,
        coalesce(wc.employer_visits, 0) AS employer_visits
    FROM e4e_user AS u
    LEFT JOIN worker_cases AS wk ON wk.worker_id = u.id
    LEFT JOIN worker_contacts AS wc ON wc.worker_id = u.id
    WHERE wk.open_at_end > 0 OR wc.worker_id IS NOT NULL
),

worker_figures AS (
    SELECT
        count(*) FILTER (WHERE open_at_end > capacity) AS over_capacity,
        json_agg(
            json_build_object(
                'worker', email,
                'fte', fte::text,
                'capacity', capacity,
                'open_at_end', open_at_end,
                'active_at_end', active_at_end,
                'newly_started', newly_started,
                'paid_outcomes_started', paid_outcomes_started,
                'employer_visits', employer_visits
            )
            ORDER BY email
        ) AS per_worker
    FROM workers
),

hour_figures AS (
    SELECT
        coalesce(sum(face_to_face_minutes), 0) AS face_to_face_minutes,
        coalesce(sum(remote_minutes), 0) AS remote_minutes,
        coalesce(sum(admin_minutes), 0) AS admin_minutes
    FROM worker_contacts
)

SELECT
    referral_figures.*,
    referrals_by_source.counts AS referrals_by_source,
    rejections_by_reason.counts AS rejections_by_reason,
    waits.total AS wait_days,
    waits.cases AS wait_cases,
    waits.lower_median AS wait_lower_median,
    waits.upper_median AS wait_upper_median,
    case_figures.*,
    hour_figures.*,
    outcome_figures.*,
    outcome_starts.counts AS outcome_starts,
    fund_figures.*,
    distance_figures.cases_reassessed,
    distance_figures.improved,
    json_build_object(
        'confidence', distance_figures.confidence,
        'motivation', distance_figures.motivation,
        'readiness', distance_figures.readiness,
        'stability', distance_figures.stability,
        'housing', distance_figures.housing,
        'finances', distance_figures.finances,
        'wellbeing', distance_figures.wellbeing
    ) AS distance_change,
    worker_figures.over_capacity,
    worker_figures.per_worker,
    equity.breakdowns AS equity
FROM referral_figures
CROSS JOIN referrals_by_source
CROSS JOIN rejections_by_reason
CROSS JOIN waits
CROSS JOIN case_figures
CROSS JOIN hour_figures
CROSS JOIN outcome_figures
CROSS JOIN outcome_starts
CROSS JOIN fund_figures
CROSS JOIN distance_figures
CROSS JOIN worker_figures
CROSS JOIN equity

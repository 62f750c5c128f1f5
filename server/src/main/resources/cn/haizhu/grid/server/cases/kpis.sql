-- The dispatch KPIs per group: three sources, summed per group.
--   kept: the whole months of the period from the counts kept per month (V19), folded into case_kpi or
--     still appended to case_kpi_delta (one snapshot sees each row in one of them);
--   overdue: whether an open case is due (应结案) depends on the time of the report, so it is not kept:
--     the open cases of those months past their deadline are counted now, from the open-deadline index
--     (a rejected case never had a clock; a closed one is always due);
--   case by case: the partial months at the ends of the period, in two steps because per-row work is
--     what costs: count the cases per group and combination of facts (nine bits, a few hundred
--     combinations a group) from the covering index (civic_case_kpi by intake, civic_case_kpi_closed by
--     closure), then the KPI counts are sums over those few rows.
-- $1, $2: the bounds of the case-by-case ranges; $3: a street (null: all); $4: whether kept months are
-- read, $5 to $6 their span; $7: the basis of the kept counts, $8: their dimension.
-- The names in braces are identifiers KpiQuery fills in from its fixed lists, never from a request:
-- group, the column grouped by; group_name, how a group's name is looked up; date, the column that puts
-- a case in the period; key_type, the type the kept counts' text key is read as.
WITH kept AS (
    SELECT key::{key_type} AS key, sum(cases) AS cases, sum(suspended) AS suspended, sum(filed) AS filed,
           sum(filed_closed) AS filed_closed, sum(closed) AS closed, sum(closed_on_time) AS closed_on_time,
           sum(closed) AS due, sum(closed) AS due_closed, sum(closed_on_time) AS due_on_time,
           sum(checked) AS checked, sum(reworked) AS reworked, sum(dispatched) AS dispatched,
           sum(extended) AS extended, sum(signed) AS signed, sum(sign_seconds) AS sign_seconds
    FROM (SELECT * FROM case_kpi UNION ALL SELECT * FROM case_kpi_delta) kpi
    WHERE $4 AND kpi.basis = $7 AND kpi.dimension = $8
      AND ($5::timestamptz IS NULL OR kpi.month >= $5) AND ($6::timestamptz IS NULL OR kpi.month < $6)
      AND ($3::text IS NULL OR kpi.street_code = $3)
    GROUP BY 1),
overdue AS (
    SELECT {group} AS key, 0::bigint AS cases, 0::bigint AS suspended, 0::bigint AS filed,
           0::bigint AS filed_closed, 0::bigint AS closed, 0::bigint AS closed_on_time,
           count(*) AS due, 0::bigint AS due_closed, 0::bigint AS due_on_time, 0::bigint AS checked,
           0::bigint AS reworked, 0::bigint AS dispatched, 0::bigint AS extended, 0::bigint AS signed,
           0::bigint AS sign_seconds
    FROM civic_case c
    WHERE $4 AND c.state NOT IN ('closed', 'evaluated', 'rejected', 'returned_up', 'suspended') AND c.deadline < now()
      AND {date} IS NOT NULL AND ($5::timestamptz IS NULL OR {date} >= $5) AND ($6::timestamptz IS NULL OR {date} < $6)
      AND ($3::text IS NULL OR c.street_code = $3)
    GROUP BY 1),
k AS (
    SELECT {group} AS key,
           (c.state = 'suspended')::int
           + (c.filed_at IS NOT NULL)::int * 2
           + (c.first_dispatched_at IS NOT NULL)::int * 4
           + (c.state IN ('closed', 'evaluated'))::int * 8
           + coalesce(c.closed_on_time, false)::int * 16
           + coalesce(c.deadline < now(), false)::int * 32
           + (c.check_count > 0)::int * 64
           + (c.rework_count > 0)::int * 128
           + (c.extension_count > 0)::int * 256 AS f,
           count(*) AS n, count(c.time_to_sign_s) AS signed, sum(c.time_to_sign_s) AS sign_s
    FROM unnest($1::timestamptz[], $2::timestamptz[]) AS r (lo, hi)
    JOIN civic_case c ON {date} >= r.lo AND {date} < r.hi
    WHERE ($3::text IS NULL OR c.street_code = $3)
    GROUP BY 1, 2),
facts AS (
    SELECT key, n, signed, sign_s,
           f & 1 = 1 AS suspended, f & 2 = 2 AS filed, f & 4 = 4 AS dispatched, f & 8 = 8 AS closed,
           f & 8 = 8 AND f & 16 = 16 AS on_time, f & 8 = 8 OR f & 32 = 32 AS due,
           f & 64 = 64 AS checked, f & 128 = 128 AS reworked, f & 256 = 256 AS extended
    FROM k),
case_by_case AS (
    SELECT key, sum(n) AS cases,
           coalesce(sum(n) FILTER (WHERE suspended), 0) AS suspended,
           coalesce(sum(n) FILTER (WHERE NOT suspended AND filed), 0) AS filed,
           coalesce(sum(n) FILTER (WHERE NOT suspended AND filed AND closed), 0) AS filed_closed,
           coalesce(sum(n) FILTER (WHERE NOT suspended AND closed), 0) AS closed,
           coalesce(sum(n) FILTER (WHERE NOT suspended AND closed AND on_time), 0) AS closed_on_time,
           coalesce(sum(n) FILTER (WHERE NOT suspended AND due), 0) AS due,
           coalesce(sum(n) FILTER (WHERE NOT suspended AND due AND closed), 0) AS due_closed,
           coalesce(sum(n) FILTER (WHERE NOT suspended AND due AND on_time), 0) AS due_on_time,
           coalesce(sum(n) FILTER (WHERE NOT suspended AND checked), 0) AS checked,
           coalesce(sum(n) FILTER (WHERE NOT suspended AND checked AND reworked), 0) AS reworked,
           coalesce(sum(n) FILTER (WHERE NOT suspended AND dispatched), 0) AS dispatched,
           coalesce(sum(n) FILTER (WHERE NOT suspended AND dispatched AND extended), 0) AS extended,
           coalesce(sum(signed) FILTER (WHERE NOT suspended), 0) AS signed,
           coalesce(sum(sign_s) FILTER (WHERE NOT suspended), 0) AS sign_seconds
    FROM facts GROUP BY key)
SELECT coalesce(k.key::text, '') AS key, sum(cases)::bigint AS cases, sum(suspended)::bigint AS suspended,
       sum(filed)::bigint AS filed, sum(filed_closed)::bigint AS filed_closed, sum(closed)::bigint AS closed,
       sum(closed_on_time)::bigint AS closed_on_time, sum(due)::bigint AS due,
       sum(due_closed)::bigint AS due_closed, sum(due_on_time)::bigint AS due_on_time,
       sum(checked)::bigint AS checked, sum(reworked)::bigint AS reworked,
       sum(dispatched)::bigint AS dispatched, sum(extended)::bigint AS extended,
       sum(signed)::bigint AS signed, sum(sign_seconds)::bigint AS sign_seconds,
       {group_name} AS name
FROM (SELECT * FROM kept UNION ALL SELECT * FROM overdue UNION ALL SELECT * FROM case_by_case) k
GROUP BY k.key
-- a group whose cases all moved away (reassigned to another worker) nets to none: not shown
HAVING sum(cases) > 0
ORDER BY 1

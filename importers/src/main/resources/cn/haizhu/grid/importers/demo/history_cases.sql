INSERT INTO civic_case (gid, case_number, source, category_code, urgency, title, address, geom, grid_code,
    community_code, street_code, state, assignee_id, department_code, reporter_name, clock_started_at,
    clock_limit_s, clock_extended_s, clock_stopped_at, deadline, filed_at, first_dispatched_at, first_signed_at,
    time_to_sign_s, closed_at, closed_on_time, check_count, rework_count, extension_count, event_count,
    intake_hash, created_at, updated_at, origin)
SELECT md5(?::text || ':' || x.n)::uuid,
       'HZ' || to_char(x.created AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || 'H' || lpad(x.n::text, 7, '0'),
       CASE WHEN x.r_source < 0.55 THEN 'hotline_12345' WHEN x.r_source < 0.90 THEN 'patrol'
            WHEN x.r_source < 0.97 THEN 'command' ELSE 'external' END,
       c.code[x.cat], x.urgency, c.title[x.cat], p.address, p.geom, p.grid_code, p.community_code, p.street_code,
       CASE WHEN x.rejected THEN 'rejected' WHEN x.suspended THEN 'suspended'
            WHEN x.open THEN (ARRAY['dispatched', 'signed', 'in_process', 'checking'])[1 + floor(x.r_state * 4)::int]
            WHEN x.r_state < 0.7 THEN 'evaluated' ELSE 'closed' END,
       CASE WHEN NOT x.rejected THEN p.worker_id END,
       c.dept[x.cat], CASE WHEN x.r_source < 0.55 THEN '12345热线' ELSE '网格巡查' END,
       CASE WHEN NOT x.rejected THEN x.dispatched END,
       x.limit_s, CASE WHEN x.extended THEN 28800 ELSE 0 END,
       CASE WHEN x.closed THEN x.closed_at END,
       CASE WHEN NOT x.rejected AND NOT x.closed AND NOT x.suspended
            THEN x.dispatched + make_interval(secs => (x.limit_s + CASE WHEN x.extended THEN 28800 ELSE 0 END) * 2.2) END,
       CASE WHEN NOT x.rejected THEN x.created + interval '10 minutes' END,
       CASE WHEN NOT x.rejected THEN x.dispatched END,
       CASE WHEN NOT x.rejected THEN x.dispatched + make_interval(secs => x.sign_s) END,
       CASE WHEN NOT x.rejected THEN x.sign_s END,
       CASE WHEN x.closed THEN x.closed_at END,
       CASE WHEN x.closed THEN x.on_time END,
       CASE WHEN x.closed OR x.reworked THEN 1 + x.reworked::int ELSE 0 END,
       x.reworked::int, x.extended::int,
       CASE WHEN x.rejected THEN 2 WHEN x.closed THEN 9 + 2 * x.reworked::int + x.extended::int ELSE 4 END,
       md5('history:' || x.n), x.created, coalesce(x.closed_at, x.created), o.origin
FROM (
    SELECT d.*,
           d.created > now() - interval '10 days' AND NOT d.rejected AND NOT d.suspended AS open,
           d.created <= now() - interval '10 days' AND NOT d.rejected AND NOT d.suspended AS closed,
           d.created + interval '15 minutes' AS dispatched,
           -- wall-clock closure: on time well inside the limit, late past it (limits are working time)
           d.created + interval '15 minutes' + make_interval(secs => d.limit_s
               * CASE WHEN d.on_time THEN 0.3 + 1.5 * d.r_close ELSE 2.4 + 2 * d.r_close END) AS closed_at
    FROM (
        SELECT g.n,
               now() - interval '3 years' + (interval '3 years' * (g.n - 0.5 + random() - 0.5) / ?) AS created,
               random() AS r_source, random() AS r_state, random() AS r_close,
               1 + floor(random() * ?)::int AS cat,
               1 + floor(random() * ?)::bigint AS place,
               CASE WHEN random() < 0.1 THEN 'urgent' ELSE 'normal' END AS urgency,
               random() < 0.06 AS rejected,
               random() < 0.01 AS suspended,
               random() < 0.06 AS reworked,
               random() < 0.04 AS extended,
               random() < 0.88 AS on_time,
               (300 * exp(random() * ln(24)))::bigint AS sign_s,
               0::bigint AS limit_s
        FROM generate_series(1, ?) AS g (n)
    ) d0
    CROSS JOIN LATERAL (SELECT d0.n, d0.created, d0.r_source, d0.r_state, d0.r_close, d0.cat, d0.place,
                               d0.urgency, d0.rejected, d0.suspended AND NOT d0.rejected AS suspended,
                               d0.reworked AND NOT d0.rejected AS reworked,
                               d0.extended AND NOT d0.rejected AS extended,
                               d0.on_time AND NOT (d0.reworked AND random() < 0.5) AS on_time,
                               d0.sign_s,
                               (CASE WHEN d0.urgency = 'urgent' THEN (?::bigint[])[d0.cat]
                                     ELSE (?::bigint[])[d0.cat] END) AS limit_s) d
) x
JOIN history_place p ON p.rn = 1 + (x.place - 1) % (SELECT count(*) FROM history_place)
CROSS JOIN (SELECT ?::text[] AS code, ?::text[] AS dept, ?::text[] AS title) c
CROSS JOIN (SELECT gridctl_origin() AS origin) o

-- Cases (案件) in the reader's scope (row-level security: a worker's grids and assigned cases): the
-- fields of ExportCollection.CASES, times in Beijing time, then the point as WKB.
-- Parameters: the street asked for, twice ('' = every street). Exporter appends "AND (filter)".
SELECT c.case_number, c.source, c.category_code, c.urgency, c.title, c.description, c.address, c.state,
       c.department_code, c.grid_code, c.community_code, c.street_code,
       to_char(c.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') AS created_at,
       to_char(c.deadline AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') AS deadline,
       to_char(c.closed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') AS closed_at,
       ST_AsBinary(c.geom, 'NDR') AS geom
FROM civic_case c
WHERE (CAST(? AS text) = '' OR c.street_code = ?)

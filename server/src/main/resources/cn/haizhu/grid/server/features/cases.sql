-- Cases (案件) as features: keyed by the case number, at the reported point; their time is when
-- they were reported. Neither the reporter nor the description (free text that may name people).
SELECT c.case_number AS id, c.geom, c.created_at AS at,
       json_build_object('title', c.title, 'state', c.state, 'categoryCode', c.category_code, 'urgency', c.urgency,
                         'source', c.source, 'address', c.address, 'gridCode', c.grid_code,
                         'communityCode', c.community_code, 'streetCode', c.street_code,
                         'deadline', c.deadline, 'createdAt', c.created_at, 'closedAt', c.closed_at) AS properties
FROM civic_case c
WHERE {filter}

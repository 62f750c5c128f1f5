-- A history row of the level below's handling, under this node's case of the order (gid ?), as its next
-- row: action ?, from ?, to ?, actor ?, role ?, at ?, location ? (hex EWKB), comment ?, reason ?, photos ?,
-- details ? (JSON), with its own gid ?, version ? and origin ? (the same record at both levels).
WITH own AS (
    UPDATE civic_case SET event_count = event_count + 1 WHERE gid = ? RETURNING gid, event_count)
INSERT INTO case_event (case_gid, seq, action, from_state, to_state, actor_username, actor_role, at, geom,
                        comment, reason_code, attachment_ids, details, gid, version, origin)
SELECT own.gid, own.event_count, ?, ?, ?, ?, ?, ?::timestamptz, ST_GeomFromEWKB(decode(?, 'hex')),
       ?, ?, ?::uuid[], ?::jsonb, ?::uuid, ?, ?
FROM own

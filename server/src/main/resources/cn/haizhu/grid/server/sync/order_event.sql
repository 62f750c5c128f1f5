-- The history rows with the gids $1 (uuid[]) of the cases the caller ($2, a peer's code) is party to,
-- that the caller did not make (its own steps it has), as the change feed sends them (docs/SYNC.md, "Work
-- orders between levels"); each with its case's number and order ("case"), by which the other level
-- finds its own case of the order. A location as hex EWKB.
SELECT jsonb_build_object(
           'gid', e.gid, 'version', e.version, 'origin', e.origin, 'seq', e.seq, 'action', e.action,
           'from_state', e.from_state, 'to_state', e.to_state, 'actor_username', e.actor_username,
           'actor_role', e.actor_role, 'at', e.at, 'geom', ST_AsHexEWKB(e.geom), 'comment', e.comment,
           'reason_code', e.reason_code, 'attachment_ids', e.attachment_ids, 'details', e.details,
           'case', jsonb_build_object('case_number', k.case_number, 'origin_node', k.origin_node,
                                      'origin_order_number', k.origin_order_number,
                                      'handling_node', k.handling_node))::text AS record,
       e.gid, NULL::text AS street
FROM case_event e
JOIN civic_case k ON k.gid = e.case_gid
WHERE e.gid = ANY ($1::uuid[]) AND $2 IN (k.origin_node, k.handling_node) AND e.origin <> $2

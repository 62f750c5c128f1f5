-- The owner deletes again a record it deleted while an edit request of it was on its way (a conflict):
-- a tombstone of table ?, record ?, version ? (above the request), made here, from the request (version ?,
-- origin ?), in street ?. Written as the change capture writes one, NOTIFY included: the record is no
-- longer here to be deleted again. Not from a peer: it goes to every peer, the requester's included.
WITH entry AS (
    INSERT INTO change_log (table_name, record_gid, op, version, origin, base_version, base_origin, street_code)
    VALUES (?, ?::uuid, 'D', ?, gridctl_origin(), ?, ?, ?)
    RETURNING id)
SELECT pg_notify('gridctl_sync', '') FROM entry

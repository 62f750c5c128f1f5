-- Conflict ? decided by ? (user name): keep the owner's version ('owner') or take the request ('request').
UPDATE sync_conflict SET decided_at = now(), decided_by = ?, decision = ? WHERE id = ?

-- The checkpoint of peer ? locked for this transaction (made if missing), and where it stands: a
-- batch and a resync of the same peer take turns, and both lock it first, so that neither waits for
-- the other in a circle.
INSERT INTO sync_checkpoint (peer_code) VALUES (?)
ON CONFLICT (peer_code) DO UPDATE SET peer_code = EXCLUDED.peer_code
RETURNING cursor

-- A change pulled from a peer that cannot apply yet because of a reference (docs/SYNC.md, "Pull, apply,
-- checkpoint"): a resident whose house this node does not hold (yet), a house whose delete would leave
-- residents here without their house (the owner's answer to them still on its way), a record whose
-- natural key another gid still holds. Such a change waits here, written in the transaction of its batch
-- and its checkpoint, instead of at the head of its link: the link goes on, and the change is tried again
-- after every later batch from the same peer, until it applies, turns out older news, or a later change
-- of the same record from that peer takes its place (then it is dropped: the later one says more).
-- Only the owner reads and writes it.
CREATE TABLE sync_deferred (
    peer_code   text NOT NULL REFERENCES sync_peer (code) ON DELETE CASCADE,
    record_gid  uuid NOT NULL,
    table_name  text NOT NULL CHECK (table_name IN ('admin_area', 'grid', 'house', 'person', 'enterprise')),
    change      jsonb NOT NULL,          -- the change as it came on the wire
    failure     text NOT NULL,           -- what stopped it the last time, for sync status
    deferred_at timestamptz NOT NULL DEFAULT now(),
    tried_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (peer_code, record_gid)
);

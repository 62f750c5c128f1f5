-- Work orders carried between levels (issue 15, docs/SYNC.md "Work orders between levels"): the city's
-- 12345 order goes down to the district whose outline holds it, the district's handling comes back up.
-- The transport is the change feed every node already serves; this adds what it needs to know.

------------------------------------------------------------------------------------------------
-- At the origin (the city): the level below an order was sent to (派单, gridctl_handling_node at
-- intake), that level's number for it, and the version of that level's case last applied here (the
-- handling comes up as that case's rows: a version applied once is older news). A case filed and
-- handled at this level has none of them; an order received from above has its origin_* columns
-- (V32) instead.
------------------------------------------------------------------------------------------------
ALTER TABLE civic_case
    ADD COLUMN handling_node        text CHECK (handling_node ~ '^\d{6}(\d{3})?$'),
    ADD COLUMN handling_case_number text CHECK (length(handling_case_number) <= 64),
    ADD COLUMN handling_version     bigint CHECK (handling_version >= 1),
    ADD CONSTRAINT civic_case_handling_whole CHECK (handling_node IS NOT NULL
        OR (handling_case_number IS NULL AND handling_version IS NULL));

------------------------------------------------------------------------------------------------
-- At the level below (the district): what the origin sent, as it arrived, until WorkOrders has taken
-- it. A sync apply writes here in the transaction of its batch and its checkpoint (the order, 派单, and
-- the origin's steps on it: 回访评价, 重办, 驳回退单), once per order number and per step (a batch pulled
-- again writes nothing); WorkOrders then takes each in turn, as the HTTP routes of a peer would, and
-- the row keeps what came of it: applied, or refused with the answer (a step the workflow refuses is
-- kept here, never lost and never retried for ever). Only the owner reads and writes it.
------------------------------------------------------------------------------------------------
CREATE TABLE sync_order_inbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    peer_code    text NOT NULL REFERENCES sync_peer (code) ON DELETE CASCADE,   -- the origin that sent it
    kind         text NOT NULL CHECK (kind IN ('order', 'step')),
    order_number text NOT NULL CHECK (order_number <> '' AND length(order_number) <= 64),   -- the origin's number
    step_gid     uuid,                                  -- a step: the origin's id for it (its case_event gid)
    body         jsonb NOT NULL,                        -- as POST /api/v1/cases/work-orders[/…/actions] takes it
    received_at  timestamptz NOT NULL DEFAULT now(),
    done_at      timestamptz,
    outcome      text CHECK (outcome IN ('applied', 'refused')),
    answer       jsonb,                                 -- the case it made or moved, or the refusal
    CHECK ((kind = 'step') = (step_gid IS NOT NULL)),
    CHECK ((done_at IS NULL) = (outcome IS NULL))
);
CREATE UNIQUE INDEX sync_order_inbox_order ON sync_order_inbox (peer_code, order_number) WHERE kind = 'order';
CREATE UNIQUE INDEX sync_order_inbox_step ON sync_order_inbox (step_gid) WHERE kind = 'step';
CREATE INDEX sync_order_inbox_waiting ON sync_order_inbox (peer_code, id) WHERE done_at IS NULL;

------------------------------------------------------------------------------------------------
-- A peer platform reads the photos of the orders it is party to, and only those (docs/SYNC.md):
-- the photos its level fetches with the history rows that cite them. A peer's sync key acts under the
-- user name 'peer:<its code>' (server/.../sync/SyncPeers; no account can have a ':' in its name), and
-- sees a photo only where a history row citing it belongs to a case that its code sent here
-- (origin_node) or that was sent to it (handling_node). Every other reader is as before (V23).
------------------------------------------------------------------------------------------------
CREATE POLICY sync_peer_orders ON attachment AS RESTRICTIVE FOR SELECT TO gridctl_app
    USING (NOT starts_with(coalesce(current_setting('gridctl.username', true), ''), 'peer:')
           OR EXISTS (SELECT 1 FROM case_event e JOIN civic_case k ON k.gid = e.case_gid
                      WHERE e.attachment_ids <> '{}'::uuid[] AND e.attachment_ids @> ARRAY[attachment.id]
                        AND substr(current_setting('gridctl.username', true), 6) IN (k.origin_node, k.handling_node)));

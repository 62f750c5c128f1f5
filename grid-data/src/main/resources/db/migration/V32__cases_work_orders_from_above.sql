-- Work orders from a level above (issue 15, docs/SYNC.md "Work orders"): the city's 12345 platform sends
-- an order (派单) to a district, which routes it like any case. The case keeps where it came from: the
-- origin node's admin code, the origin's own order number (the key a resent order is recognised by), the
-- origin's deadline (办结时限) and its time-limit rule as the origin states it. Those columns are the
-- origin's: set when the order arrives and changed afterwards only by a change made at the origin
-- (a sync apply naming it, gridctl_origin()), never by this level (civic_case_origin_fixed).
-- A case filed at this level has none of them.
ALTER TABLE civic_case
    ADD COLUMN origin_node         text CHECK (origin_node ~ '^\d{6}(\d{3})?$'),
    ADD COLUMN origin_order_number text CHECK (origin_order_number <> '' AND length(origin_order_number) <= 64),
    ADD COLUMN origin_deadline     timestamptz,
    ADD COLUMN origin_time_limit   text CHECK (length(origin_time_limit) <= 100),
    ADD CONSTRAINT civic_case_origin_whole CHECK (
        (origin_node IS NULL) = (origin_order_number IS NULL) AND (origin_node IS NULL) = (origin_deadline IS NULL)
        AND (origin_node IS NOT NULL OR origin_time_limit IS NULL));

-- One case per order of an origin: a resent order (a retry, a replayed feed) finds the case it made.
CREATE UNIQUE INDEX civic_case_origin_order ON civic_case (origin_node, origin_order_number)
    WHERE origin_node IS NOT NULL;

-- 退回上级: a work order from above sent back to its origin (CaseState.RETURNED_UP).
ALTER TABLE civic_case DROP CONSTRAINT civic_case_state_check,
    ADD CONSTRAINT civic_case_state_check CHECK (state IN (
        'reported', 'verifying', 'filed', 'rejected', 'dispatched', 'returned', 'returned_up', 'signed',
        'in_process', 'suspended', 'done_feedback', 'self_handled', 'checking', 'closed',
        'evaluated', 'reopened', 'joint_review'));

-- The same body as R__cases_functions.sql (the trigger below needs it now; docs/MIGRATIONS.md).
CREATE FUNCTION civic_case_origin_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF gridctl_origin() IS DISTINCT FROM OLD.origin_node THEN
        RAISE EXCEPTION 'the origin of work order % is %''s: it is not changed at %', OLD.case_number,
            coalesce(OLD.origin_node, 'this level'), gridctl_origin()
            USING ERRCODE = 'restrict_violation', HINT = 'the origin changes its own order; this level records actions';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER civic_case_origin_fixed BEFORE UPDATE OF origin_node, origin_order_number, origin_deadline,
    origin_time_limit ON civic_case FOR EACH ROW
    WHEN ((OLD.origin_node, OLD.origin_order_number, OLD.origin_deadline, OLD.origin_time_limit)
          IS DISTINCT FROM (NEW.origin_node, NEW.origin_order_number, NEW.origin_deadline, NEW.origin_time_limit))
    EXECUTE FUNCTION civic_case_origin_fixed();

-- A grid worker (网格员) sees the cases of their grids, and also a case a dispatcher assigned to them
-- in another grid (派遣 with the assignee overridden: a neighbouring grid's worker covering a gap).
-- Without this, such a task was in nobody's "my tasks": the row-level policy hid it from the very
-- worker it was sent to, and they could neither see, sign nor return it.
--
-- ScopedPool sets gridctl.worker_id (empty for users who are no grid worker) next to the scope. The
-- worker id is read in a scalar sub-select, so it is evaluated once per statement, not per row; for
-- district and street users the first condition decides and the second is never looked at. The same
-- rule holds for writes (USING doubles as WITH CHECK): the worker may act on the case, and it stays
-- theirs while it is assigned to them.
DROP POLICY scope ON civic_case;
CREATE POLICY scope ON civic_case TO gridctl_app
    USING (gridctl_scope_allows(street_code, grid_code)
           OR assignee_id = (SELECT nullif(current_setting('gridctl.worker_id', true), '')::bigint));

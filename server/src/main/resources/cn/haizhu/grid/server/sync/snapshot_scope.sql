-- The snapshot's reader: its data scope for row-level security (as a request's transaction sets it,
-- auth/enter_scope.sql) and the street it asked for, else its scope's code (SyncTables.snapshotCopyOut).
SELECT set_config('gridctl.scope_kind', ?, true),
       set_config('gridctl.scope_code', ?, true),
       set_config('gridctl.worker_id', '', true),
       set_config('gridctl.username', ?, true),
       set_config('gridctl.snapshot_street', ?, true)

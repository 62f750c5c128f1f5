-- The exporter's data scope for row-level security, as a request's transaction sets it (auth/enter_scope.sql),
-- and a picture of the database that the whole export reads.
SELECT set_config('gridctl.scope_kind', ?, true),
       set_config('gridctl.scope_code', ?, true),
       set_config('gridctl.worker_id', ?, true),
       set_config('gridctl.username', ?, true)

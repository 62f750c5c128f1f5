-- The caller's data scope, grid worker id and user name for this transaction: row-level security
-- (V1__foundation.sql, V15, V23) filters every table by them.
SELECT set_config('gridctl.scope_kind', $1, true),
       set_config('gridctl.scope_code', $2, true),
       set_config('gridctl.worker_id', $3, true),
       set_config('gridctl.username', $4, true)

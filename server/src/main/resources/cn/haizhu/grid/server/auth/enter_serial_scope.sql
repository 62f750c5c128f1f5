-- enter_scope.sql, plus serial plans for this transaction only (parallel query off).
SELECT set_config('gridctl.scope_kind', $1, true),
       set_config('gridctl.scope_code', $2, true),
       set_config('gridctl.worker_id', $3, true),
       set_config('gridctl.username', $4, true),
       set_config('max_parallel_workers_per_gather', '0', true)

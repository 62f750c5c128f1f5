-- The caller's scope, as request paths set it, so the same gridctl_scope_allows() judges every row.
SELECT set_config('gridctl.scope_kind', ?, true), set_config('gridctl.scope_code', ?, true)

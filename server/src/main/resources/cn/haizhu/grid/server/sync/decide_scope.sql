-- The deciding officer's data scope (kind ?, code ?) for this transaction, as a request's (auth/enter_scope.sql).
SELECT set_config('gridctl.scope_kind', ?, true), set_config('gridctl.scope_code', ?, true)

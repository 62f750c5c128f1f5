-- Import warnings (导入警告): a row that loaded, but not exactly as written — an invalid grid polygon
-- repaired with ST_MakeValid, houses left outside every grid by a reshaped grid. They sit beside the
-- rejected rows of the job (the officer reads one report) and are told apart by severity; they do
-- not count as rejected rows, nor towards --max-errors.

ALTER TABLE import_reject
    ADD COLUMN severity text NOT NULL DEFAULT 'error' CHECK (severity IN ('error', 'warning'));

ALTER TABLE import_job
    ADD COLUMN rows_warned bigint NOT NULL DEFAULT 0;

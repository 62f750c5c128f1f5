-- Import jobs (导入任务) and their rejected rows. Written by the importer on its own autocommit
-- connection, so a job that fails or is killed still leaves its record and its reasons behind,
-- while the data it loads commits (or not) in one separate transaction.

CREATE TABLE import_job (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    dataset       text NOT NULL CHECK (dataset IN ('grids', 'houses', 'persons', 'enterprises')),
    file_name     text NOT NULL,
    file_sha256   text NOT NULL,
    file_bytes    bigint NOT NULL,
    format        text NOT NULL,
    submitted_by  text NOT NULL,
    options       jsonb NOT NULL DEFAULT '{}',
    status        text NOT NULL DEFAULT 'running'
                  CHECK (status IN ('running', 'succeeded', 'failed', 'aborted', 'dry_run')),
    phase         text NOT NULL DEFAULT 'reading',
    rows_read     bigint NOT NULL DEFAULT 0,
    rows_inserted bigint NOT NULL DEFAULT 0,
    rows_updated  bigint NOT NULL DEFAULT 0,
    rows_unchanged bigint NOT NULL DEFAULT 0,
    rows_rejected bigint NOT NULL DEFAULT 0,
    message       text,
    started_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz
);
CREATE INDEX import_job_started ON import_job (started_at DESC);

CREATE TABLE import_reject (
    job_id    uuid NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
    row_no    bigint NOT NULL,
    field     text,
    value     text,     -- personal data masked
    reason_zh text NOT NULL,
    reason_en text NOT NULL
);
CREATE INDEX import_reject_job ON import_reject (job_id, row_no);

-- Every export is audited (docs/SECURITY.md, "Exports"): one entry in pii_audit per export, action
-- 'export', written and committed before the export reads its first row, so that no export leaves
-- unrecorded (one cut short, or a process killed, included). Its row count is not known then, and the
-- audit is append-only (V21: no UPDATE, ever), so an export's entry has none: row_count may be NULL,
-- meaning "not counted in the audit". Every other entry still carries its count.
ALTER TABLE pii_audit ALTER COLUMN row_count DROP NOT NULL;
COMMENT ON COLUMN pii_audit.row_count IS 'rows the read carried; NULL for an export (written before its first row)';

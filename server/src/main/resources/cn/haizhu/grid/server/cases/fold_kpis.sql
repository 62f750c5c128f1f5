-- Folds the appended KPI counts into the kept monthly ones (V19__case_kpi_counts.sql): how many kept rows
-- it touched, or NULL when another server instance is folding (one fold at a time across the instances:
-- the advisory lock gridctl_case_kpi_compact() itself takes, tried first here so that a skip shows).
SELECT CASE WHEN pg_try_advisory_xact_lock(hashtext('gridctl_case_kpi_compact')) THEN gridctl_case_kpi_compact() END AS moved

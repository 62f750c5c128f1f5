-- Folds the appended KPI counts into the kept monthly ones (V19__case_kpi_counts.sql): how many kept rows it touched.
SELECT gridctl_case_kpi_compact() AS moved

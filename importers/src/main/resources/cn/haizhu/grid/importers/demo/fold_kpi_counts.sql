SELECT gridctl_case_kpi_compact();
ANALYZE case_kpi;

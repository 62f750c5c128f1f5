-- One pass of the overdue watch (V9__case_escalation.sql): how many cases were urged and supervised.
SELECT urged, supervised FROM gridctl_escalate_overdue()

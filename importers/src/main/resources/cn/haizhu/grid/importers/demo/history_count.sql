-- Historical cases (numbered HZ<date>H<serial>, apart from live ones).
SELECT count(*) FROM civic_case WHERE case_number ~ '^HZ\d{8}H'

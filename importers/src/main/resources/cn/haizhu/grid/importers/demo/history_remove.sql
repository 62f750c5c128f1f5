DELETE FROM civic_case WHERE case_number ~ '^HZ\d{8}H'

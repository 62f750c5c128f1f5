-- Whether pg_hba.conf lets replication connections in from the loopback address with a password.
SELECT count(*) > 0 FROM pg_hba_file_rules
WHERE type = 'host' AND 'replication' = ANY (database) AND address = '127.0.0.1'
  AND auth_method IN ('scram-sha-256', 'md5') AND error IS NULL

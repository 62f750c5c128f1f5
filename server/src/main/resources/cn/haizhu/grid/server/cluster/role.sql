-- What a node is now: a standby (in recovery) or a primary, and the port it answers on.
SELECT pg_is_in_recovery(), inet_server_port()

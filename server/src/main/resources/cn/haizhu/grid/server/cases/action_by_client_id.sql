-- The history row an earlier try of an action wrote under the client's action id, if any.
SELECT case_gid, action, seq FROM case_event WHERE client_action_id = $1

-- 联合审定: the opinions recorded since the case ($1) last went to joint review (who, for which
-- department), and the department the actor ($2) belongs to, if any (JointReview judges them).
SELECT (SELECT u.department_code FROM app_user u WHERE u.id = $2) AS actor_department,
       coalesce(array_agg(e.actor_user_id ORDER BY e.seq), '{}') AS users,
       coalesce(array_agg(e.details ->> 'department' ORDER BY e.seq), '{}') AS departments
FROM case_event e
WHERE e.case_gid = $1 AND e.action = 'review_opinion'
  AND e.seq > (SELECT max(r.seq) FROM case_event r
               WHERE r.case_gid = $1 AND r.action = 'request_joint_review')

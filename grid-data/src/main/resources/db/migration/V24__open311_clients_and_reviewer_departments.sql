-- Who acts, besides signed-in users: the Open311 client applications and their keys; and the department
-- a user speaks for in a joint review (联合审定).

------------------------------------------------------------------------------------------------
-- Open311 clients: one key per outside application (a 12345 gateway, a reporting app), issued by an
-- administrator, shown once, stored as a SHA-256 only (keys are 32 random bytes: a slow hash adds
-- nothing), revocable. A key is not a session: it opens the Open311 door only (report and read),
-- never /api/v1, and a session token is no key. It acts as one user for routing and data scope; its
-- permissions are that user's, cut down to cases.report and cases.read (server/.../open311).
------------------------------------------------------------------------------------------------
CREATE TABLE open311_client (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
    key_hash        bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    acts_as_user_id bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz,
    last_used_at    timestamptz
);
-- One live key per name; a revoked client keeps its row (who had access, until when).
CREATE UNIQUE INDEX open311_client_live_name ON open311_client (name) WHERE revoked_at IS NULL;
-- Like app_user and auth_token, not granted to gridctl_app: keys are checked before a request takes its scope.

------------------------------------------------------------------------------------------------
-- 联合审定: a 会审意见 speaks for one department. A user who belongs to a department (its handlers'
-- accounts) may speak for that department only; desk staff (null) record a department's opinion on its
-- behalf, one department per person and review (CaseWorkflow / JointReview decide, CaseActions reads this).
------------------------------------------------------------------------------------------------
ALTER TABLE app_user ADD COLUMN department_code text CHECK (department_code ~ '^[A-Z]{2,6}$');
GRANT SELECT (id, department_code) ON app_user TO gridctl_app;

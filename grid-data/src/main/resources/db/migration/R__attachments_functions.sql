-- Photos (现场照片) follow their case (docs/SECURITY.md, "Photos and uploads"): the current body of
-- the function; history stays in the versioned migration (V23), which holds the row-level policies
-- that call it. See docs/MIGRATIONS.md.

-- Whether the uploader cited the photo on any history row (case_event.attachment_ids), visible or
-- not: until then only its sender sees it. Only the uploader's own citation counts: anyone may put
-- any id on a history row, and citing a photo must not publish it to the readers of another case.
-- SECURITY DEFINER: "not cited yet" must not turn true because the case it was cited on moved out of
-- the caller's sight.
CREATE OR REPLACE FUNCTION gridctl_attachment_cited(attachment_id uuid, uploader text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM case_event e
                   WHERE e.attachment_ids <> '{}'::uuid[] AND e.attachment_ids @> ARRAY[attachment_id]
                     AND e.actor_username = uploader)
$$;
REVOKE EXECUTE ON FUNCTION gridctl_attachment_cited(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridctl_attachment_cited(uuid, text) TO gridctl_app;

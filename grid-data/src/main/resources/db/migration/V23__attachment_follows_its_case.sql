-- A photo follows its case (security issue 13, item 4). Until now `attachment` had no row-level
-- security: anyone signed in read any photo with its GPS stamp and uploader. Now request paths
-- (gridctl_app) see a photo when
--   (a) they sent it and it is not cited yet: the tablet and the desk upload first and report after;
--   (b) its uploader cited it on the history (case_event.attachment_ids) of a case they can see;
--       case_event's own policy looks up the case, so the case's scope rules decide, assigned
--       workers included (V15).
-- Only the uploader's own citation counts: anyone may put any id on a history row, and citing a
-- photo must not publish it to the readers of another case. Once cited, the photo is seen as its
-- cases are, by its uploader too. ScopedPool sets gridctl.username next to the scope; a session that
-- sets nothing sees no photo of (a).

-- The history rows that cite photos: few among many, so a partial index (queries repeat its predicate).
CREATE INDEX case_event_attachments ON case_event USING gin (attachment_ids) WHERE attachment_ids <> '{}'::uuid[];

-- Whether the uploader cited the photo on any history row, visible or not. SECURITY DEFINER: "not cited
-- yet" must not turn true because the case it was cited on moved out of the caller's sight.
CREATE FUNCTION gridctl_attachment_cited(attachment_id uuid, uploader text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM case_event e
                   WHERE e.attachment_ids <> '{}'::uuid[] AND e.attachment_ids @> ARRAY[attachment_id]
                     AND e.actor_username = uploader)
$$;
REVOKE EXECUTE ON FUNCTION gridctl_attachment_cited(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gridctl_attachment_cited(uuid, text) TO gridctl_app;

ALTER TABLE attachment ENABLE ROW LEVEL SECURITY;
CREATE POLICY follows_case ON attachment FOR SELECT TO gridctl_app
    USING (EXISTS (SELECT 1 FROM case_event e
                   WHERE e.attachment_ids <> '{}'::uuid[] AND e.attachment_ids @> ARRAY[attachment.id]
                     AND e.actor_username = attachment.uploaded_by)
           OR (uploaded_by = current_setting('gridctl.username', true)
               AND NOT gridctl_attachment_cited(id, uploaded_by)));
-- A photo is recorded in its sender's name only.
CREATE POLICY sent_by_caller ON attachment FOR INSERT TO gridctl_app
    WITH CHECK (uploaded_by = current_setting('gridctl.username', true));

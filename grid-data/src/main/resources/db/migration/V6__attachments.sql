-- Photos (现场照片) attached to case reports and actions. The file lives in the data folder under
-- attachments/, named by id; this row is what the server checked and who sent it. The id is made
-- by the client, so a tablet retrying an upload after a dropped connection stores it once.

CREATE TABLE attachment (
    id           uuid PRIMARY KEY,
    content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    bytes        integer NOT NULL CHECK (bytes > 0),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    width        integer NOT NULL CHECK (width > 0),
    height       integer NOT NULL CHECK (height > 0),
    file_name    text,                       -- as sent, for display only
    location     geometry(Point, 4326),      -- the tablet's GPS stamp, when it sent one
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachment_uploader ON attachment (uploaded_by, uploaded_at DESC);

GRANT SELECT, INSERT ON attachment TO gridctl_app;

-- Who may send photos: everyone who reports or handles cases (the data officer does neither).
UPDATE app_role SET permissions = permissions || ARRAY['attachments.write']
WHERE code IN ('admin', 'command', 'dispatcher', 'worker', 'peer');

-- Open311 (issue 16): a report's media_url is the case's photo reference, kept as the reporter sent it
-- and returned with the request (GeoReport v2), instead of being glued onto the description. It is a
-- link to a photo on the reporting system, never fetched by the server: the desk shows it as text.
-- Set once at intake; it does not travel with work orders (the order carries its photos itself).
ALTER TABLE civic_case ADD COLUMN media_url text
    CHECK (media_url ~ '^https?://[^[:space:]]+$' AND length(media_url) <= 2000);

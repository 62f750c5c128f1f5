-- The wall's search finds houses by any part of their address and enterprises by any part of their name
-- (LIKE '%…%', as an officer types "江南大道中 123" or "晓港湾"). No B-tree serves that: every search read
-- all 916,978 addresses. Trigram indexes do, for a part of three characters or more (Chinese characters
-- make trigrams too in the cluster's C.UTF-8 locale): the search asks them only for such parts
-- (server/.../search/SearchResource). pg_trgm ships with PostgreSQL (contrib) and is a trusted
-- extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX house_address_trgm ON house USING gin (address gin_trgm_ops);
CREATE INDEX enterprise_name_trgm ON enterprise USING gin (name gin_trgm_ops);

-- Row-level security keeps a query's own conditions from running before the policy unless they are
-- LEAKPROOF, and only such conditions may drive an index scan (V5 did the same for &&, for tiles): without
-- this, LIKE under the request role reads every row of the table and filters, index or not. textlike (the
-- ~~ operator on text) raises no error that depends on the text it reads (only on a malformed pattern,
-- which is the caller's own), so it may truthfully be marked LEAKPROOF. That takes a superuser; elsewhere
-- a DBA runs the same statement, and searches stay correct but slow until then.
DO $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        ALTER FUNCTION textlike(text, text) LEAKPROOF;
    ELSE
        RAISE WARNING 'address search will read whole tables under row-level security until a superuser runs: ALTER FUNCTION textlike(text, text) LEAKPROOF';
    END IF;
END $$;

-- A statement that writes many records (an import, a grid reshape, a sync apply) logs them in
-- entries of up to 1,000 records (record_gids) instead of one row each: at 1.58 M persons, a row
-- per record cost 5-7 s of the import (the heap and (txid, id) key insert of every row), the
-- batched entries cost under a second. A statement that writes one record still logs it in
-- record_gid, as before. ChangeLogReader hands out one change per record either way.

ALTER TABLE change_log ALTER COLUMN record_gid DROP NOT NULL;
ALTER TABLE change_log ADD COLUMN record_gids uuid[];
ALTER TABLE change_log ADD CONSTRAINT change_log_one_form
    CHECK ((record_gid IS NULL) <> (record_gids IS NULL) AND coalesce(cardinality(record_gids), 2) > 1);

CREATE OR REPLACE FUNCTION change_log_capture() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        -- A tombstone: the record is gone, its next version says so.
        INSERT INTO change_log (table_name, record_gid, record_gids, op, version, origin)
        SELECT TG_TABLE_NAME, CASE WHEN count(*) = 1 THEN min(gid::text)::uuid END,
               CASE WHEN count(*) > 1 THEN array_agg(gid ORDER BY n) END, 'D', version, origin
        FROM (SELECT o.gid, o.version + 1 AS version, me.origin, row_number() OVER () AS n
              FROM old_rows o, (SELECT gridctl_origin() AS origin) me) d
        GROUP BY (n - 1) / 1000, version, origin;
    ELSE
        INSERT INTO change_log (table_name, record_gid, record_gids, op, version, origin)
        SELECT TG_TABLE_NAME, CASE WHEN count(*) = 1 THEN min(gid::text)::uuid END,
               CASE WHEN count(*) > 1 THEN array_agg(gid ORDER BY n) END, left(TG_OP, 1), version, origin
        FROM (SELECT r.gid, r.version, r.origin, row_number() OVER () AS n FROM new_rows r) d
        GROUP BY (n - 1) / 1000, version, origin;
    END IF;
    RETURN NULL;
END $$;

-- One row per record change, whichever form it was logged in (for people and tests reading SQL).
CREATE VIEW change_log_record AS
SELECT c.txid, c.id, g.n AS seq, c.table_name, g.gid AS record_gid, c.op, c.version, c.origin, c.changed_at
FROM change_log c
CROSS JOIN LATERAL unnest(coalesce(c.record_gids, ARRAY[c.record_gid])) WITH ORDINALITY AS g (gid, n);
GRANT SELECT ON change_log_record TO gridctl_app;

-- change_log.record_gids holds up to 1,000 random UUIDs (16 kB): too big to stay in the row, and
-- incompressible, yet PostgreSQL tried to compress every one before moving it out of line. For the
-- 1,582 entries of a first load of the 1.58 M demo persons that attempt was 1.4 s of a 1.7 s insert.
-- EXTERNAL: out of line without compression.
ALTER TABLE change_log ALTER COLUMN record_gids SET STORAGE EXTERNAL;

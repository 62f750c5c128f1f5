-- 受理编号 HZ<date><serial>: the serial comes from one sequence that never restarts, and V4 padded it
-- with lpad(…, 5), which also cuts a longer text down to 5 characters. From the 100,000th case on,
-- ten serials in a row became one number and the intake failed on the unique key (at the district's
-- volume, within months). The serial is now padded to at least six digits and never cut; numbers
-- made so far keep their shorter form, and differ in length from every new one.
CREATE OR REPLACE FUNCTION gridctl_case_number() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT 'HZ' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD')
                || lpad(s.n, greatest(6, length(s.n)), '0')
    FROM (SELECT nextval('civic_case_number_seq')::text AS n) s
$$;

-- The house code rule (14-24 digits) without a regular expression. PostgreSQL ran the regex of V1
-- once per row, 1.1 s of the 3 s COPY of the 916,978 demo houses (docs/BENCHMARKS.md, issue 3);
-- length and ltrim are plain C loops. Stricter than \d too: ASCII digits only, as the importer checks.
ALTER TABLE house DROP CONSTRAINT house_code_check,
    ADD CONSTRAINT house_code_check CHECK (length(code) BETWEEN 14 AND 24 AND ltrim(code, '0123456789') = '');

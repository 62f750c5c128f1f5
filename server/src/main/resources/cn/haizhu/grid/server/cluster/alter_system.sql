-- One ALTER SYSTEM statement for a setting and its value. ALTER SYSTEM takes no parameters, so the
-- statement is built here by format() from bound values (%I quotes the name, %L the value), then run.
SELECT format('ALTER SYSTEM SET %I = %L', ?::text, ?::text)

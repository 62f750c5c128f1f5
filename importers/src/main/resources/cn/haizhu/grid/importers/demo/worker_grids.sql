SELECT string_agg(code, ',' ORDER BY code) FROM (SELECT code FROM grid ORDER BY code LIMIT 2) g

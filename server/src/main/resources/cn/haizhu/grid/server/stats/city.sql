-- The city a city node holds, if any (its area tree's root).
SELECT code, name FROM admin_area WHERE level = 'city' ORDER BY code LIMIT 1

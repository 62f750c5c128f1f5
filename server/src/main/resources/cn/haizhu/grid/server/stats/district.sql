-- The district the caller sees, if any.
SELECT code, name FROM admin_area WHERE level = 'district' ORDER BY code LIMIT 1

-- ALTER SYSTEM RESET for one setting (a promoted standby forgets whom it followed); built by format() as above.
SELECT format('ALTER SYSTEM RESET %I', ?::text)

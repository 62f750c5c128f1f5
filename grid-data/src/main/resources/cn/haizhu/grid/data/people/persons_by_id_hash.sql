-- Which persons already hold these ID-number hashes (to name both rows when a re-encryption meets the same person twice).
SELECT id, id_number_hash, id_number_masked FROM person WHERE id_number_hash = ANY (?)

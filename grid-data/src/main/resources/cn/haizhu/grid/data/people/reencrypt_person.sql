-- Only if the row still holds what was read: a concurrent edit wins, and the row is taken up again
-- by the next pass.
UPDATE person SET id_number_enc = ?, id_number_hash = ?, phone_enc = ?, phone_hash = ?
WHERE id = ? AND id_number_enc = ? AND phone_enc IS NOT DISTINCT FROM ?

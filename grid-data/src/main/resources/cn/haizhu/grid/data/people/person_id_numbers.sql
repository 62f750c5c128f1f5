SELECT id, id_number_enc FROM person WHERE id = ANY (?)

-- One stored ID number, to tell which key the persons of a database that recorded none are under.
SELECT id_number_enc FROM person LIMIT 1

-- Stored values not (yet) sealed under the key whose header is given: zero when a re-encryption is complete.
SELECT (SELECT count(*) FROM person
        WHERE substring(id_number_enc FROM 1 FOR 5) <> ? OR substring(phone_enc FROM 1 FOR 5) <> ?)
     + (SELECT count(*) FROM grid_worker WHERE substring(phone_enc FROM 1 FOR 5) <> ?)

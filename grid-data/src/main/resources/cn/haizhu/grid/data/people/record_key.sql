-- The first import of persons into a database that never recorded a key records its own.
INSERT INTO pii_key_state (current_key_id) VALUES (?) ON CONFLICT (singleton) DO NOTHING

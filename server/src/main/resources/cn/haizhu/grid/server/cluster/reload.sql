-- Makes the server read its configuration files again (settings that need no restart take effect).
SELECT pg_reload_conf()

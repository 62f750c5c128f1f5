-- How the running cluster archives: the settings it started with.
SELECT current_setting('archive_mode'), current_setting('archive_command')

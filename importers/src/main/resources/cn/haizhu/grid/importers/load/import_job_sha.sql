UPDATE import_job SET file_sha256 = ? WHERE id = ?

/**
 * Backups that restore: base backups of the embedded cluster (pg_basebackup with a manifest), its WAL
 * archived continuously into the same repository, and the secrets without which the data cannot be
 * read (the personal-data key ring, the cluster's password), sealed under a passphrase. Restores to
 * the latest point or to a point in time, into a new data folder; checks a repository end to end.
 * README "Backups" says how to run them, docs/SECURITY.md what a backup discloses.
 */
package cn.haizhu.grid.data.backup;

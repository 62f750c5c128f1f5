-- Writes a checkpoint now: after a promotion, pg_control names the new timeline only from the next
-- checkpoint on, and pg_rewind reads the source's timeline there (before it, it finds nothing to rewind).
CHECKPOINT

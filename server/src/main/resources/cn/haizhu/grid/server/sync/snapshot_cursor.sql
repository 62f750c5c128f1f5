-- Where the feed continues after this snapshot: the oldest transaction still running when its picture
-- was taken. Everything older is in the picture; what it or a later one wrote may be too, and is
-- pulled again from the feed and applied idempotently (same version and origin: nothing to do).
-- Work orders are not in a snapshot (they travel by the feed only): if the peer (?) is party to
-- orders already, the feed continues from the first change of them instead, so that none is skipped.
SELECT least(pg_snapshot_xmin(pg_current_snapshot()),
             (SELECT min(r.txid) FROM change_log_record r JOIN civic_case k ON k.gid = r.record_gid
              WHERE r.table_name = 'civic_case' AND ? IN (k.origin_node, k.handling_node)))::text

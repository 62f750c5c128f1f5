package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.sync.Ownership;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@code ./gridctl sync verify PEER} found (docs/SYNC.md, "Verify"): per table and street of the
 * two nodes' common scope, the count and digest of the records at each side, and for a bucket whose
 * digests differ the records that differ. The rules that compare the two sides are here, apart from
 * how each side is read ({@link SyncVerify}), so that they are tested on their own.
 *
 * @param node    this node's code
 * @param peer    the peer's code
 * @param scope   the common scope compared ({@code street:440105001}, {@code district:440105})
 * @param buckets every bucket either side holds, in table order ({@link Ownership#TABLES}), then by street
 */
public record Verification(String node, String peer, String scope, List<Bucket> buckets) {

    /** One side's records of a table in one street: how many, and their digest. */
    public record BucketDigest(String table, String street, long records, String digest) {
    }

    /** One record as a side holds it: its version, origin and the md5 of its content. */
    public record RecordDigest(String gid, long version, String origin, String md5) {
    }

    /** A record that differs: as each side holds it, null where a side does not hold it. */
    public record Difference(String gid, RecordDigest here, RecordDigest there) {
        /** {@code missing here}, {@code missing there}, {@code other version} or {@code same version, other content}. */
        public String kind() {
            if (here == null) {
                return "missing here";
            }
            if (there == null) {
                return "missing there";
            }
            return here.version() == there.version() && here.origin().equals(there.origin())
                    ? "same version, other content" : "other version";
        }
    }

    /** The records that differ in a bucket: how many in all, and the first of them (by gid). */
    public record Listing(long differing, List<Difference> listed) {
    }

    /**
     * A table in a street at both sides.
     *
     * @param listing the differing records, read when the digests differ (else null)
     */
    public record Bucket(String table, String street, long here, long there, String digestHere, String digestThere,
                         Listing listing) {
        /**
         * Equal when both sides hold as many records with the same digest; or, when the digests
         * differed, the records read afterwards showed no difference (a change was in flight between
         * the two reads and has arrived).
         */
        public boolean equal() {
            return digestsEqual() || listing != null && listing.differing() == 0;
        }

        /** Both sides hold as many records with the same digest. */
        public boolean digestsEqual() {
            return here == there && Objects.equals(digestHere, digestThere);
        }

        Bucket listed(Listing found) {
            return new Bucket(table, street, here, there, digestHere, digestThere, found);
        }
    }

    /** Every bucket equal. */
    public boolean equal() {
        return buckets.stream().allMatch(Bucket::equal);
    }

    /** The buckets that differ. */
    public List<Bucket> differing() {
        return buckets.stream().filter(b -> !b.equal()).toList();
    }

    /**
     * The buckets of both sides side by side: a bucket that one side lacks counts 0 records there,
     * with no digest. In table order, then by street.
     */
    static List<Bucket> pair(List<BucketDigest> here, List<BucketDigest> there) {
        Map<Key, BucketDigest[]> byKey = new TreeMap<>(Comparator.comparingInt((Key k) -> Ownership.TABLES.indexOf(k.table()))
                .thenComparing(Key::street));
        for (BucketDigest b : here) {
            byKey.computeIfAbsent(Key.of(b), k -> new BucketDigest[2])[0] = b;
        }
        for (BucketDigest b : there) {
            byKey.computeIfAbsent(Key.of(b), k -> new BucketDigest[2])[1] = b;
        }
        List<Bucket> out = new ArrayList<>();
        byKey.forEach((k, pair) -> out.add(new Bucket(k.table(), k.street(), pair[0] == null ? 0 : pair[0].records(),
                pair[1] == null ? 0 : pair[1].records(), pair[0] == null ? null : pair[0].digest(),
                pair[1] == null ? null : pair[1].digest(), null)));
        return out;
    }

    private record Key(String table, String street) {
        static Key of(BucketDigest b) {
            if (!Ownership.TABLES.contains(b.table())) {
                throw new IllegalArgumentException("a digest of table '" + b.table() + "', which the exchange does not carry");
            }
            return new Key(b.table(), b.street());
        }
    }

    /**
     * The records of one bucket that differ, from both sides' lists in gid order (walked side by side,
     * never held whole): a gid on one side only, or the same gid with another md5. Lists the first
     * {@code limit}, counts them all. A list out of order is refused: the walk would report records
     * as missing that are not.
     */
    static Listing diff(Iterator<RecordDigest> here, Iterator<RecordDigest> there, int limit) {
        Ordered h = new Ordered(here, "this node's");
        Ordered t = new Ordered(there, "the peer's");
        long differing = 0;
        List<Difference> listed = new ArrayList<>();
        RecordDigest a = h.next();
        RecordDigest b = t.next();
        while (a != null || b != null) {
            int order = a == null ? 1 : b == null ? -1 : a.gid().compareTo(b.gid());
            Difference d = null;
            if (order < 0) {
                d = new Difference(a.gid(), a, null);
                a = h.next();
            } else if (order > 0) {
                d = new Difference(b.gid(), null, b);
                b = t.next();
            } else {
                if (!a.md5().equals(b.md5())) {
                    d = new Difference(a.gid(), a, b);
                }
                a = h.next();
                b = t.next();
            }
            if (d != null) {
                differing++;
                if (listed.size() < limit) {
                    listed.add(d);
                }
            }
        }
        return new Listing(differing, List.copyOf(listed));
    }

    /** A side's list, checked to come in strictly ascending gid order. */
    private static final class Ordered {
        private final Iterator<RecordDigest> records;
        private final String side;
        private String last;

        Ordered(Iterator<RecordDigest> records, String side) {
            this.records = records;
            this.side = side;
        }

        RecordDigest next() {
            if (!records.hasNext()) {
                return null;
            }
            RecordDigest r = records.next();
            if (last != null && r.gid().compareTo(last) <= 0) {
                throw new IllegalStateException(side + " records are not in gid order: " + r.gid() + " after " + last);
            }
            last = r.gid();
            return r;
        }
    }
}

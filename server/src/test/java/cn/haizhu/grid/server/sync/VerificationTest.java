package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.sync.Verification.Bucket;
import cn.haizhu.grid.server.sync.Verification.BucketDigest;
import cn.haizhu.grid.server.sync.Verification.Listing;
import cn.haizhu.grid.server.sync.Verification.RecordDigest;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationTest {
    private static final String A = "0a000000-0000-0000-0000-000000000000";
    private static final String B = "5b000000-0000-0000-0000-000000000000";
    private static final String C = "9c000000-0000-0000-0000-000000000000";
    /** After C in uuid order (PostgreSQL compares bytes, so 'a'…'f' come after '9'), though not in UUID.compareTo's. */
    private static final String D = "fd000000-0000-0000-0000-000000000000";

    private static RecordDigest rec(String gid, long version, String origin, String md5) {
        return new RecordDigest(gid, version, origin, md5.repeat(32 / md5.length()));
    }

    private static Listing diff(List<RecordDigest> here, List<RecordDigest> there, int limit) {
        return Verification.diff(here.iterator(), there.iterator(), limit);
    }

    @Test
    void theSameRecordsOnBothSidesDifferInNothing() {
        List<RecordDigest> records = List.of(rec(A, 1, "440105", "a"), rec(B, 3, "440105001", "b"), rec(D, 2, "440105", "d"));
        Listing l = diff(records, records, 10);
        assertEquals(0, l.differing());
        assertTrue(l.listed().isEmpty());
    }

    @Test
    void aRecordOnOneSideOnlyIsMissingOnTheOther() {
        Listing l = diff(List.of(rec(A, 1, "440105", "a"), rec(C, 1, "440105", "c")), List.of(rec(B, 2, "440105001", "b"), rec(C, 1, "440105", "c")),
                10);
        assertEquals(2, l.differing());
        assertEquals(A, l.listed().get(0).gid());
        assertEquals("missing there", l.listed().get(0).kind());
        assertNull(l.listed().get(0).there());
        assertEquals(B, l.listed().get(1).gid());
        assertEquals("missing here", l.listed().get(1).kind());
        assertEquals(2, l.listed().get(1).there().version());
    }

    @Test
    void theSameGidWithOtherContentDiffersAndSaysWhetherTheVersionMoved() {
        Listing l = diff(List.of(rec(A, 2, "440105001", "a"), rec(B, 4, "440105", "b")),
                List.of(rec(A, 2, "440105001", "e"), rec(B, 5, "440105001", "f")), 10);
        assertEquals(2, l.differing());
        assertEquals("same version, other content", l.listed().get(0).kind());
        assertEquals("other version", l.listed().get(1).kind());
        assertEquals(4, l.listed().get(1).here().version());
        assertEquals(5, l.listed().get(1).there().version());
    }

    @Test
    void aSameVersionFromAnotherOriginIsAnotherVersion() {
        Listing l = diff(List.of(rec(A, 2, "440105001", "a")), List.of(rec(A, 2, "440105", "e")), 10);
        assertEquals("other version", l.listed().get(0).kind());
    }

    @Test
    void theListingStopsAtTheLimitButTheCountGoesOn() {
        Listing l = diff(List.of(rec(A, 1, "440105", "a"), rec(B, 1, "440105", "b"), rec(C, 1, "440105", "c")), List.of(), 2);
        assertEquals(3, l.differing());
        assertEquals(List.of(A, B), l.listed().stream().map(Verification.Difference::gid).toList());
    }

    @Test
    void aListOutOfGidOrderIsRefusedRatherThanReadAsMissingRecords() {
        // UUID.compareTo would put D (fd…) before A (0a…): the lists come in PostgreSQL's order, the text's
        assertEquals(0, diff(List.of(rec(A, 1, "440105", "a"), rec(D, 1, "440105", "d")),
                List.of(rec(A, 1, "440105", "a"), rec(D, 1, "440105", "d")), 10).differing());
        assertThrows(IllegalStateException.class, () -> diff(List.of(rec(A, 1, "440105", "a")),
                List.of(rec(C, 1, "440105", "c"), rec(B, 1, "440105", "b")), 10));
        assertThrows(IllegalStateException.class, () -> diff(List.of(rec(B, 1, "440105", "b"), rec(B, 1, "440105", "b")),
                List.of(), 10), "a gid twice");
    }

    @Test
    void bucketsArePairedByTableAndStreetInTableOrderAndAMissingOneCountsZero() {
        List<Bucket> b = Verification.pair(
                List.of(new BucketDigest("house", "440105001", 10, "h1"), new BucketDigest("admin_area", "440105", 1, "a0"),
                        new BucketDigest("admin_area", "440105001", 5, "a1")),
                List.of(new BucketDigest("admin_area", "440105001", 5, "a1"), new BucketDigest("house", "440105001", 10, "h2"),
                        new BucketDigest("admin_area", "440105", 1, "a0"), new BucketDigest("person", "440105001", 3, "p1")));
        assertEquals(List.of("admin_area/440105", "admin_area/440105001", "house/440105001", "person/440105001"),
                b.stream().map(x -> x.table() + "/" + x.street()).toList());
        assertTrue(b.get(0).equal());
        assertTrue(b.get(1).equal());
        assertFalse(b.get(2).equal(), "same count, other digest");
        assertEquals(0, b.get(3).here());
        assertNull(b.get(3).digestHere());
        assertFalse(b.get(3).equal());
        assertThrows(IllegalArgumentException.class, () -> Verification.pair(List.of(new BucketDigest("app_user", "440105001", 1, "x")),
                List.of()));
    }

    @Test
    void aBucketWhoseDigestsDifferedIsEqualOnlyWhenItsRecordsShowNoDifference() {
        Bucket differs = new Bucket("house", "440105001", 10, 10, "h1", "h2", null);
        assertFalse(differs.equal());
        assertTrue(differs.listed(new Listing(0, List.of())).equal(), "a change was in flight and has arrived");
        assertFalse(differs.listed(new Listing(1, List.of())).equal());
        Verification v = new Verification("440105", "440105001", "street:440105001",
                List.of(new Bucket("grid", "440105001", 4, 4, "g", "g", null), differs.listed(new Listing(1, List.of()))));
        assertFalse(v.equal());
        assertEquals(1, v.differing().size());
        // equal counts alone are not equal buckets, nor are equal digests over other counts
        assertFalse(new Bucket("house", "440105001", 10, 11, "h", "h", null).equal());
    }
}

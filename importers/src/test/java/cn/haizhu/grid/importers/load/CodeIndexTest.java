package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CodeIndexTest {

    @Test
    void codesThatDifferOnlyInLeadingZerosOrLengthStayApart() {
        CodeIndex index = new CodeIndex(4);
        assertTrue(index.put("12", 1));
        assertTrue(index.put("0012", 2));
        assertTrue(index.put("440105001001000001", 3));     // 18 digits: all in the low long
        assertTrue(index.put("4401050010010000012345", 4)); // 22 digits: leading ones in the high long
        assertTrue(index.put("0401050010010000012345", 5));
        assertTrue(index.put("401050010010000012345", 6));  // the same digits one shorter
        assertEquals(1, index.get("12"));
        assertEquals(2, index.get("0012"));
        assertEquals(3, index.get("440105001001000001"));
        assertEquals(4, index.get("4401050010010000012345"));
        assertEquals(5, index.get("0401050010010000012345"));
        assertEquals(6, index.get("401050010010000012345"));
        assertEquals(-1, index.get("012"));
        assertEquals(-1, index.get("440105001001000002"));
    }

    @Test
    void codesReadAsBytesAreTheSameCodes() {
        CodeIndex index = new CodeIndex(4);
        byte[] row = "xx4401050011010100001yy0012".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(index.put(row, 2, 19, 1));
        assertTrue(index.put(row, 23, 4, 2));
        assertFalse(index.put(row, 0, 4, 3));
        assertEquals(1, index.get("4401050011010100001"));
        assertEquals(2, index.get("0012"));
        assertEquals(-1, index.get("12"));
        assertEquals(2, index.size());
    }

    @Test
    void whatIsNoCodeIsNeverFound() {
        CodeIndex index = new CodeIndex(4);
        assertFalse(index.put("12a", 1));
        assertFalse(index.put("", 1));
        assertFalse(index.put("1".repeat(CodeIndex.MAX_DIGITS + 1), 1));
        assertTrue(index.put("9".repeat(CodeIndex.MAX_DIGITS), 7));
        assertEquals(7, index.get("9".repeat(CodeIndex.MAX_DIGITS)));
        assertEquals(-1, index.get("12a"));
        assertEquals(-1, index.get(null));
        assertEquals(-1, index.get("-12"));
        assertEquals(-1, index.get("12\uD83D\uDE00"));   // a character outside the BMP
        assertFalse(index.put("4401\uD83D\uDE00", 1));
        assertEquals(1, index.size());
    }

    @Test
    void aMillionHouseCodesFitTheSlotsPromisedAndAreAllFound() {
        int n = 1_000_000;
        CodeIndex index = new CodeIndex(n);
        int slots = index.slots();
        for (int i = 0; i < n; i++) {
            index.put("440105" + (1_000_000_000_000L + i * 7L), i);
        }
        assertEquals(n, index.size());
        assertEquals(slots, index.slots(), "sized once for what was expected, never grown");
        for (int i = 0; i < n; i++) {
            assertEquals(i, index.get("440105" + (1_000_000_000_000L + i * 7L)));
        }
        assertEquals(-1, index.get("440105" + (1_000_000_000_000L + 8L)));
    }

    @Test
    void itGrowsWhenMoreCodesComeThanExpected() {
        CodeIndex index = new CodeIndex(10);
        for (int i = 0; i < 10_000; i++) {
            index.put("44" + i, i);
        }
        for (int i = 0; i < 10_000; i++) {
            assertEquals(i, index.get("44" + i));
        }
        assertTrue(index.slots() * 3L >= index.size() * 5L);
    }
}

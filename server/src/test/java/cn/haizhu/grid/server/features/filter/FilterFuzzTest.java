package cn.haizhu.grid.server.features.filter;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random filters, from garbage characters to valid filters with a few characters changed, give a
 * translation or a {@link FilterException}, never anything else (a NumberFormatException, a stack
 * overflow, an index out of bounds would be a 500 at the features route).
 */
class FilterFuzzTest {
    private static final CollectionQueryables HOUSES = Queryables.of("houses").orElseThrow();
    private static final List<String> VALID = List.of(
            "floor >= 3 AND use IN ('住宅', '办公') OR NOT (room IS NULL)",
            "address LIKE '%江南%' AND floor NOT BETWEEN -1 AND 2.5e1",
            "S_INTERSECTS(geometry, POLYGON((113.2 23.0, 113.4 23.0, 113.4 23.2, 113.2 23.0)))",
            "S_WITHIN(geometry, BBOX(113.2, 23.0, 113.4, 23.2)) AND updated_at > TIMESTAMP('2026-01-01T00:00:00Z')",
            "S_INTERSECTS(geometry, MULTIPOLYGON(((113 23, 114 23, 114 24, 113 23)))) AND \"use\" <> 'x'",
            "S_INTERSECTS(MULTILINESTRING((113 23, 114 24)), geometry) OR S_CROSSES(geometry, LINESTRING(1 2, 3 4))",
            "S_INTERSECTS(geometry, GEOMETRYCOLLECTION(POINT(113 23), GEOMETRYCOLLECTION(MULTIPOINT((113 23)))))");
    private static final String ALPHABET = "()(),,'''\"\"=<>!-+.eE0123456789 \t\nabcxyzANDORNOTISNULLIKEBETWEENIN_:"
            + "网格住宅\u0000\uD83D\uDE00%\\";
    private static final List<String> WORDS = List.of("AND", "OR", "NOT", "IS", "NULL", "LIKE", "BETWEEN", "IN",
            "TRUE", "FALSE", "DATE(", "TIMESTAMP(", "BBOX(", "POINT(", "POLYGON((", "MULTIPOINT(", "S_INTERSECTS(",
            "S_WITHIN(", "GEOMETRYCOLLECTION(", "floor", "use", "geometry", "'2026-01-01'", "1e400", "-.5", "(", ")", ",", "=", "<>", "'");

    @Test
    void garbageGivesOnlyTheFilterException() {
        Random random = new Random(17);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(60);
            for (int j = 0; j < length; j++) {
                if (random.nextInt(3) == 0) {
                    text.append(WORDS.get(random.nextInt(WORDS.size()))).append(' ');
                } else {
                    text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            tryFilter(text.toString());
        }
    }

    @Test
    void validFiltersWithAFewCharactersChangedGiveOnlyTheFilterException() {
        Random random = new Random(21);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder(VALID.get(random.nextInt(VALID.size())));
            for (int edits = 1 + random.nextInt(3); edits > 0 && text.length() > 0; edits--) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    default -> text.setCharAt(at, ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                }
            }
            tryFilter(text.toString());
        }
    }

    private static void tryFilter(String text) {
        for (FilterCrs crs : FilterCrs.values()) {
            try {
                FilterTranslator.translate(text, HOUSES, crs, "h", 1);
            } catch (FilterException expected) {
                if (expected.getMessage() == null || expected.getMessage().isEmpty()) {
                    fail("a filter exception without a message for " + text);
                }
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError("filter " + text + " (" + crs + ") threw " + e, e);
            }
        }
    }
}

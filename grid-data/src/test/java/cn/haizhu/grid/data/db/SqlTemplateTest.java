package cn.haizhu.grid.data.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlTemplateTest {

    @Test
    void eachNamedSlotTakesItsPart() {
        assertEquals("SELECT c.a, $1 FROM t GROUP BY c.a",
                SqlTemplate.fill("SELECT {col}, $1 FROM t GROUP BY {col}", Map.of("col", "c.a")));
    }

    @Test
    void braceThatNamesNoSlotStaysAsItIs() {
        assertEquals("SELECT '{}'::text[], '{1,2}'::int[]", SqlTemplate.fill("SELECT '{}'::text[], '{1,2}'::int[]", Map.of()));
    }

    @Test
    void aPartIsNotReadAgainForSlots() {
        assertEquals("SELECT {b}", SqlTemplate.fill("SELECT {a}", Map.of("a", "{b}", "b", "x")));
    }

    @Test
    void aSlotWithoutAPartIsRefused() {
        assertThrows(IllegalStateException.class, () -> SqlTemplate.fill("SELECT {col} FROM {table}", Map.of("col", "c.a")));
    }
}

package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PersonRowsTest {

    @Test
    void birthDatesAreReadAsStrictlyAsTheIsoFormatterReadsThem() {
        assertEquals(LocalDate.of(1990, 1, 15), PersonRows.date("1990-01-15"));
        assertEquals(LocalDate.of(2000, 2, 29), PersonRows.date("2000-02-29"));
        for (String bad : new String[] {"1990-02-30", "1900-02-29", "1990-13-01", "1990-00-10", "1990-1-15", "1990-01-1",
            "19900115", "1990-01-15T00:00", "１９９０-01-15", "1990-0a-15", ""}) {
            assertThrows(DateTimeException.class, () -> PersonRows.date(bad), bad);
            assertThrows(DateTimeException.class, () -> LocalDate.parse(bad), "the formatter agrees on " + bad);
        }
    }
}

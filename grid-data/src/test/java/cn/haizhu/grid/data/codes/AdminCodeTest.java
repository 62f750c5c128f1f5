package cn.haizhu.grid.data.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.codes.AdminCode.Level;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminCodeTest {
    @ParameterizedTest
    @CsvSource({
        "440105, DISTRICT, ",
        "440105001, STREET, 440105",
        "440105018, STREET, 440105",
        "440105001101, COMMUNITY, 440105001",
        "440105011001, COMMUNITY, 440105011",
    })
    void knowsLevelAndParent(String code, Level level, String parent) {
        assertEquals(Optional.empty(), AdminCode.problem(code));
        assertEquals(Optional.of(level), AdminCode.level(code));
        assertEquals(Optional.ofNullable(parent), AdminCode.parent(code));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''            | is empty",
        "44010A        | must contain digits only, found '44010A'",
        "' 440105'     | must contain digits only, found ' 440105'",
        "4401050       | must be 6 (district), 9 (street) or 12 (community) digits, found 7",
        "44010500110   | must be 6 (district), 9 (street) or 12 (community) digits, found 11",
        "090105        | province part 09 (digits 1-2) must be between 11 and 82",
        "440100        | district part (digits 5-6) is 00, which names a city or province",
        "440105000     | street part (digits 7-9) cannot be 000",
        "440105001000  | community part (digits 10-12) cannot be 000",
    })
    void reportsProblems(String code, String reason) {
        assertEquals(Optional.of(reason), AdminCode.problem(code));
        assertEquals(Optional.empty(), AdminCode.level(code));
        assertEquals(Optional.empty(), AdminCode.parent(code));
    }

    @Test
    void knowsWhatLiesWithinWhat() {
        assertTrue(AdminCode.isWithin("440105001101", "440105001"));
        assertTrue(AdminCode.isWithin("440105001101", "440105"));
        assertTrue(AdminCode.isWithin("440105", "440105"));
        assertFalse(AdminCode.isWithin("440105002101", "440105001"));
        assertFalse(AdminCode.isWithin("440105", "440105001"));
        assertFalse(AdminCode.isWithin("440105000", "440105"));
    }
}

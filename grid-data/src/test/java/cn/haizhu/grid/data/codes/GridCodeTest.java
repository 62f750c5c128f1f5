package cn.haizhu.grid.data.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GridCodeTest {
    @Test
    void splitsAndJoins() {
        assertEquals(Optional.empty(), GridCode.problem("44010500110101"));
        assertEquals("440105001101", GridCode.communityCode("44010500110101"));
        assertEquals(1, GridCode.sequence("44010500110101"));
        assertEquals(99, GridCode.sequence("44010500110199"));
        assertEquals("44010500110101", GridCode.of("440105001101", 1));
        assertEquals("44010501100112", GridCode.of("440105011001", 12));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''               | is empty",
        "4401050011010    | must be 14 digits, found 13",
        "440105001101011  | must be 14 digits, found 15",
        "4401050011010A   | must contain digits only, found '4401050011010A'",
        "44010500110100   | sequence (digits 13-14) must be from 01 to 99, found 00",
        "44010500100001   | community code 440105001000 (digits 1-12): community part (digits 10-12) cannot be 000",
    })
    void reportsProblems(String code, String reason) {
        assertEquals(Optional.of(reason), GridCode.problem(code));
    }

    @Test
    void refusesBadParts() {
        assertThrows(IllegalArgumentException.class, () -> GridCode.of("440105001", 1));
        assertThrows(IllegalArgumentException.class, () -> GridCode.of("440105001101", 0));
        assertThrows(IllegalArgumentException.class, () -> GridCode.of("440105001101", 100));
        assertThrows(IllegalArgumentException.class, () -> GridCode.communityCode("44010500110100"));
    }
}

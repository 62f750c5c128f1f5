package cn.haizhu.grid.data.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IdNumberTest {
    private static final LocalDate TODAY = LocalDate.of(2025, 1, 1);

    @ParameterizedTest
    @ValueSource(strings = {
        "11010519491231002X", // the example printed in GB 11643 itself
        "11010519491231002x", // lowercase x is normalised
        " 11010519491231002X\u3000",
        "440105199003071235",
        "440105200002290028", // 29 February of a leap year
        "430102198506150044",
        "44010519880808002X",
    })
    void acceptsValidNumbers(String id) {
        assertEquals(Optional.empty(), IdNumber.problem(id, TODAY));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                  | is empty",
        "44010519900307123   | must be 18 characters, found 17",
        "4401051990030712355 | must be 18 characters, found 19",
        "44010519900307A235  | character 15 must be a digit, found 'A'",
        "040105199003071235  | region code 040105 (characters 1-6) cannot start with 0",
        "44010519900307123Y  | character 18 must be a digit or X, found 'Y'",
        "440105199902301233  | birth date 19990230 (characters 7-14) is not a real date",
        "440105190002290010  | birth date 19000229 (characters 7-14) is not a real date",
        "440524188001010014  | birth date 1880-01-01 is before 1900",
        "440105202501020011  | birth date 2025-01-02 is in the future",
        "440105199003071234  | check character is '4' but should be '5'",
        "110105194912310020  | check character is '0' but should be 'X'",
    })
    void reportsTheFirstBrokenRule(String id, String reason) {
        assertEquals(Optional.of(reason), IdNumber.problem(id, TODAY));
    }

    @Test
    void nullIsEmpty() {
        assertEquals(Optional.of("is empty"), IdNumber.problem(null));
    }

    @ParameterizedTest
    @CsvSource({"44010519900307123,5", "11010519491231002,X", "44010520000229002,8", "44010519880808002,X"})
    void computesTheCheckCharacter(String first17, char check) {
        assertEquals(check, IdNumber.checkChar(first17));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4401051990030712", "440105199003071235", "4401051990030712X"})
    void checkCharNeedsSeventeenDigits(String bad) {
        assertThrows(IllegalArgumentException.class, () -> IdNumber.checkChar(bad));
    }

    @Test
    void readsBirthDateAndGender() {
        assertEquals(LocalDate.of(1949, 12, 31), IdNumber.birthDate("11010519491231002X"));
        assertEquals('F', IdNumber.gender("11010519491231002X"));
        assertEquals('M', IdNumber.gender("440105199003071235"));
        assertThrows(IllegalArgumentException.class, () -> IdNumber.birthDate("440105199902301233"));
        assertThrows(IllegalArgumentException.class, () -> IdNumber.gender("4401051990"));
    }

    @ParameterizedTest
    @CsvSource({
        "440105199003071235, 440105********1235",
        "11010519491231002x, 110105********002X",
        "4401051990, 4********0",
        "12, **",
        "'', ''",
    })
    void masksSixPlusFour(String id, String masked) {
        assertEquals(masked, IdNumber.mask(id));
    }

    @Test
    void masksNullAsNull() {
        assertNull(IdNumber.mask(null));
        assertNull(IdNumber.normalise(null));
    }

    @Test
    void defaultLimitIsToday() {
        assertTrue(IdNumber.isValid("440105199003071235"));
    }
}

package cn.haizhu.grid.data.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CreditCodeTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "91440300708461136T", // published codes of well-known companies
        "914403001922038216",
        "91330100716105852F",
        "91440300708461136t", // lowercase is normalised
        "92440105MA5CKD3L27", // an individual business with a post-2015 MA organisation code
    })
    void acceptsValidCodes(String code) {
        assertEquals(Optional.empty(), CreditCode.problem(code));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                  | is empty",
        "91440300708461136   | must be 18 characters, found 17",
        "91440300708461I36T  | character 15 'I' is not used in credit codes (0-9 and A-Y except I, O, S, V)",
        "91440300O08461136T  | character 9 'O' is not used in credit codes (0-9 and A-Y except I, O, S, V)",
        "91440A00708461136T  | region code 440A00 (characters 3-8) must be 6 digits",
        "91440300708461136U  | check character is 'U' but should be 'T'",
        "914403007084611360  | check character is '0' but should be 'T'",
        "91440300708461137X  | organisation code 708461137 (characters 9-17) has check character '7' but GB 11714 gives '6'",
    })
    void reportsTheFirstBrokenRule(String code, String reason) {
        assertEquals(Optional.of(reason), CreditCode.problem(code));
    }

    @ParameterizedTest
    @CsvSource({"91440300708461136,T", "91440300192203821,6", "91330100716105852,F"})
    void computesTheCheckCharacter(String first17, char check) {
        assertEquals(check, CreditCode.checkChar(first17));
    }

    @ParameterizedTest
    @CsvSource({"70846113,6", "19220382,1", "71610585,2", "MA5CKD3L,2", "00000001,9", "00000005,1"})
    void computesTheOrganisationCheckCharacter(String first8, char check) {
        assertEquals(check, CreditCode.organizationCheckChar(first8));
    }

    @ParameterizedTest
    @CsvSource({
        "00000000,0", // sum 0: 11 - 0 = 11 is written 0
        "40000000,X", // sum 4×3 = 12 ≡ 1: 11 - 1 = 10 is written X
        "00000010,7", // sum 1×4 = 4
    })
    void organisationCheckWritesTenAsXAndElevenAsZero(String first8, char check) {
        assertEquals(check, CreditCode.organizationCheckChar(first8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9144030070846113", "9144030070846113I"})
    void checkCharRejectsBadInput(String bad) {
        assertThrows(IllegalArgumentException.class, () -> CreditCode.checkChar(bad));
    }
}

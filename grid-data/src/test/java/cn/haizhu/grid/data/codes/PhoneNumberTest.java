package cn.haizhu.grid.data.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import cn.haizhu.grid.data.codes.PhoneNumber.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhoneNumberTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "13800138000        | MOBILE     | 138****8000",
        "+86 138 0013 8000  | MOBILE     | 138****8000",
        "008619912345678    | MOBILE     | 199****5678",
        "020-12345678       | FIXED_LINE | 020-****5678",
        "02083123456        | FIXED_LINE | 020-****3456",
        "0757-2345678       | FIXED_LINE | 0757-***5678",
        "010 6512 3456      | FIXED_LINE | 010-****3456",
    })
    void acceptsAndMasks(String phone, Kind kind, String masked) {
        assertEquals(Optional.empty(), PhoneNumber.problem(phone));
        assertEquals(Optional.of(kind), PhoneNumber.kind(phone));
        assertEquals(masked, PhoneNumber.mask(phone));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''            | is empty",
        "12345         | a mobile number is 11 digits starting 13 to 19, found 5 digits starting 12",
        "1380013800    | a mobile number is 11 digits starting 13 to 19, found 10 digits starting 13",
        "12800138000   | a mobile number is 11 digits starting 13 to 19, found 11 digits starting 12",
        "020-0234567   | a fixed-line number is 0, a 2- or 3-digit area code and a 7- or 8-digit local number not starting with 0",
        "4008123456    | is neither a mobile number (1…) nor a fixed-line number with area code (0…)",
        "(020)12345678 | must contain only digits, spaces, hyphens and a leading +86, found '(020)12345678'",
    })
    void reportsProblems(String phone, String reason) {
        assertEquals(Optional.of(reason), PhoneNumber.problem(phone));
        assertEquals(Optional.empty(), PhoneNumber.kind(phone));
    }

    @Test
    void masksOtherValuesAndNull() {
        assertEquals("1***5", PhoneNumber.mask("12345"));
        assertNull(PhoneNumber.mask(null));
    }
}

package cn.haizhu.grid.importers.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextTest {
    @ParameterizedTest
    @CsvSource({
        "113.262, 113.2620000",
        "23.0957817, 23.0957817",
        "113.33203125, 113.3320313", // rounds half away from zero at the 8th decimal
        "0.00000004, 0.0000000",
        "-0.5, -0.5000000",
        "5e-7, 0.0000005",
        "100, 100.0000000",
    })
    void writesSevenDecimals(double value, String text) {
        assertEquals(text, Text.decimal7(new StringBuilder(), value).toString());
        assertEquals(Double.parseDouble(text), Text.round7(value));
    }

    @ParameterizedTest
    @CsvSource({"0, 2, 00", "7, 5, 00007", "12345, 5, 12345", "123456, 5, 123456", "5, 1, 5"})
    void padsWithZeros(long value, int width, String text) {
        assertEquals(text, Text.padded(new StringBuilder(), value, width).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "广州市海珠区江南大道中123号 | 广州市海珠区江南大道中123号",
        "a,b                      | \"a,b\"",
        "say \"hi\"               | \"say \"\"hi\"\"\"",
    })
    void quotesCsvOnlyWhenNeeded(String value, String field) {
        assertEquals(field, Text.csvField(new StringBuilder(), value).toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"海珠区 | \"海珠区\"", "a\"b\\c | \"a\\\"b\\\\c\""})
    void escapesJsonStrings(String value, String json) {
        assertEquals(json, Text.jsonString(new StringBuilder(), value).toString());
    }
}

package cn.haizhu.grid.data.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdDocumentTest {
    private static final LocalDate TODAY = LocalDate.of(2025, 1, 1);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "RESIDENT_ID       | 440105199003071235",
        "RESIDENT_ID       | 11010519491231002x",
        "HK_MACAO_PERMIT   | 810000199001011230",
        "HK_MACAO_PERMIT   | 820000197512300029",
        "TAIWAN_PERMIT     | 83000019850505222X",
        "FOREIGN_PERMANENT | 944840198001010038",
        "FOREIGN_PERMANENT | USA440812345678",
        "FOREIGN_PERMANENT | gbr441201013456",
        "PASSPORT          | E12345678",
        "PASSPORT          | EA1234567",
        "PASSPORT          | 123456789",
    })
    void acceptsValidNumbersOfEachType(IdDocument type, String number) {
        assertEquals(Optional.empty(), type.problem(number, TODAY));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "RESIDENT_ID       | 440105199003071234  | check character is '4' but should be '5'",
        "RESIDENT_ID       | 810000199001011230  | has the form of a residence permit (Hong Kong, Macao) number",
        "RESIDENT_ID       | 944840198001010038  | has the form of a foreign permanent residence ID card number",
        "HK_MACAO_PERMIT   | 440105199003071235  | a residence permit number starts with 810000 or 820000",
        "HK_MACAO_PERMIT   | 810000199001011231  | check character is '1' but should be '0'",
        "HK_MACAO_PERMIT   | 810000199002301230  | birth date 19900230 (characters 7-14) is not a real date",
        "TAIWAN_PERMIT     | 810000199001011230  | a residence permit number starts with 830000",
        "TAIWAN_PERMIT     | 830000198505052221  | check character is '1' but should be 'X'",
        "FOREIGN_PERMANENT | 944840198001010039  | check character is '9' but should be '8'",
        "FOREIGN_PERMANENT | 440105199003071235  | the 18-character form starts with 9, found '4'",
        "FOREIGN_PERMANENT | US4440812345678     | the 15-character form is 3 Latin letters and 12 digits",
        "FOREIGN_PERMANENT | USA44081234567      | must be 18 characters (2023 form) or 15 (2017 form), found 14",
        "PASSPORT          | E123                | a passport number is 5-20 Latin letters and digits, with at least one digit",
        "PASSPORT          | ABCDEFGH            | a passport number is 5-20 Latin letters and digits, with at least one digit",
        "PASSPORT          | E1234-5678          | a passport number is 5-20 Latin letters and digits, with at least one digit",
    })
    void refusesInvalidNumbersWithTheRuleBroken(IdDocument type, String number, String reason) {
        assertEquals(Optional.of(reason), type.problem(number, TODAY));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "440105199003071235 | RESIDENT_ID",
        "44010519900307123  | RESIDENT_ID",
        "810000199001011230 | HK_MACAO_PERMIT",
        "820000197512300029 | HK_MACAO_PERMIT",
        "83000019850505222x | TAIWAN_PERMIT",
        "944840198001010038 | FOREIGN_PERMANENT",
        "USA440812345678    | FOREIGN_PERMANENT",
        "E12345678          | PASSPORT",
        "123456789          | RESIDENT_ID",
        "4401051990030712x5 | RESIDENT_ID",
    })
    void recognisesTheTypeFromTheNumbersForm(String number, IdDocument type) {
        assertEquals(type, IdDocument.recognise(number));
    }

    @Test
    void numbersInTheIdLayoutGiveBirthDateAndGender() {
        assertEquals(Optional.of(LocalDate.of(1980, 1, 1)), IdDocument.FOREIGN_PERMANENT.birthDate("944840198001010038"));
        assertEquals(Optional.of('M'), IdDocument.FOREIGN_PERMANENT.gender("944840198001010038"));
        assertEquals(Optional.of('F'), IdDocument.FOREIGN_PERMANENT.gender("944124199511110043"));
        assertEquals(Optional.of(LocalDate.of(1985, 5, 5)), IdDocument.TAIWAN_PERMIT.birthDate("83000019850505222X"));
        assertEquals(Optional.of('F'), IdDocument.TAIWAN_PERMIT.gender("83000019850505222X"));
        assertEquals(Optional.empty(), IdDocument.FOREIGN_PERMANENT.birthDate("USA440812345678"));
        assertEquals(Optional.empty(), IdDocument.PASSPORT.gender("E12345678"));
    }

    @Test
    void everyNumberIsMaskedAsAnIdNumber() {
        assertEquals("810000********1230", IdDocument.mask("810000199001011230"));
        assertEquals("U*************8", IdDocument.mask("USA440812345678"));
        assertEquals("E*******8", IdDocument.mask("e12345678"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "身份证           | RESIDENT_ID",
        "港澳居民居住证    | HK_MACAO_PERMIT",
        "台湾居民居住证    | TAIWAN_PERMIT",
        "外国人永久居留身份证 | FOREIGN_PERMANENT",
        "永居证           | FOREIGN_PERMANENT",
        "护照             | PASSPORT",
        "Passport         | PASSPORT",
    })
    void aTypeColumnNamesTheType(String text, IdDocument type) {
        assertEquals(Optional.of(type), IdDocument.named(text));
    }

    @Test
    void anUnknownTypeNameIsNone() {
        assertTrue(IdDocument.named("驾驶证").isEmpty());
        assertTrue(IdDocument.named(null).isEmpty());
    }
}

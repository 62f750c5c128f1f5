package cn.haizhu.grid.data.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.cases.CategoryCatalogue.CatalogueException;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CategoryCatalogueTest {
    private static final CategoryCatalogue DEFAULTS = CategoryCatalogue.defaults();

    @Test
    void shipsARealisticCatalogue() {
        assertEquals(59, DEFAULTS.size());
        assertEquals(24, DEFAULTS.all().stream().filter(c -> c.kind() == CaseKind.COMPONENT).count());
        assertEquals(6, DEFAULTS.majors(CaseKind.COMPONENT).size());
        assertEquals(6, DEFAULTS.majors(CaseKind.EVENT).size());
        assertEquals("市容环境", DEFAULTS.majors(CaseKind.EVENT).get(0).zh());
        assertEquals(8, DEFAULTS.majors(CaseKind.EVENT).get(0).categories().size());

        CaseCategory rubbish = DEFAULTS.require("SJ0102");
        assertEquals("暴露垃圾", rubbish.nameZh());
        assertEquals("Exposed rubbish", rubbish.nameEn());
        assertEquals("SJ01", rubbish.majorKey());
        assertEquals("CGJ", rubbish.department().code());
        assertEquals(Duration.ofHours(4), rubbish.limit(Urgency.NORMAL));
        assertEquals(Duration.ofHours(1), rubbish.limit(Urgency.URGENT));
        assertEquals(Duration.ofMinutes(30), DEFAULTS.require("SJ0403").urgentLimit());
        assertTrue(DEFAULTS.require("SJ0201").department().isLocalStreet());
        assertTrue(DEFAULTS.departments().size() >= 10);
        assertEquals("BJ0101", DEFAULTS.all().get(0).code());
    }

    @Test
    void everyShippedCategoryIsSane() {
        for (CaseCategory c : DEFAULTS.all()) {
            assertEquals(Optional.empty(), CaseCategory.codeProblem(c.code()));
            assertTrue(c.urgentLimit().compareTo(c.normalLimit()) <= 0, c.code());
            assertTrue(c.code().startsWith(c.kind().prefix() + c.majorCode()), c.code());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''       | is empty",
        "SJ010    | must be BJ (部件) or SJ (事件) followed by 4 digits, found 'SJ010'",
        "sj0102   | must be BJ (部件) or SJ (事件) followed by 4 digits, found 'sj0102'",
        "XX0102   | must be BJ (部件) or SJ (事件) followed by 4 digits, found 'XX0102'",
        "SJ0002   | 大类 (digits 1-2) must be from 01 to 99, found 00",
        "BJ0100   | 小类 (digits 3-4) must be from 01 to 99, found 00",
    })
    void codeProblems(String code, String problem) {
        assertEquals(Optional.of(problem), CaseCategory.codeProblem(code));
    }

    @Test
    void lookupSaysWhatIsWrong() {
        assertEquals(Optional.empty(), DEFAULTS.byCode("SJ9999"));
        assertEquals("category code SJ9999 is not in the catalogue",
                assertThrows(IllegalArgumentException.class, () -> DEFAULTS.require("SJ9999")).getMessage());
        assertEquals("category code must be BJ (部件) or SJ (事件) followed by 4 digits, found '0102'",
                assertThrows(IllegalArgumentException.class, () -> DEFAULTS.require("0102")).getMessage());
    }

    private static final String OK_ROW =
            "SJ0102,市容环境,City appearance,暴露垃圾,Exposed rubbish,CGJ,区城管局,Urban Management,1,4";

    @Test
    void readsAReplacementFile() throws Exception {
        CategoryCatalogue c = CategoryCatalogue.read(new StringReader("\uFEFF# ours\n" + CategoryCatalogue.HEADER
                + "\n" + OK_ROW + "\n\nBJ0101,公用设施,Public facilities,上水井盖,Water cover,SWJ,区水务局,Water,0.25,1.5\n"), "c.csv");
        assertEquals(2, c.size());
        assertEquals(Duration.ofMinutes(15), c.require("BJ0101").urgentLimit());
        assertEquals(Duration.ofMinutes(90), c.require("BJ0101").normalLimit());
        assertEquals(List.of("SJ01", "BJ01"), c.majors().stream().map(CategoryCatalogue.Major::key).toList());
    }

    @Test
    void reportsEveryBadLineAtOnce() {
        String file = CategoryCatalogue.HEADER + "\n"
                + OK_ROW + "\n"
                + OK_ROW + "\n"                                                                   // line 3
                + "SJ01,市容环境,City appearance,x,x,CGJ,区城管局,Urban Management,1,4\n"           // line 4
                + "SJ0103,市容,City,x,x,CGJ,区城管局,Urban Management,1,4\n"                        // line 5
                + "SJ0104,市容环境,City appearance,x,x,CGJ,城管,Urban Management,1,4\n"             // line 6
                + "SJ0105,市容环境,City appearance,,x,cgj,区城管局,Urban Management,1,4\n"          // line 7
                + "SJ0106,市容环境,City appearance,x,x,CGJ,区城管局,Urban Management,4,1\n"         // line 8
                + "SJ0107,市容环境,City appearance,x,x,CGJ,区城管局,Urban Management,0,four\n"      // line 9
                + "SJ0108,市容环境,City appearance,x,x,CGJ,区城管局,Urban Management,0.01,4\n"      // line 10
                + "SJ0109,too,few\n";                                                              // line 11
        CatalogueException e = assertThrows(CatalogueException.class,
                () -> CategoryCatalogue.read(new StringReader(file), "c.csv"));
        assertEquals(List.of(
                "c.csv line 3: code SJ0102 is already listed on line 2",
                "c.csv line 4: code must be BJ (部件) or SJ (事件) followed by 4 digits, found 'SJ01'",
                "c.csv line 5: 大类 SJ01 is named '市容/City' here but '市容环境/City appearance' before",
                "c.csv line 6: department CGJ is named '城管/Urban Management' here but '区城管局/Urban Management' before",
                "c.csv line 7: name_zh is empty",
                "c.csv line 7: department code must be 2-6 capital letters, found 'cgj'",
                "c.csv line 8: urgent limit 4 h is longer than the normal limit 1 h",
                "c.csv line 9: urgent_hours must be more than 0, found 0",
                "c.csv line 9: normal_hours 'four' is not a number of hours",
                "c.csv line 10: urgent_hours 0.01 h is not a whole number of minutes",
                "c.csv line 11: expected 10 fields, found 3"), e.problems());
    }

    @Test
    void refusesAWrongHeaderOrAnEmptyFile() {
        assertEquals(List.of("c.csv line 1: header is 'code,name', expected '" + CategoryCatalogue.HEADER + "'"),
                assertThrows(CatalogueException.class,
                        () -> CategoryCatalogue.read(new StringReader("code,name\n"), "c.csv")).problems());
        assertEquals(List.of("c.csv: lists no categories"), assertThrows(CatalogueException.class,
                () -> CategoryCatalogue.read(new StringReader(CategoryCatalogue.HEADER + "\n"), "c.csv")).problems());
        assertEquals(List.of("c.csv: no header line '" + CategoryCatalogue.HEADER + "'"), assertThrows(CatalogueException.class,
                () -> CategoryCatalogue.read(new StringReader("# only a comment\n"), "c.csv")).problems());
    }

    @Test
    void catalogueIsImmutable() {
        assertThrows(UnsupportedOperationException.class, () -> DEFAULTS.all().clear());
        assertThrows(UnsupportedOperationException.class, () -> DEFAULTS.majors().clear());
    }
}

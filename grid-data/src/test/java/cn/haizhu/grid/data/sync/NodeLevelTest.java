package cn.haizhu.grid.data.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeLevelTest {
    @Test
    void theLevelIsReadFromTheAdminCode() {
        assertEquals(Optional.of(NodeLevel.CITY), NodeLevel.ofCode("440100"));
        assertEquals(Optional.of(NodeLevel.DISTRICT), NodeLevel.ofCode("440105"));
        assertEquals(Optional.of(NodeLevel.STREET), NodeLevel.ofCode("440105001"));
    }

    @Test
    void codesOfNoCityDistrictOrStreetHaveNoLevel() {
        for (String code : new String[] {null, "", "4401", "44010", "4401050", "440105001101", "440000", "000105",
                "440105000", "44O105", " 440105"}) {
            assertEquals(Optional.empty(), NodeLevel.ofCode(code), String.valueOf(code));
        }
    }

    @Test
    void aStreetReportsToItsDistrictADistrictToItsCityAndACityToNoOne() {
        assertEquals(Optional.of("440105"), NodeLevel.STREET.upstreamCode("440105001"));
        assertEquals(Optional.of("440100"), NodeLevel.DISTRICT.upstreamCode("440105"));
        assertEquals(Optional.empty(), NodeLevel.CITY.upstreamCode("440100"));
        assertEquals(Optional.of(NodeLevel.DISTRICT), NodeLevel.STREET.upstream());
        assertEquals(Optional.empty(), NodeLevel.CITY.upstream());
    }
}

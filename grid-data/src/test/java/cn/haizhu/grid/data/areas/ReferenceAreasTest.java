package cn.haizhu.grid.data.areas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.areas.ReferenceAreas.Community;
import cn.haizhu.grid.data.areas.ReferenceAreas.Street;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReferenceAreasTest {
    @Test
    void hasAllStreetsAndCommunitiesInFileOrder() {
        List<Street> streets = ReferenceAreas.streets();
        List<Community> communities = ReferenceAreas.communities();
        assertEquals(18, streets.size());
        assertEquals(267, communities.size());
        assertEquals(new Street("440105001", "赤岗街道", "440105"), streets.get(0));
        assertEquals(new Street("440105018", "官洲街道", "440105"), streets.get(17));
        assertEquals(new Community("440105001101", "下渡社区居委会", "440105001"), communities.get(0));
        assertEquals(267, communities.stream().map(Community::code).collect(Collectors.toSet()).size());
        Set<String> streetCodes = streets.stream().map(Street::code).collect(Collectors.toSet());
        assertTrue(communities.stream().allMatch(c -> streetCodes.contains(c.streetCode())));
    }

    @Test
    void handsOutTheBoundary() {
        String json = ReferenceAreas.boundaryGeoJson();
        assertTrue(json.contains("\"Polygon\""));
        assertTrue(json.contains("440105"));
    }

    @Test
    void handsOutGuangzhouAndItsElevenDistricts() {
        String json = ReferenceAreas.guangzhouDistrictsGeoJson();
        java.util.regex.Matcher codes = java.util.regex.Pattern.compile("\"code\": \"(\\d{6})\"").matcher(json);
        Set<String> found = new java.util.TreeSet<>();
        while (codes.find()) {
            found.add(codes.group(1));
        }
        assertEquals(Set.of("440103", "440104", "440105", "440106", "440111", "440112", "440113", "440114", "440115",
                "440117", "440118"), found);
        assertEquals(java.util.Optional.of("广州市"), ReferenceAreas.name("440100"));
        assertEquals(java.util.Optional.of("海珠区"), ReferenceAreas.name("440105"));
        assertEquals(java.util.Optional.of("新港街道"), ReferenceAreas.name("440105002"));
        assertEquals(java.util.Optional.empty(), ReferenceAreas.name("440106001"));
    }
}

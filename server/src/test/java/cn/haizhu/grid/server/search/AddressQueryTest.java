package cn.haizhu.grid.server.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AddressQueryTest {
    @Test
    void aFullAddressIsLookedForFromTheRoomDownToThePlotThenItsRoad() {
        AddressQuery q = AddressQuery.of("广州市海珠区江南大道中123号5栋2单元1203房");
        assertEquals(List.of("广州市海珠区江南大道中123号5栋2单元1203房", "江南大道中123号5栋2单元1203房",
                "广州市海珠区江南大道中123号5栋2单元", "江南大道中123号5栋2单元",
                "广州市海珠区江南大道中123号5栋", "江南大道中123号5栋",
                "广州市海珠区江南大道中123号", "江南大道中123号"), q.parts());
        assertEquals(List.of("广州市海珠区江南大道中", "江南大道中"), q.roads());
    }

    @Test
    void widthsSpacesAndPunctuationDoNotMatterNorDoesTheProvince() {
        AddressQuery q = AddressQuery.of("广东省 广州市，海珠区 江南大道中１２３号　５栋");
        assertEquals("广东省广州市海珠区江南大道中123号5栋", q.text());
        assertTrue(q.parts().contains("江南大道中123号5栋"), q.parts().toString());
        assertTrue(q.parts().contains("江南大道中123号"), q.parts().toString());
        assertTrue(q.roads().contains("江南大道中"), q.roads().toString());
    }

    @Test
    void wordsAfterTheLastNumberAreTriedWholeFirstThenDropped() {
        AddressQuery q = AddressQuery.of("赤岗路3巷12号旁边的垃圾桶");
        assertEquals(List.of("赤岗路3巷12号旁边的垃圾桶", "赤岗路3巷12号", "赤岗路3巷"), q.parts());
        assertEquals(List.of("赤岗路"), q.roads());
    }

    @Test
    void withoutANumberTheWholeTextIsARoadOrAPlaceName() {
        AddressQuery q = AddressQuery.of("海珠区南华西街道");
        assertEquals(List.of(), q.parts());
        assertEquals(List.of("海珠区南华西街道", "南华西街道"), q.roads());
    }

    @Test
    void aPrefixThatIsNoneCostsALookupNotAMatch() {
        // 南华西街市场 is no city: the text as written is tried first, level by level
        AddressQuery q = AddressQuery.of("南华西街市场12号");
        assertEquals("南华西街市场12号", q.parts().get(0));
        assertEquals("南华西街市场", q.roads().get(0));
    }

    @Test
    void tooLittleToLookForIsNothing() {
        assertTrue(AddressQuery.of(null).isEmpty());
        assertTrue(AddressQuery.of("  ").isEmpty());
        assertTrue(AddressQuery.of("5号").isEmpty(), "a trigram index needs three characters");
        assertEquals(List.of(), AddressQuery.of("12号").parts());
    }
}

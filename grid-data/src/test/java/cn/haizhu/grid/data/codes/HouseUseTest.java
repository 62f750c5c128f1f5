package cn.haizhu.grid.data.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HouseUseTest {
    @Test
    void theEightClassesOfTheStandardInItsOrder() {
        assertEquals(List.of("住宅", "商业金融信息", "办公", "工业交通仓储", "教育医疗卫生科研", "文化娱乐体育", "军事", "其他"),
                HouseUse.storedValues());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "住宅       | 住宅",
        "商业       | 商业金融信息",
        "商铺       | 商业金融信息",
        "门面       | 商业金融信息",
        "商服       | 商业金融信息",
        "' 商铺 '   | 商业金融信息",
        "厂房       | 工业交通仓储",
        "工业       | 工业交通仓储",
        "仓库       | 工业交通仓储",
        "仓储       | 工业交通仓储",
        "写字楼     | 办公",
        "学校       | 教育医疗卫生科研",
        "医院       | 教育医疗卫生科研",
        "体育馆     | 文化娱乐体育",
        "商住       | 住宅",
        "其它       | 其他",
    })
    void everydayWordsFindTheirClass(String word, String stored) {
        assertEquals(stored, HouseUse.of(word).orElseThrow().code());
    }

    @Test
    void anUnknownWordFindsNothing() {
        assertEquals(Optional.empty(), HouseUse.of("茅草屋"));
        assertEquals(Optional.empty(), HouseUse.of(null));
    }

    @Test
    void noWordMeansTwoClasses() {
        Set<String> seen = new HashSet<>();
        for (HouseUse u : HouseUse.values()) {
            assertTrue(seen.add(u.zh()), u.zh());
            for (String w : u.synonyms()) {
                assertTrue(seen.add(w), w + " is listed twice");
            }
        }
    }
}

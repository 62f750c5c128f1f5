package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImportLevelTest {
    @Test
    void aCityImportsNoRecordItsStreetsOwn() {
        for (Dataset d : new Dataset[] {Dataset.HOUSES, Dataset.PERSONS, Dataset.ENTERPRISES}) {
            assertTrue(ImportLevel.refusal("440100", d).isPresent(), d.code());
        }
    }

    @Test
    void aCityImportsGridsAsRequestsToTheirDistrictAndTheLevelsBelowImportEverything() {
        assertEquals(Optional.empty(), ImportLevel.refusal("440100", Dataset.GRIDS));
        for (String code : new String[] {"440105", "440105001"}) {
            for (Dataset d : Dataset.values()) {
                assertEquals(Optional.empty(), ImportLevel.refusal(code, d), code + " " + d.code());
            }
        }
    }
}

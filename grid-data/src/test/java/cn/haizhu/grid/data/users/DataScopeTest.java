package cn.haizhu.grid.data.users;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DataScopeTest {
    @Test
    void allowsFollowsTheSameRuleAsRowLevelSecurity() {
        assertTrue(DataScope.district("440105").allows("440105009", "44010500901001"));
        assertTrue(DataScope.street("440105001").allows("440105001", null));
        assertFalse(DataScope.street("440105001").allows("440105002", "44010500201001"));
        assertFalse(DataScope.street("440105001").allows(null, null));
        DataScope grids = DataScope.grids(List.of("44010500101001", "44010500101002"));
        assertTrue(grids.allows("440105001", "44010500101002"));
        assertFalse(grids.allows("440105001", "44010500101003"));
        assertFalse(grids.allows("440105001", null));
    }

    @Test
    void malformedScopesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DataScope.street("4401"));
        assertThrows(IllegalArgumentException.class, () -> new DataScope("city", "440100"));
    }
}

package cn.haizhu.grid.server.events;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.users.DataScope;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which pushed case events reach whom: the row-level rules, applied to the event stream. */
class EventVisibilityTest {
    private static final String GRID = "44010500100101";
    private static final String OTHER_GRID = "44010501800101";
    private final JsonObject caseInOtherStreet = new JsonObject().put("type", "case.changed")
            .put("street_code", "440105018").put("grid_code", OTHER_GRID).put("assignee_id", 7L);

    @Test
    void aWorkerHearsOfTheirGridsAndOfCasesAssignedToThem() {
        DataScope grids = new DataScope("grids", GRID);
        assertTrue(EventStreamResource.visible(caseInOtherStreet, grids, 7L, List.of()), "assigned to worker 7");
        assertFalse(EventStreamResource.visible(caseInOtherStreet, grids, 8L, List.of()), "another worker's, elsewhere");
        assertFalse(EventStreamResource.visible(caseInOtherStreet, grids, null, List.of()), "a user who is no worker");
    }

    @Test
    void theWorkerACaseWasTakenFromHearsOfItOnce() {
        DataScope grids = new DataScope("grids", GRID);
        JsonObject reassigned = caseInOtherStreet.copy().put("previous_assignee_id", 9L);
        assertTrue(EventStreamResource.visible(reassigned, grids, 9L, List.of()), "worker 9 lost it");
        assertTrue(EventStreamResource.visible(reassigned, grids, 7L, List.of()), "worker 7 got it");
        assertFalse(EventStreamResource.visible(reassigned, grids, 8L, List.of()), "worker 8 had nothing to do with it");
    }

    @Test
    void streetAndDistrictUsersFollowTheirScope() {
        assertTrue(EventStreamResource.visible(caseInOtherStreet, new DataScope("district", "440105"), null, List.of()));
        assertFalse(EventStreamResource.visible(caseInOtherStreet, new DataScope("street", "440105001"), null, List.of()));
        assertFalse(EventStreamResource.visible(caseInOtherStreet, new DataScope("district", "440105"), null, List.of("tiles.")),
                "only the asked-for event types");
    }
}

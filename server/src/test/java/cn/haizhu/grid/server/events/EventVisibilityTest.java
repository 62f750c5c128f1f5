package cn.haizhu.grid.server.events;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.server.auth.Caller;
import java.time.Instant;
import java.util.Set;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which pushed case events reach whom: the row-level rules, applied to the event stream. */
class EventVisibilityTest {
    private static final String GRID = "44010500100101";
    private static final String OTHER_GRID = "44010501800101";
    private final JsonObject caseInOtherStreet = new JsonObject().put("type", "case.changed")
            .put("street_code", "440105018").put("grid_code", OTHER_GRID).put("assignee_id", 7L);

    private static Caller caller(DataScope scope, Long workerId) {
        return caller(scope, workerId, Set.of("areas.read", "records.read", "cases.read"));
    }

    private static Caller caller(DataScope scope, Long workerId, Set<String> permissions) {
        return new Caller(1, "u", "u", "command", permissions, scope, workerId, Instant.now().plusSeconds(3600));
    }

    @Test
    void anEventReachesOnlyRolesThatMayReadItsKind() {
        DataScope district = new DataScope("district", "440105");
        assertFalse(EventVisibility.visible(caseInOtherStreet, caller(district, null, Set.of("areas.read", "records.read", "imports.run")),
                List.of()), "an officer without cases.read hears no case, title or place");
        assertFalse(EventVisibility.visible(new JsonObject().put("type", "security.lookup_misses"), caller(district, null),
                List.of()), "security alerts are for those who read the audit");
        assertTrue(EventVisibility.visible(new JsonObject().put("type", "security.lookup_misses"),
                caller(district, null, Set.of("audit.read")), List.of()));
        assertFalse(EventVisibility.visible(new JsonObject().put("type", "unheard.of"), caller(district, null), List.of()),
                "a kind no rule names goes to no one");
    }

    @Test
    void aWorkerHearsOfTheirGridsAndOfCasesAssignedToThem() {
        DataScope grids = new DataScope("grids", GRID);
        assertTrue(EventVisibility.visible(caseInOtherStreet, caller(grids, 7L), List.of()), "assigned to worker 7");
        assertFalse(EventVisibility.visible(caseInOtherStreet, caller(grids, 8L), List.of()), "another worker's, elsewhere");
        assertFalse(EventVisibility.visible(caseInOtherStreet, caller(grids, null), List.of()), "a user who is no worker");
    }

    @Test
    void theWorkerACaseWasTakenFromHearsOfItOnce() {
        DataScope grids = new DataScope("grids", GRID);
        JsonObject reassigned = caseInOtherStreet.copy().put("previous_assignee_id", 9L);
        assertTrue(EventVisibility.visible(reassigned, caller(grids, 9L), List.of()), "worker 9 lost it");
        assertTrue(EventVisibility.visible(reassigned, caller(grids, 7L), List.of()), "worker 7 got it");
        assertFalse(EventVisibility.visible(reassigned, caller(grids, 8L), List.of()), "worker 8 had nothing to do with it");
    }

    @Test
    void streetAndDistrictUsersFollowTheirScope() {
        assertTrue(EventVisibility.visible(caseInOtherStreet, caller(new DataScope("district", "440105"), null), List.of()));
        assertFalse(EventVisibility.visible(caseInOtherStreet, caller(new DataScope("street", "440105001"), null), List.of()));
        assertFalse(EventVisibility.visible(caseInOtherStreet, caller(new DataScope("district", "440105"), null), List.of("tiles.")),
                "only the asked-for event types");
    }
}

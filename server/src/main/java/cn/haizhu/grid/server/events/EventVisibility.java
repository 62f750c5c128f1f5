package cn.haizhu.grid.server.events;

import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.server.auth.Caller;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Which events reach whom: an event reaches a caller only if the caller's role holds the permission
 * its type needs ({@link #PERMISSIONS}) and, when it names a place, the caller's data scope covers it
 * (the same rule as row-level security, {@link DataScope#allows}).
 */
final class EventVisibility {
    /** The permission each kind of event needs, by type prefix; a type no prefix names goes to no one. */
    static final Map<String, String> PERMISSIONS = Map.of(
            "case.", "cases.read",
            "tiles.", "areas.read",
            "security.", "audit.read");

    private EventVisibility() {
    }

    /** Whether the caller hears the event, on a stream that asked for the types of these prefixes (none: all). */
    static boolean visible(JsonObject event, Caller caller, List<String> prefixes) {
        String type = event.getString("type", "");
        if (!prefixes.isEmpty() && prefixes.stream().noneMatch(type::startsWith)) {
            return false;
        }
        String needs = PERMISSIONS.entrySet().stream().filter(e -> type.startsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (needs == null || !caller.can(needs)) {
            return false;
        }
        // an event that names a place (even "no street": a case outside every street) is scoped like the row
        if (!event.containsKey("street_code") && !event.containsKey("grid_code")) {
            return true;
        }
        // and a case assigned to the caller is theirs wherever it lies (the row-level rule of V15); the
        // worker it was just taken from hears of it too, so their tablet drops it at once (V17)
        Long workerId = caller.workerId();
        return caller.scope().allows(event.getString("street_code"), event.getString("grid_code"))
                || workerId != null && (workerId.equals(event.getLong("assignee_id"))
                                        || workerId.equals(event.getLong("previous_assignee_id")));
    }
}

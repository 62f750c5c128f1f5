package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.areas.ReferenceAreas;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.sync.LinkHealth;
import cn.haizhu.grid.data.sync.NodeLevel;
import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The "1+18" network as the wall shows it (docs/SYNC.md, "Operations"): this node, its link to the
 * node above and a link per area below, each with its state, honest lag, last error and alarm, as
 * {@code ./gridctl sync status} reads them ({@link SyncPeers#list}, judged by {@link LinkHealth}).
 *
 * <p>The areas below are the node's own (a district's streets, a city's districts) as the caller may
 * see them: row-level security on {@code admin_area} decides, so a street-scoped caller sees its own
 * street's link and the one above, never another street's. An area with no peer configured is "not
 * connected" (未接入), no alarm. A downstream peer with no area here (an area tree not loaded yet)
 * is shown to callers who see the whole node only.
 *
 * <p>What a link shows is a fixed list of fields: never the peer's URL, keys or cursor. Its last
 * error is the peer's or the network's text, passed on as text; the pages render it as text.
 */
public final class SyncLinks {
    /** Who may see the links: the staff who watch the wall (V36). */
    public static final String PERMISSION = "sync.status";
    private static final String CHILD_AREAS = SqlFile.load(SyncLinks.class, "child_areas");
    /** The fields of a peer's state ({@link SyncPeers#list}) a link shows, as they are named there. */
    private static final String[] SHOWN = {"state", "everConnected", "up", "downSince", "lagSeconds", "lagChanges",
        "lastError", "lastErrorAt", "conflictsWaiting", "alarm"};

    private final ThisNode node;
    private final SyncPeers peers;
    private final ScopedPool db;

    public SyncLinks(ThisNode node, SyncPeers peers, ScopedPool db) {
        this.node = node;
        this.peers = peers;
        this.db = db;
    }

    /**
     * {@code {node, upstream, downstream: [...], summary: {current, lagging, down, notConnected, alarms}}};
     * upstream is null at a city. Each link: {@code code, name, level, direction, state, everConnected,
     * up, downSince, lastSuccessAt, lagSeconds, lagChanges, lastError, lastErrorAt, conflictsWaiting,
     * alarm} (alarm {@code {reason, since}} or null).
     */
    public Future<JsonObject> links(Caller caller) {
        Future<JsonArray> states = peers.list();
        Future<Map<String, String>> below = childLevel().map(level -> areasBelow(caller, level))
                .orElse(Future.succeededFuture(Map.of()));
        return Future.all(states, below).map(all -> answer(caller, states.result(), below.result()));
    }

    /** The level of the areas directly below this node that link to it, or empty at a street. */
    private Optional<NodeLevel> childLevel() {
        return switch (node.level()) {
            case CITY -> Optional.of(NodeLevel.DISTRICT);
            case DISTRICT -> Optional.of(NodeLevel.STREET);
            case STREET -> Optional.empty();
        };
    }

    /** Code → name of the areas below this node the caller may see. */
    private Future<Map<String, String>> areasBelow(Caller caller, NodeLevel level) {
        return db.withScope(caller, c -> c.preparedQuery(CHILD_AREAS).execute(Tuple.of(node.code(), level.code()))).map(rows -> {
            Map<String, String> out = new LinkedHashMap<>();
            for (Row r : rows) {
                out.put(r.getString("code"), r.getString("name"));
            }
            return out;
        });
    }

    private JsonObject answer(Caller caller, JsonArray states, Map<String, String> below) {
        Map<String, JsonObject> up = new LinkedHashMap<>();
        Map<String, JsonObject> down = new LinkedHashMap<>();
        for (Object o : states) {
            JsonObject p = (JsonObject) o;
            ("up".equals(p.getString("direction")) ? up : down).put(p.getString("code"), p);
        }
        JsonObject upstream = node.level().upstreamCode(node.code())
                .map(code -> link(code, null, up.get(code), "up")).orElse(null);
        JsonArray downstream = new JsonArray();
        below.forEach((code, name) -> downstream.add(link(code, name, down.get(code), "down")));
        boolean wholeNode = DataScope.DISTRICT.equals(caller.scope().kind()) && node.code().equals(caller.scope().code());
        if (wholeNode) {
            down.keySet().stream().filter(code -> !below.containsKey(code)).sorted()
                    .forEach(code -> downstream.add(link(code, null, down.get(code), "down")));
        }
        JsonObject summary = new JsonObject().put("current", 0).put("lagging", 0).put("down", 0).put("notConnected", 0).put("alarms", 0);
        Stream.concat(Stream.ofNullable(upstream), downstream.stream().map(JsonObject.class::cast))
                .forEach(l -> {
                    String key = "not_connected".equals(l.getString("state")) ? "notConnected" : l.getString("state");
                    summary.put(key, summary.getInteger(key) + 1);
                    if (l.getValue("alarm") != null) {
                        summary.put("alarms", summary.getInteger("alarms") + 1);
                    }
                });
        return new JsonObject().put("node", node.toJson()).put("upstream", upstream).put("downstream", downstream)
                .put("summary", summary);
    }

    /** One link: the peer's state where one is configured, else "not connected". */
    private static JsonObject link(String code, String name, JsonObject peer, String direction) {
        JsonObject out = new JsonObject().put("code", code)
                .put("name", name != null ? name : ReferenceAreas.name(code).orElse(code))
                .put("nameEn", ReferenceAreas.nameEn(code).orElse(null))
                .put("level", NodeLevel.ofCode(code).map(NodeLevel::code).orElse(null)).put("direction", direction);
        if (peer == null) {
            LinkHealth.Health none = LinkHealth.Health.NOT_CONNECTED;
            return out.put("state", none.state().code()).put("everConnected", false).put("up", false).put("alarm", null);
        }
        for (String field : SHOWN) {
            out.put(field, peer.getValue(field));
        }
        return out.put("lastSuccessAt", peer.getString("lastContactAt"));
    }
}

package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.cases.CaseAction;
import cn.haizhu.grid.data.cases.CaseState;
import cn.haizhu.grid.data.cases.CaseWorkflow;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.db.SqlTemplate;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

/**
 * Reading cases, without HTTP: the dispatcher's queue (filtered, paged, by deadline), one case with
 * its history and the caller's next actions, and possible duplicates. Row-level security limits every
 * read to the caller's street or grids. Intake and actions read the case they answer with through here
 * too, on their own transaction.
 */
public final class CaseReads {
    /** The most a queue counts; past it, the answer says {@code totalCapped} (queue_count.sql counts one more). */
    static final int MAX_COUNT = 10_000;
    /** How near another open case of the same category must be to be a possible duplicate (duplicates.sql). */
    static final int DUPLICATE_RADIUS_M = 50;

    /** The parts the queries of whole cases share: the columns, and the queue's filters. */
    private static final Map<String, String> PARTS = Map.of(
            "case_columns", SqlFile.load(CaseReads.class, "case_columns"),
            "queue_filter", SqlFile.load(CaseReads.class, "queue_filter"));
    private static final String CASE = query("case");
    private static final String QUEUE = query("queue");
    private static final String QUEUE_COUNT = query("queue_count");
    private static final String DUPLICATES = query("duplicates");
    private static final String HISTORY = SqlFile.load(CaseReads.class, "history");
    private static final String HISTORY_EVENT = SqlFile.load(CaseReads.class, "history_event");

    /**
     * The queue's filters (null or false: not filtered): states, street, grid, assignee (a grid worker's
     * id), assigned to the caller, overdue only, open only.
     */
    record QueueFilter(String[] states, String street, String grid, Long assignee, boolean mine, boolean overdue,
                       boolean open) {
    }

    private final ScopedPool db;
    private final CaseViews views;

    public CaseReads(ScopedPool db, CaseViews views) {
        this.db = db;
        this.views = views;
    }

    /**
     * A page of the queue and {@code total}, counted up to {@link #MAX_COUNT}: {@code {items, total,
     * totalCapped, limit, offset}}.
     */
    Future<JsonObject> queue(Caller caller, QueueFilter f, int limit, int offset) {
        Object[] filters = {f.states(), f.street(), f.grid(), f.assignee(), f.mine(), caller.userId(), f.overdue(), f.open()};
        Object[] values = Arrays.copyOf(filters, filters.length + 2);
        values[filters.length] = limit;
        values[filters.length + 1] = offset;
        return db.withScope(caller, c -> {
            // both go out at once (the client pipelines them on the connection)
            Future<RowSet<Row>> page = c.preparedQuery(QUEUE).execute(Tuple.from(values));
            Future<RowSet<Row>> count = c.preparedQuery(QUEUE_COUNT).execute(Tuple.from(filters));
            return Future.all(page, count).map(done -> {
                Instant now = Instant.now();
                JsonArray items = new JsonArray();
                for (Row r : page.result()) {
                    items.add(views.caseJson(r, now));
                }
                long total = count.result().iterator().next().getLong("total");
                return new JsonObject().put("items", items).put("total", Math.min(total, MAX_COUNT))
                        .put("totalCapped", total > MAX_COUNT).put("limit", limit).put("offset", offset);
            });
        });
    }

    /** The query of this name, its parts filled in. */
    static String query(String name) {
        return SqlTemplate.fill(SqlFile.load(CaseReads.class, name), PARTS);
    }

    /** The case, its history, the caller's available actions. */
    Future<JsonObject> view(Caller caller, UUID id) {
        return db.withScope(caller, c -> full(c, id, caller));
    }

    /** Open cases of the same category within {@link #DUPLICATE_RADIUS_M}: {@code {items, radiusM}}. */
    Future<JsonObject> duplicatesOf(Caller caller, UUID id) {
        return db.withScope(caller, c -> load(c, id, caller).compose(ignored -> duplicates(c, id)))
                .map(items -> new JsonObject().put("items", items).put("radiusM", DUPLICATE_RADIUS_M));
    }

    /** The case row by id for this caller, or a 404 (also when row-level security hides it). */
    Future<Row> load(SqlConnection c, UUID id, Caller caller) {
        return c.preparedQuery(CASE).execute(Tuple.of(id, caller.userId())).map(rows -> {
            if (rows.size() == 0) {
                throw ApiError.notFound("case " + id + " in your scope");
            }
            return rows.iterator().next();
        });
    }

    /** The full view: the case, its history and what the caller may do next. */
    Future<JsonObject> full(SqlConnection c, UUID id, Caller caller) {
        // both queries go out at once (the client pipelines them on the connection)
        Future<Row> loaded = load(c, id, caller);
        Future<RowSet<Row>> history = c.preparedQuery(HISTORY).execute(Tuple.of(id));
        return Future.all(loaded, history).map(ignored -> {
            Row row = loaded.result();
            RowSet<Row> events = history.result();
            JsonObject out = views.caseJson(row, Instant.now());
            JsonArray historyJson = new JsonArray();
            events.forEach(e -> historyJson.add(CaseViews.eventJson(e)));
            CaseState state = CaseState.of(row.getString("state")).orElseThrow();
            JsonArray actions = new JsonArray();
            for (CaseAction a : CaseWorkflow.availableActions(state, CaseViews.role(caller), CaseViews.facts(row, caller))) {
                actions.add(CaseViews.actionJson(a));
            }
            return out.put("history", historyJson).put("availableActions", actions);
        });
    }

    /** The possible duplicates of a case, nearest first. */
    Future<JsonArray> duplicates(SqlConnection c, UUID id) {
        return c.preparedQuery(DUPLICATES).execute(Tuple.of(id)).map(rows -> {
            Instant now = Instant.now();
            JsonArray items = new JsonArray();
            for (Row r : rows) {
                items.add(views.caseJson(r, now).put("distanceM", Math.round(r.getDouble("distance_m") * 10) / 10.0));
            }
            return items;
        });
    }

    /** One row of the case's history, as the API shows it. */
    Future<JsonObject> event(SqlConnection c, UUID id, int seq) {
        return c.preparedQuery(HISTORY_EVENT).execute(Tuple.of(id, seq))
                .map(rows -> CaseViews.eventJson(rows.iterator().next()));
    }
}

package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.cases.CaseCategory;
import cn.haizhu.grid.data.cases.CaseState;
import cn.haizhu.grid.data.cases.CategoryCatalogue;
import cn.haizhu.grid.data.cases.Department;
import cn.haizhu.grid.data.cases.ExtensionReason;
import cn.haizhu.grid.data.cases.ReturnReason;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Cursor;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reading cases: the dispatcher's queue (filtered, paged, by deadline), one case with its history
 * and the caller's next actions, possible duplicates, and the category catalogue. Row-level
 * security limits every read to the caller's street or grids.
 */
public final class CaseResource {
    private static final Pattern STREET = Pattern.compile("\\d{9}");
    private static final Pattern GRID = Pattern.compile("\\d{14}");
    private static final Pattern ASSIGNEE = Pattern.compile("me|\\d{1,18}");
    private static final Pattern STATES = Pattern.compile("[a-z_]+(,[a-z_]+)*");
    static final String OPEN = "c.state NOT IN ('closed', 'evaluated', 'rejected')";

    /**
     * The queue's filters; $1..$8 of both {@link #LIST} and {@link #COUNT}. The count is of at most
     * {@link #MAX_COUNT} + 1 cases, not of every case that matches: with a million cases of history an
     * unfiltered queue counted them all (count(*) OVER () over the whole set) on every page.
     */
    private static final String FILTER = """
            WHERE ($1::text[] IS NULL OR c.state = ANY ($1))
              AND ($2::text IS NULL OR c.street_code = $2)
              AND ($3::text IS NULL OR c.grid_code = $3)
              AND ($4::bigint IS NULL OR c.assignee_id = $4)
              AND (NOT $5 OR c.assignee_id = (SELECT id FROM grid_worker WHERE user_id = $6))
              AND (NOT $7 OR (c.deadline < now() AND\s""" + OPEN + """
            ))
              AND (NOT $8 OR\s""" + OPEN + """
            )
            """;
    private static final String LIST = "SELECT " + CaseViews.COLUMNS + CaseViews.FROM + FILTER
            + " ORDER BY c.deadline NULLS LAST, c.created_at, c.gid LIMIT $9 OFFSET $10";
    /** The most a list counts; past it, the answer says {@code totalCapped}. */
    static final int MAX_COUNT = 10_000;
    private static final String COUNT = "SELECT count(*) AS total FROM (SELECT 1 FROM civic_case c " + FILTER
            + " LIMIT " + (MAX_COUNT + 1) + ") matching";

    /**
     * Same category, still open, within 50 m (the box is an index filter, the distance is geodesic).
     * The box is made first, in its own CTE: under row-level security only a leakproof condition may
     * drive an index scan, and {@code c.geom && me.box} is one where {@code c.geom && ST_Expand(…)}
     * is not; so the open cases' GiST index (civic_case_open_geom) answers instead of a scan of every
     * open case (measured on 1 M cases: 0.1 ms against 35 ms). The index holds the category too
     * (V16). 0.0005° is at least 50 m both ways at the district's latitude (51 m east–west, 55 m
     * north–south), so the box holds the whole circle and little more.
     */
    private static final String DUPLICATES = "WITH me AS MATERIALIZED (SELECT gid, category_code, geom, ST_Expand(geom, 0.0005) AS box"
            + " FROM civic_case WHERE gid = $1) SELECT " + CaseViews.COLUMNS
            + ", ST_Distance(c.geom::geography, me.geom::geography) AS distance_m"
            + " FROM me JOIN civic_case c ON c.gid <> me.gid AND c.category_code = me.category_code"
            + " AND c.geom && me.box AND ST_DWithin(c.geom::geography, me.geom::geography, 50)"
            + " AND " + OPEN
            + " LEFT JOIN grid_worker w ON w.id = c.assignee_id ORDER BY distance_m, c.created_at LIMIT 20";

    private final ScopedPool db;
    private final CaseViews views;

    public CaseResource(ScopedPool db, CaseViews views) {
        this.db = db;
        this.views = views;
    }

    /**
     * GET /api/v1/cases?state=&street=&grid=&assignee=(id|me)&overdue=&open=&limit=&offset=: a page of the
     * queue, {@code offset} up to {@link Cursor#MAX_OFFSET} (deeper, a filter finds it sooner), and
     * {@code total}, counted up to {@link #MAX_COUNT} ({@code totalCapped} past it).
     */
    public void list(RoutingContext ctx) {
        String states = Params.optional(ctx, "state", STATES, "a comma-separated list of states");
        String[] stateList = null;
        if (states != null) {
            List<String> s = new ArrayList<>();
            for (String code : states.split(",")) {
                if (CaseState.of(code).isEmpty()) {
                    throw ApiError.badRequest("invalid_parameter", "state '" + code + "' is not a case state",
                            new JsonObject().put("parameter", "state"));
                }
                s.add(code);
            }
            stateList = s.toArray(String[]::new);
        }
        String street = Params.optional(ctx, "street", STREET, "a 9-digit street code");
        String grid = Params.optional(ctx, "grid", GRID, "a 14-digit grid code");
        String assignee = Params.optional(ctx, "assignee", ASSIGNEE, "a grid worker id or 'me'");
        boolean overdue = Params.flag(ctx, "overdue");
        boolean open = Params.flag(ctx, "open");
        int limit = Params.intInRange(ctx, "limit", 1, 200, 50);
        int offset = Params.intInRange(ctx, "offset", 0, Cursor.MAX_OFFSET, 0);
        Caller caller = Caller.of(ctx);
        Long worker = assignee == null || assignee.equals("me") ? null : Long.valueOf(assignee);
        Object[] filters = {stateList, street, grid, worker, "me".equals(assignee), caller.userId(), overdue, open};
        Object[] values = java.util.Arrays.copyOf(filters, filters.length + 2);
        values[filters.length] = limit;
        values[filters.length + 1] = offset;
        db.withScope(caller, c -> {
            // both go out at once (the client pipelines them on the connection)
            Future<RowSet<Row>> page = c.preparedQuery(LIST).execute(Tuple.from(values));
            Future<RowSet<Row>> count = c.preparedQuery(COUNT).execute(Tuple.from(filters));
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
        }).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** GET /api/v1/cases/{id}: the case, its history, the caller's available actions. */
    public void get(RoutingContext ctx) {
        UUID id = caseId(ctx);
        Caller caller = Caller.of(ctx);
        db.withScope(caller, c -> views.full(c, id, caller)).onSuccess(ctx::json).onFailure(ctx::fail);
    }

    /** GET /api/v1/cases/{id}/duplicates: open cases of the same category within 50 m. */
    public void duplicatesOf(RoutingContext ctx) {
        UUID id = caseId(ctx);
        Caller caller = Caller.of(ctx);
        db.withScope(caller, c -> CaseViews.load(c, id, caller).compose(ignored -> duplicates(c, id)))
                .onSuccess(items -> ctx.json(new JsonObject().put("items", items).put("radiusM", 50)))
                .onFailure(ctx::fail);
    }

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

    /** GET /api/v1/case-categories: 部件/事件 大类 → 小类 with departments and limits, and the coded reasons. */
    public void categories(RoutingContext ctx) {
        CategoryCatalogue catalogue = views.catalogue();
        JsonArray majors = new JsonArray();
        for (CategoryCatalogue.Major m : catalogue.majors()) {
            JsonArray cs = new JsonArray();
            for (CaseCategory c : m.categories()) {
                cs.add(new JsonObject().put("code", c.code()).put("zh", c.nameZh()).put("en", c.nameEn())
                        .put("department", c.department().code())
                        .put("urgentHours", c.urgentLimit().toMinutes() / 60.0)
                        .put("normalHours", c.normalLimit().toMinutes() / 60.0));
            }
            majors.add(new JsonObject().put("key", m.key()).put("kind", m.kind().prefix()).put("kindZh", m.kind().zh())
                    .put("zh", m.zh()).put("en", m.en()).put("categories", cs));
        }
        JsonArray departments = new JsonArray();
        for (Department d : catalogue.departments()) {
            departments.add(new JsonObject().put("code", d.code()).put("zh", d.zh()).put("en", d.en()));
        }
        ctx.json(new JsonObject().put("majors", majors).put("departments", departments)
                .put("returnReasons", CaseViews.reasonsJson(ReturnReason.values()))
                .put("extensionReasons", CaseViews.reasonsJson(ExtensionReason.values()))
                .put("workingHours", views.calendar().hours().stream().map(p -> p.start() + "-" + p.end()).toList()));
    }

    static UUID caseId(RoutingContext ctx) {
        String raw = ctx.pathParam("id");
        try {
            UUID id = UUID.fromString(raw);
            if (id.toString().equalsIgnoreCase(raw)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiError.badRequest("invalid_parameter", "the case id must be a UUID", new JsonObject().put("parameter", "id"));
    }
}

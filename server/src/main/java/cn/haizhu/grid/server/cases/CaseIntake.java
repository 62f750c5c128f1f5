package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.dispatch.CaseCategory;
import cn.haizhu.grid.data.dispatch.CaseWorkflow;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.UUID;

/**
 * 受理: {@code POST /api/v1/cases}. Routes the point in PostGIS ({@code gridctl_route_case}: grid,
 * community, street, boundary distance, outside-district flag, the grid's least-loaded worker),
 * takes the department from the category, inserts the case in state {@code reported} with its first
 * history row, and answers with the case and the possible duplicates (same category, open, ≤ 50 m).
 *
 * <p>Idempotent on the client's id: the insert is {@code ON CONFLICT DO NOTHING}; when the id exists,
 * the same content answers 200 with that case, other content 409. Two retries racing each other
 * meet on the primary key, so there is never a second case.
 */
public final class CaseIntake {
    /**
     * Route and insert in one statement (the route's LATERAL joins feed the insert directly). A retry
     * of the same id inserts nothing and returns no row.
     */
    private static final String INTAKE = """
            WITH route AS (SELECT * FROM gridctl_route_case($8, $9))
            INSERT INTO civic_case (gid, source, category_code, urgency, title, description, address, geom,
                                    grid_code, community_code, street_code, assignee_id, department_code,
                                    reporter_user_id, reporter_name, near_boundary, boundary_distance_m,
                                    outside_district, intake_hash, event_count, created_at)
            SELECT $1, $2, $3, $4, $5, $6, $7, ST_SetSRID(ST_MakePoint($8, $9), 4326),
                   r.grid_code, r.community_code, r.street_code, r.worker_id, $10, $11, $12,
                   r.near_boundary, r.boundary_distance_m, r.outside_district, $13, 1, now()
            FROM route r
            ON CONFLICT (gid) DO NOTHING
            RETURNING gid""";
    /**
     * The first history row, from the case just inserted. A separate statement because case_event's
     * row-level security looks the case up, and a statement does not see rows it inserts itself.
     * For a retry the row exists already and nothing is written.
     */
    private static final String FIRST_EVENT = """
            INSERT INTO case_event (case_gid, seq, action, from_state, to_state, actor_user_id, actor_username,
                                    actor_role, at, geom, comment, attachment_ids, details)
            SELECT c.gid, 1, 'report', NULL, 'reported', $2, $3, $4, now(), c.geom, c.description, $5,
                   jsonb_build_object('source', c.source, 'category', c.category_code,
                                      'gridCode', c.grid_code, 'assignee', c.assignee_id)
            FROM civic_case c WHERE c.gid = $1
            ON CONFLICT (case_gid, seq) DO NOTHING""";
    private static final String EXISTING = "SELECT intake_hash FROM civic_case WHERE gid = $1";

    private final ScopedPool db;
    private final CaseViews views;
    private final CaseResource reads;

    public CaseIntake(ScopedPool db, CaseViews views, CaseResource reads) {
        this.db = db;
        this.views = views;
        this.reads = reads;
    }

    public void intake(RoutingContext ctx) {
        report(Caller.of(ctx), Body.of(ctx))
                .onSuccess(r -> ctx.response().setStatusCode(r.created() ? 201 : 200)
                        .putHeader("Location", "/api/v1/cases/" + r.view().getString("id"))
                        .putHeader("Content-Type", "application/json; charset=utf-8")
                        .end(r.view().encode()))
                .onFailure(ctx::fail);
    }

    /**
     * A case reported through another door (Open311): the body in the shape {@code POST /api/v1/cases}
     * takes, with the same checks, routing and retry rules.
     */
    public Future<Reported> report(Caller caller, JsonObject body) {
        return report(caller, Body.of(body));
    }

    /** What an intake did: made the case (or found it, for a retry), and the case as the API shows it. */
    public record Reported(boolean created, JsonObject view) {
    }

    private Future<Reported> report(Caller caller, Body body) {
        try {
            CaseWorkflow.canReport(CaseViews.role(caller)).ifPresent(r -> {
                throw CaseActions.refused(r, null, null);
            });
            IntakeRequest req = IntakeRequest.parse(body, views.catalogue());
            UUID id = req.id() != null ? req.id() : UUID.randomUUID();
            String hash = req.hash();
            return db.withScope(caller, c -> intake(c, caller, id, req, hash))
                    .recover(e -> Future.failedFuture(outOfScope(e)));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }


    /**
     * An intake is a handful of small statements whose cost is mostly their round trips, so they go out
     * together, pipelined on the connection: insert, first history row, the case as the API shows it
     * and its possible duplicates. If the insert fails the transaction fails with it. When nothing was
     * inserted the id existed: a retry of the same intake answers that case, other content 409.
     */
    private Future<Reported> intake(SqlConnection c, Caller caller, UUID id, IntakeRequest req, String hash) {
        CaseCategory category = req.category();
        Object[] values = {id, req.source(), category.code(), req.urgency().code(), req.title(), req.description(),
                req.address(), req.location().lon(), req.location().lat(), category.department().code(),
                caller.userId(), caller.displayName(), hash};
        Future<RowSet<Row>> inserted = c.preparedQuery(INTAKE).execute(Tuple.from(values));
        Future<RowSet<Row>> event = c.preparedQuery(FIRST_EVENT).execute(Tuple.of(id, caller.userId(),
                caller.username(), caller.role(), req.attachments().toArray(UUID[]::new)));
        Future<JsonObject> view = views.full(c, id, caller);
        Future<JsonArray> duplicates = reads.duplicates(c, id);
        // the insert's own failure first (an out-of-scope point), not the aborted statements after it
        return inserted.compose(rows -> {
            if (rows.size() == 1) {
                return Future.all(event, view, duplicates).map(ignored ->
                        new Reported(true, view.result().put("duplicates", duplicates.result())));
            }
            return event.compose(ignored -> c.preparedQuery(EXISTING).execute(Tuple.of(id))).compose(existing -> {
                if (existing.size() == 1 && hash.equals(existing.iterator().next().getString("intake_hash"))) {
                    return Future.all(view, duplicates).map(ignored ->
                            new Reported(false, view.result().put("duplicates", duplicates.result())));
                }
                return Future.failedFuture(new ApiError(409, "id_conflict", "案件编号已被另一案件使用 / the id " + id
                        + " belongs to another case: generate a new id for a new case", new JsonObject().put("id", id.toString())));
            });
        });
    }

    /** Row-level security refusing the insert: the point lies outside the caller's street or grids. */
    static Throwable outOfScope(Throwable e) {
        if (e instanceof PgException pg && "42501".equals(pg.getSqlState())) {
            return new ApiError(403, "outside_scope", "案件位置不在您的管辖范围内 / the case lies outside your data scope",
                    new JsonObject().put("zh", "案件位置不在您的管辖范围内").put("en", "the case lies outside your data scope"));
        }
        return e;
    }
}

package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.dispatch.CaseCategory;
import cn.haizhu.grid.data.dispatch.CaseWorkflow;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
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
    private static final String ROUTE = "SELECT * FROM gridctl_route_case($1, $2)";
    private static final String INSERT = """
            INSERT INTO civic_case (gid, source, category_code, urgency, title, description, address, geom,
                                    grid_code, community_code, street_code, assignee_id, department_code,
                                    reporter_user_id, reporter_name, near_boundary, boundary_distance_m,
                                    outside_district, intake_hash, event_count, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, ST_SetSRID(ST_MakePoint($8, $9), 4326),
                    $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, 1, now())
            ON CONFLICT (gid) DO NOTHING
            RETURNING gid""";
    private static final String FIRST_EVENT = """
            INSERT INTO case_event (case_gid, seq, action, from_state, to_state, actor_user_id, actor_username,
                                    actor_role, at, geom, comment, attachment_ids, details)
            VALUES ($1, 1, 'report', NULL, 'reported', $2, $3, $4, now(), ST_SetSRID(ST_MakePoint($5, $6), 4326),
                    $7, $8, $9::text::jsonb)""";
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
            return db.withScope(caller, c -> c.preparedQuery(ROUTE).execute(Tuple.of(req.location().lon(), req.location().lat()))
                            .compose(routed -> insert(c, caller, id, req, hash, routed.iterator().next()))
                            .compose(created -> views.full(c, id, caller)
                                    .compose(view -> reads.duplicates(c, id).map(d -> view.put("duplicates", d)))
                                    .map(view -> new Reported(created, view))))
                    .recover(e -> Future.failedFuture(outOfScope(e)));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }


    /** True if a new case was made, false for a retry of the same intake; 409 for another case under the same id. */
    private Future<Boolean> insert(SqlConnection c, Caller caller, UUID id, IntakeRequest req, String hash, Row route) {
        CaseCategory category = req.category();
        Object[] values = {id, req.source(), category.code(), req.urgency().code(), req.title(), req.description(),
                req.address(), req.location().lon(), req.location().lat(),
                route.getString("grid_code"), route.getString("community_code"), route.getString("street_code"),
                route.getLong("worker_id"), category.department().code(), caller.userId(), caller.displayName(),
                route.getBoolean("near_boundary"), route.getDouble("boundary_distance_m"),
                route.getBoolean("outside_district"), hash};
        return c.preparedQuery(INSERT).execute(Tuple.from(values)).compose(inserted -> {
            if (inserted.size() == 1) {
                JsonObject details = new JsonObject().put("source", req.source()).put("category", category.code())
                        .put("gridCode", route.getString("grid_code")).put("assignee", route.getLong("worker_id"));
                return c.preparedQuery(FIRST_EVENT).execute(Tuple.from(new Object[] {id, caller.userId(),
                                caller.username(), caller.role(), req.location().lon(), req.location().lat(),
                                req.description(), req.attachments().toArray(UUID[]::new), details.encode()}))
                        .map(true);
            }
            return c.preparedQuery(EXISTING).execute(Tuple.of(id)).map(rows -> {
                if (rows.size() == 1 && hash.equals(rows.iterator().next().getString("intake_hash"))) {
                    return false;
                }
                throw new ApiError(409, "id_conflict", "案件编号已被另一案件使用 / the id " + id
                        + " belongs to another case: generate a new id for a new case", new JsonObject().put("id", id.toString()));
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

package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.cases.CaseCategory;
import cn.haizhu.grid.data.cases.CaseWorkflow;
import cn.haizhu.grid.data.cases.WorkingCalendar;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * 受理, without HTTP ({@code POST /api/v1/cases}, and Open311's door). Routes the point in PostGIS
 * ({@code gridctl_route_case}: grid, community, street, boundary distance, outside-district flag, the
 * grid's least-loaded worker), takes the department from the category, inserts the case in state {@code reported} with its first
 * history row, and answers with the case and the possible duplicates (same category, open, ≤ 50 m).
 *
 * <p>Under load, intakes that wait are written several at a time ({@link IntakeQueue}: one
 * transaction, multi-row statements), each still answered as if alone.
 *
 * <p>At a city node, a case whose point lies in one of its districts is a work order for that district
 * (派单, docs/SYNC.md "Work orders between levels"): {@code gridctl_handling_node} names the district, and
 * the order's clock starts at intake with the category's limit, so its deadline (办结时限) goes down with it
 * and holds there. The district handles it; the city's case shows the handling as it comes back up.
 *
 * <p>Idempotent on the client's id: the insert is {@code ON CONFLICT DO NOTHING}; when the id exists,
 * the same content answers 200 with that case, other content 409. Two retries racing each other
 * meet on the primary key, so there is never a second case.
 */
public final class CaseIntake {
    private static final String INTAKE_HASH = SqlFile.load(CaseIntake.class, "intake_hash");
    /** Route and insert, one row per intake (one, or a batch from {@link IntakeQueue}). */
    private static final String INTAKE = SqlFile.load(CaseIntake.class, "intake");
    /** The first history row of each case just inserted. */
    private static final String FIRST_EVENT = SqlFile.load(CaseIntake.class, "first_event");

    private final ScopedPool db;
    private final CaseViews views;
    private final CaseReads reads;
    /** Whether this node sends orders down (a city): then each intake carries the clock its order would start. */
    private final boolean sendsOrdersDown;
    private final IntakeQueue queue = new IntakeQueue(this::writeOne, this::writeMany);
    private final java.util.concurrent.atomic.LongAdder taken = new java.util.concurrent.atomic.LongAdder();

    public CaseIntake(ScopedPool db, CaseViews views, CaseReads reads) {
        this(db, views, reads, false);
    }

    /** @param sendsOrdersDown this node is a city: an intake in one of its districts is that district's order */
    public CaseIntake(ScopedPool db, CaseViews views, CaseReads reads, boolean sendsOrdersDown) {
        this.db = db;
        this.views = views;
        this.reads = reads;
        this.sendsOrdersDown = sendsOrdersDown;
    }

    /**
     * Why {@code url} is no photo reference a case keeps ({@code mediaUrl}: an http(s) link of at most
     * 2,000 characters), or empty: for doors that check it in their own terms first (Open311's media_url).
     */
    public static java.util.Optional<String> mediaUrlProblem(String url) {
        return IntakeRequest.mediaUrlProblem(url);
    }

    /** How intakes were grouped so far (tests, tuning). */
    public IntakeQueue.Stats batching() {
        return queue.stats();
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

    /** Cases this server took in (a retry that found its case counts once), for /metrics. */
    public long taken() {
        return taken.sum();
    }

    /** A case reported with a body in the shape {@code POST /api/v1/cases} takes: checked, routed, written. */
    Future<Reported> report(Caller caller, Body body) {
        try {
            CaseWorkflow.canReport(CaseViews.role(caller)).ifPresent(r -> {
                throw CaseActions.refused(r, null, null);
            });
            IntakeRequest req = IntakeRequest.parse(body, views.catalogue());
            UUID id = req.id() != null ? req.id() : UUID.randomUUID();
            return queue.submit(new IntakeQueue.Pending(caller, id, req, req.hash())).onSuccess(r -> {
                if (r.created()) {
                    taken.increment();
                }
            });
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    private Future<Reported> writeOne(IntakeQueue.Pending p) {
        return db.withScope(p.caller(), c -> intake(c, p))
                .recover(e -> Future.failedFuture(outOfScope(e)));
    }

    /**
     * Several intakes of one scope in one transaction: the insert and the history rows as two
     * statements for all, then each new case as the API shows it and its possible duplicates, all
     * pipelined. Answers the ids it inserted; an id that existed is left to {@link #writeOne}.
     */
    private Future<Map<UUID, Reported>> writeMany(List<IntakeQueue.Pending> batch) {
        Map<UUID, IntakeQueue.Pending> byId = batch.stream().collect(Collectors.toMap(IntakeQueue.Pending::id, p -> p));
        return db.withScope(batch.get(0).caller(), c -> {
            Statements write = statements(batch);
            Future<RowSet<Row>> inserted = c.preparedQuery(INTAKE).execute(write.insert());
            Future<RowSet<Row>> events = c.preparedQuery(FIRST_EVENT).execute(write.firstEvents());
            return inserted.compose(rows -> {
                Map<UUID, Future<JsonObject>> viewOf = new LinkedHashMap<>();
                Map<UUID, Future<JsonArray>> duplicatesOf = new LinkedHashMap<>();
                for (Row row : rows) {
                    UUID id = row.getUUID("gid");
                    viewOf.put(id, reads.full(c, id, byId.get(id).caller()));
                    duplicatesOf.put(id, reads.duplicates(c, id));
                }
                List<Future<?>> all = new ArrayList<>(viewOf.values());
                all.addAll(duplicatesOf.values());
                all.add(events);
                return Future.all(all).map(ignored -> {
                    Map<UUID, Reported> out = new HashMap<>();
                    viewOf.forEach((id, view) -> out.put(id,
                            new Reported(true, view.result().put("duplicates", duplicatesOf.get(id).result()))));
                    return out;
                });
            });
        });
    }

    private Statements statements(List<IntakeQueue.Pending> intakes) {
        return Statements.of(intakes, sendsOrdersDown ? views.calendar() : null);
    }

    /** The parameters of {@link #INTAKE} and {@link #FIRST_EVENT} for some intakes: a column array each. */
    private record Statements(Tuple insert, Tuple firstEvents) {
        /**
         * @param orders the working calendar when intakes here may be orders for a level below: each gets the
         *     clock its order starts (now, the category's limit, the deadline on the calendar), which the
         *     insert keeps only for a case {@code gridctl_handling_node} sends down; null: none
         */
        static Statements of(List<IntakeQueue.Pending> intakes, WorkingCalendar orders) {
            int n = intakes.size();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);   // as the database keeps it
            OffsetDateTime[] started = new OffsetDateTime[n];
            Long[] limits = new Long[n];
            OffsetDateTime[] deadlines = new OffsetDateTime[n];
            UUID[] ids = new UUID[n];
            String[] sources = new String[n];
            String[] categories = new String[n];
            String[] urgencies = new String[n];
            String[] titles = new String[n];
            String[] descriptions = new String[n];
            String[] addresses = new String[n];
            String[] mediaUrls = new String[n];
            Double[] lons = new Double[n];
            Double[] lats = new Double[n];
            String[] departments = new String[n];
            Long[] reporters = new Long[n];
            String[] reporterNames = new String[n];
            String[] hashes = new String[n];
            String[] usernames = new String[n];
            String[] roles = new String[n];
            String[] attachments = new String[n];
            for (int i = 0; i < n; i++) {
                IntakeQueue.Pending p = intakes.get(i);
                IntakeRequest req = p.req();
                CaseCategory category = req.category();
                ids[i] = p.id();
                sources[i] = req.source();
                categories[i] = category.code();
                urgencies[i] = req.urgency().code();
                titles[i] = req.title();
                descriptions[i] = req.description();
                addresses[i] = req.address();
                mediaUrls[i] = req.mediaUrl();
                lons[i] = req.location().lon();
                lats[i] = req.location().lat();
                departments[i] = category.department().code();
                reporters[i] = p.caller().userId();
                reporterNames[i] = p.caller().displayName();
                hashes[i] = p.hash();
                usernames[i] = p.caller().username();
                roles[i] = p.caller().role();
                attachments[i] = req.attachments().stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}"));
                if (orders != null) {
                    Duration limit = category.limit(req.urgency());
                    started[i] = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
                    limits[i] = limit.toSeconds();
                    deadlines[i] = OffsetDateTime.ofInstant(orders.addWorkingTime(now, limit), ZoneOffset.UTC);
                }
            }
            return new Statements(Tuple.from(new Object[] {ids, sources, categories, urgencies, titles, descriptions,
                    addresses, lons, lats, departments, reporters, reporterNames, hashes, started, limits, deadlines, mediaUrls}),
                    Tuple.of(ids, reporters, usernames, roles, attachments));
        }
    }

    /**
     * One intake alone, its statements pipelined on the connection: insert, first history row, the
     * case as the API shows it and its possible duplicates. If the insert fails the transaction fails
     * with it. When nothing was inserted the id existed: a retry of the same intake answers that
     * case, other content 409.
     */
    private Future<Reported> intake(SqlConnection c, IntakeQueue.Pending p) {
        UUID id = p.id();
        Statements write = statements(List.of(p));
        Future<RowSet<Row>> inserted = c.preparedQuery(INTAKE).execute(write.insert());
        Future<RowSet<Row>> event = c.preparedQuery(FIRST_EVENT).execute(write.firstEvents());
        Future<JsonObject> view = reads.full(c, id, p.caller());
        Future<JsonArray> duplicates = reads.duplicates(c, id);
        // the insert's own failure first (an out-of-scope point), not the aborted statements after it
        return inserted.compose(rows -> {
            if (rows.size() == 1) {
                return Future.all(event, view, duplicates).map(ignored ->
                        new Reported(true, view.result().put("duplicates", duplicates.result())));
            }
            return event.compose(ignored -> c.preparedQuery(INTAKE_HASH).execute(Tuple.of(id))).compose(existing -> {
                if (existing.size() == 1 && p.hash().equals(existing.iterator().next().getString("intake_hash"))) {
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

package cn.haizhu.grid.server.open311;

import cn.haizhu.grid.data.cases.CaseCategory;
import cn.haizhu.grid.data.cases.CaseState;
import cn.haizhu.grid.data.cases.CategoryCatalogue;
import cn.haizhu.grid.data.cases.Department;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Service requests as GeoReport v2 shows them, read in the caller's scope: a case is a request, its
 * number the service_request_id, its sixteen states open or closed, and of its history only what
 * {@link PublicHistory} makes public; {@code status_notes} is the latest public reply, {@code media_url}
 * the photo reference the report came with.
 *
 * <p>Two views. A client key's view shows the text as written. The public view (no key,
 * {@code open311.public.reads}) shows the same fields with the ID and phone numbers in the text masked
 * ({@link PublicText}); neither shows who reported or handled the case, nor anything internal, and
 * both show the location as reported.
 */
public final class Open311Requests {
    static final ZoneId ZONE = W3cDates.ZONE;
    /** The states the outside world calls closed. */
    private static final String[] CLOSED = Arrays.stream(CaseState.values()).filter(s -> !s.isOpen())
            .map(CaseState::code).toArray(String[]::new);
    private static final String LIST = SqlFile.load(Open311Requests.class, "requests");
    private static final String ONE = SqlFile.load(Open311Requests.class, "request");
    private static final String NOTES = SqlFile.load(Open311Requests.class, "public_history");

    /**
     * What GET requests asks for: these numbers (then nothing else counts), or else these service
     * codes (null: any), intake from start to end, and open, closed or either (null).
     */
    record Query(String[] numbers, String[] serviceCodes, OffsetDateTime start, OffsetDateTime end, String status) {
    }

    private final ScopedPool db;
    private final CategoryCatalogue catalogue;
    private final Map<String, Department> departments;

    public Open311Requests(ScopedPool db, CategoryCatalogue catalogue) {
        this.db = db;
        this.catalogue = catalogue;
        this.departments = catalogue.departments().stream().collect(Collectors.toMap(Department::code, Function.identity()));
    }

    /** The requests the query finds, the newest first, at most 1,000, without their notes. */
    Future<JsonArray> list(Caller caller, Query q, boolean publicView) {
        Object[] values = {q.numbers(), q.serviceCodes(), q.start(), q.end(), q.status(), CLOSED, PublicHistory.REPLIES};
        return db.withScope(caller, c -> c.preparedQuery(LIST).execute(Tuple.from(values))).map(rows -> {
            JsonArray list = new JsonArray();
            for (Row r : rows) {
                list.add(request(r, null, publicView));
            }
            return list;
        });
    }

    /** One request with its public history ({@code extended_attributes.notes}), or a 404 refusal. */
    Future<JsonObject> one(Caller caller, String number, boolean publicView) {
        return db.withScope(caller, c -> c.preparedQuery(ONE).execute(Tuple.from(new Object[] {number, PublicHistory.REPLIES}))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new Refusal(404, "service_request_id " + number + " not found"));
                    }
                    Row r = rows.iterator().next();
                    return c.preparedQuery(NOTES).execute(Tuple.from(new Object[] {r.getUUID("gid"),
                            PublicHistory.MILESTONES, PublicHistory.REPLIES})).map(notes -> request(r, notes, publicView));
                }));
    }

    /** Whether the caller sees a request of this number. */
    Future<Boolean> exists(Caller caller, String number) {
        return db.withScope(caller, c -> c.preparedQuery(ONE).execute(Tuple.from(new Object[] {number, PublicHistory.REPLIES})))
                .map(rows -> rows.size() > 0);
    }

    private JsonObject request(Row r, Iterable<Row> notes, boolean publicView) {
        java.util.function.UnaryOperator<String> text = publicView ? PublicText::mask : t -> t;
        CaseState state = CaseState.of(r.getString("state")).orElseThrow();
        CaseCategory category = catalogue.byCode(r.getString("category_code")).orElse(null);
        Department dept = departments.get(r.getString("department_code"));
        JsonObject extended = new JsonObject().put("state", state.code()).put("state_zh", state.zh())
                .put("title", text.apply(r.getString("title")));
        if (notes != null) {
            JsonArray history = new JsonArray();
            for (Row n : notes) {
                history.add(new JsonObject().put("action", n.getString("action"))
                        .put("state", n.getString("to_state")).put("datetime", w3c(n.getOffsetDateTime("at")))
                        .put("note", text.apply(n.getString("comment"))));
            }
            extended.put("notes", history);
        }
        return new JsonObject()
                .put("service_request_id", r.getString("case_number"))
                .put("status", state.isOpen() ? "open" : "closed")
                .put("status_notes", text.apply(r.getString("last_reply")))
                .put("service_name", category == null ? r.getString("category_code") : category.nameZh())
                .put("service_code", r.getString("category_code"))
                .put("description", text.apply(r.getString("description")))
                .put("agency_responsible", dept == null ? r.getString("department_code") : dept.zh())
                .putNull("service_notice")
                .put("requested_datetime", w3c(r.getOffsetDateTime("created_at")))
                .put("updated_datetime", w3c(r.getOffsetDateTime("updated_at")))
                .put("expected_datetime", w3c(r.getOffsetDateTime("deadline")))
                .put("address", r.getString("address"))
                .putNull("address_id").putNull("zipcode")
                .put("lat", r.getDouble("lat")).put("long", r.getDouble("lon"))
                .put("media_url", r.getString("media_url"))
                .put("extended_attributes", extended);
    }

    private static String w3c(OffsetDateTime t) {
        return W3cDates.format(t);
    }
}

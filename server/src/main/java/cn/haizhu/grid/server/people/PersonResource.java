package cn.haizhu.grid.server.people;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Cursor;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.regex.Pattern;

/**
 * Persons (实有人口) as the API shows them: ID number and phone masked (6+4, 3+4) and
 * key-population tags withheld, unless the caller asks with {@code unmask=true} and the role holds
 * {@code pii.read}; every such read is written to {@code pii_audit} in the same transaction.
 */
public final class PersonResource {
    private static final Pattern GRID = Pattern.compile("\\d{14}");
    private static final Pattern HOUSE = Pattern.compile("\\d{14,24}");
    private static final String COLUMNS = """
            p.gid, p.name, p.gender, p.birth_date, p.household_type, p.id_number_masked, p.phone_masked, p.tags,
            p.house_code, p.grid_code, p.street_code, p.id_number_enc, p.phone_enc""";
    /** One page in id order, after the cursor's id ($5; 0 for the first page). */
    private static final String LIST = "SELECT p.id, " + COLUMNS + """
             FROM person p
            WHERE ($1::text IS NULL OR p.grid_code = $1) AND ($2::text IS NULL OR p.house_code = $2) AND p.id > $5
            ORDER BY p.id LIMIT $3 OFFSET $4""";
    private static final java.util.Map<String, Pattern> CURSOR = java.util.Map.of("person", Pattern.compile("\\d{1,18}"));
    private static final String LOOKUP = "SELECT " + COLUMNS + " FROM person p WHERE p.id_number_hash = $1";
    private static final String AUDIT = """
            INSERT INTO pii_audit (user_id, username, role, action, subject, row_count, request_path, client_ip)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)""";

    private final ScopedPool db;
    private final PersonalDataCipher cipher;

    public PersonResource(ScopedPool db, PersonalDataCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    /**
     * GET /api/v1/persons?grid=|house=&limit=&cursor=&unmask= (one of grid or house is required): a page
     * in id order and {@code next}, the cursor of the following page (null after a page that is not
     * full). {@code offset} is still taken up to {@link Cursor#MAX_OFFSET}, for clients from before the cursor.
     */
    public void list(RoutingContext ctx) {
        String grid = Params.optional(ctx, "grid", GRID, "a 14-digit grid code");
        String house = Params.optional(ctx, "house", HOUSE, "a house code of 14-24 digits");
        if (grid == null && house == null) {
            throw ApiError.badRequest("missing_parameter", "give grid or house: persons are listed per grid or per house");
        }
        int limit = Params.intInRange(ctx, "limit", 1, 200, 50);
        int offset = Params.intInRange(ctx, "offset", 0, Cursor.MAX_OFFSET, 0);
        String cursor = ctx.queryParams().get("cursor");
        long after = cursor == null || cursor.isEmpty() ? 0 : Long.parseLong(Cursor.parse(cursor, CURSOR)[1]);
        boolean unmask = unmaskAllowed(ctx);
        Caller caller = Caller.of(ctx);
        db.withScope(caller, c -> c.preparedQuery(LIST).execute(Tuple.of(grid, house, limit, offset, after))
                .compose(rows -> audit(c, ctx, unmask, "list person " + (grid != null ? "grid=" + grid : "house=" + house), rows)))
                .onSuccess(rows -> ctx.json(new JsonObject().put("items", items(rows, unmask)).put("masked", !unmask)
                        .put("limit", limit).put("offset", offset).put("next", next(rows, limit))))
                .onFailure(ctx::fail);
    }

    /** The cursor after a full page (the last person's id), or null: a shorter page is the last. */
    private static String next(RowSet<Row> rows, int limit) {
        Long last = null;
        for (Row r : rows) {
            last = r.getLong("id");
        }
        return rows.size() < limit || last == null ? null : Cursor.of("person", Long.toString(last));
    }

    /** GET /api/v1/persons/lookup?id_number= — exact lookup by keyed hash; the number itself is never stored in clear. */
    public void lookup(RoutingContext ctx) {
        String raw = ctx.queryParams().get("id_number");
        if (raw == null || raw.isBlank()) {
            throw ApiError.badRequest("missing_parameter", "id_number is required");
        }
        String id = IdNumber.normalise(raw);
        IdNumber.problem(id).ifPresent(p -> {
            throw ApiError.badRequest("invalid_id_number", "id_number " + IdNumber.mask(id) + ": " + p);
        });
        boolean unmask = unmaskAllowed(ctx);
        db.withScope(Caller.of(ctx), c -> c.preparedQuery(LOOKUP).execute(Tuple.of(Buffer.buffer(cipher.hash(id))))
                .compose(rows -> audit(c, ctx, unmask, "lookup person id_number=" + IdNumber.mask(id), rows)))
                .onSuccess(rows -> {
                    JsonArray items = items(rows, unmask);
                    if (items.isEmpty()) {
                        ctx.fail(ApiError.notFound("person with that ID number in your scope"));
                    } else {
                        ctx.json(items.getJsonObject(0).put("masked", !unmask));
                    }
                }).onFailure(ctx::fail);
    }

    private static boolean unmaskAllowed(RoutingContext ctx) {
        boolean unmask = Params.flag(ctx, "unmask");
        if (unmask && !Caller.of(ctx).can("pii.read")) {
            throw ApiError.forbidden("your role may not read personal data unmasked (needs pii.read)");
        }
        return unmask;
    }

    private static Future<RowSet<Row>> audit(SqlConnection c, RoutingContext ctx, boolean unmask, String subject, RowSet<Row> rows) {
        if (!unmask) {
            return Future.succeededFuture(rows);
        }
        Caller caller = Caller.of(ctx);
        String ip = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        return c.preparedQuery(AUDIT).execute(Tuple.from(new Object[] {caller.userId(), caller.username(), caller.role(),
                        "read_unmasked", subject, rows.size(), ctx.request().path(), ip}))
                .map(ignored -> rows);
    }

    private JsonArray items(RowSet<Row> rows, boolean unmask) {
        JsonArray out = new JsonArray();
        for (Row r : rows) {
            JsonObject p = new JsonObject().put("id", r.getUUID("gid").toString()).put("name", r.getString("name"))
                    .put("gender", r.getString("gender")).put("birthDate", r.getLocalDate("birth_date").toString())
                    .put("householdType", r.getString("household_type"))
                    .put("houseCode", r.getString("house_code")).put("gridCode", r.getString("grid_code"))
                    .put("streetCode", r.getString("street_code"));
            if (unmask) {
                p.put("idNumber", cipher.decrypt(bytes(r, "id_number_enc")));
                Buffer phone = r.getBuffer("phone_enc");
                p.put("phone", phone == null ? null : cipher.decrypt(phone.getBytes()));
                JsonArray tags = new JsonArray();
                for (String t : r.getArrayOfStrings("tags")) {
                    tags.add(t);
                }
                p.put("tags", tags);
            } else {
                p.put("idNumber", r.getString("id_number_masked")).put("phone", r.getString("phone_masked"))
                        .put("tags", null);
            }
            out.add(p);
        }
        return out;
    }

    private static byte[] bytes(Row r, String column) {
        Buffer b = r.getBuffer(column);
        return b == null ? null : b.getBytes();
    }
}

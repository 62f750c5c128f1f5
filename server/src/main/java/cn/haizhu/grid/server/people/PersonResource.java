package cn.haizhu.grid.server.people;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Cursor;
import cn.haizhu.grid.server.http.Params;
import cn.haizhu.grid.server.http.RequestOrigin;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Persons (实有人口) over HTTP: masked by default ({@link PersonView} decides each field), the
 * unmasked view only with {@code unmask=true} for a role holding {@code pii.read} and a stated
 * purpose, every read audited ({@link PersonReads}).
 */
public final class PersonResource {
    private static final Pattern GRID = Pattern.compile("\\d{14}");
    private static final Pattern HOUSE = Pattern.compile("\\d{14,24}");
    private static final java.util.Map<String, Pattern> CURSOR = java.util.Map.of("person", Pattern.compile("\\d{1,18}"));

    private final PersonReads reads;
    private final Supplier<PersonalDataCipher> keys;

    /** @param keys the personal-data key ring as it is now (it changes when the key is rotated) */
    public PersonResource(ScopedPool db, Supplier<PersonalDataCipher> keys) {
        this.reads = new PersonReads(db, keys);
        this.keys = keys;
    }

    /**
     * GET /api/v1/persons?grid=|house=&limit=&cursor=&unmask=&purpose= (one of grid or house is required):
     * a page in id order and {@code next}, the cursor of the following page (null after the last).
     * {@code offset} is still taken up to {@link Cursor#MAX_OFFSET}, for clients from before the cursor.
     */
    public void list(RoutingContext ctx) {
        String grid = Params.optional(ctx, "grid", GRID, "a 14-digit grid code");
        String house = Params.optional(ctx, "house", HOUSE, "a house code of 14-24 digits");
        if (grid == null && house == null) {
            throw ApiError.badRequest("missing_parameter", "give grid or house: persons are listed per grid or per house");
        }
        int limit = Params.intInRange(ctx, "limit", 1, 200, 50);
        int offset = Params.intInRange(ctx, "offset", 0, Cursor.MAX_OFFSET, 0);
        String cursor = Params.text(ctx, "cursor");
        long after = cursor == null || cursor.isEmpty() ? 0 : Long.parseLong(Cursor.parse(cursor, CURSOR)[1]);
        PersonReads.Reader reader = reader(ctx, false);
        reads.list(reader, grid, house, after, offset, limit)
                .onSuccess(page -> ctx.json(new JsonObject().put("items", page.items()).put("masked", !reader.unmasked())
                        .put("limit", limit).put("offset", offset)
                        .put("next", page.next() == null ? null : Cursor.of("person", Long.toString(page.next())))))
                .onFailure(ctx::fail);
    }

    /** GET /api/v1/persons/lookup?id_number=&purpose= — exact lookup by keyed hash, budgeted per user. */
    public void lookup(RoutingContext ctx) {
        String raw = Params.text(ctx, "id_number");
        if (raw == null || raw.isBlank()) {
            throw ApiError.badRequest("missing_parameter", "id_number is required");
        }
        String id = IdNumber.normalise(raw);
        IdNumber.problem(id).ifPresent(p -> {
            throw ApiError.badRequest("invalid_id_number", "id_number " + IdNumber.mask(id) + ": " + p);
        });
        PersonReads.Reader reader = reader(ctx, true);
        reads.lookup(reader, keys.get().hashes(id), IdNumber.mask(id)).onSuccess(person -> {
            if (person == null) {
                ctx.fail(ApiError.notFound("person with that ID number in your scope"));
            } else {
                ctx.json(person.put("masked", !reader.unmasked()));
            }
        }).onFailure(ctx::fail);
    }

    /**
     * Who reads, and why. A purpose (查询事由) is required for an exact lookup and for the unmasked
     * view, and kept in the audit: 2 to 200 characters of text.
     */
    private static PersonReads.Reader reader(RoutingContext ctx, boolean lookup) {
        Caller caller = Caller.of(ctx);
        Disclosure d = Disclosure.asked(caller, Params.flag(ctx, "unmask"), Params.text(ctx, "purpose"), lookup);
        return new PersonReads.Reader(caller, RequestOrigin.of(ctx).clientAddress(), ctx.request().path(), d.purpose(), d.unmasked());
    }
}

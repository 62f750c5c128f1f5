package cn.haizhu.grid.server.search;

import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Cursor;
import cn.haizhu.grid.server.http.Params;
import cn.haizhu.grid.server.http.RequestBudget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The map wall's search box: one query finds streets and communities by name, grids by code or
 * name, enterprises by name or unified social credit code, and houses by address or code, each
 * with a point to fly to and (for areas) the box to fit. Row-level security limits every table to
 * the caller's scope; houses and enterprises only for roles that may read records.
 *
 * <p>Cost is bounded three ways. Addresses and enterprise names are matched as substrings (an
 * officer types "江南大道中 123" or "晓港湾") through trigram indexes (V25), which need a part of three
 * letters or digits: a shorter one finds houses and enterprises by their exact code only, never by
 * reading every address. Each kind is paged by its key (keyset: {@code cursor} from the previous
 * answer's {@code next}, never an offset), {@code limit} at most 20 a page, and an answer says there
 * is more instead of counting it. And each user has a {@link RequestBudget}: past it, 429.
 *
 * <p>Houses and enterprises are found first, at most {@link #MAX_CANDIDATES} of them in no order,
 * then sorted by code for the page. Asked for in code order directly, the planner walks the primary
 * key and filters, expecting the matches spread evenly; the houses of one road sit together in code
 * order (codes start with the street and grid), so a road at the end of the district read nearly all
 * 917k houses. Found unordered, a rare part takes the trigram index and a common one stops after
 * the first matches it reads. Past that many matches, a page holds the first by code among those
 * found (the table's order, close to code order for loaded data): type more of the address. The plan
 * is made for each search's own words ({@code plan_cache_mode = force_custom_plan}): one generic plan
 * would choose between index and scan once, for every word.
 */
public final class SearchResource {
    private static final int MAX_QUERY = 50;
    /** Per kind: enough to choose from, few enough to read at a glance on the wall. */
    private static final int PER_KIND = 6;
    private static final int MAX_PER_KIND = 20;
    /** The trigram indexes answer a part of at least this many letters or digits. */
    static final int MIN_SUBSTRING = 3;
    /** The most houses (enterprises) a search looks at before it sorts them for a page. */
    static final int MAX_CANDIDATES = 5000;
    /** A person typing sends a few searches a second at most; a script walking the addresses, many more. */
    static final int BURST = 20;
    static final double PER_SECOND = 2;
    private static final Set<String> KINDS = Set.of("area", "grid", "enterprise", "house");
    /** What a cursor's key looks like for each kind (it is the last code of the previous page). */
    private static final Map<String, Pattern> KEYS = Map.of("area", Pattern.compile("\\d{9}|\\d{12}"),
            "grid", Pattern.compile("\\d{14}"), "enterprise", Pattern.compile("[0-9A-Z]{18}"), "house", Pattern.compile("\\d{14,24}"));

    // $1: the LIKE pattern (%q%, wildcards escaped), $2: q itself, $3: houses and enterprises too,
    // $4: q upper-cased (credit codes are written in capitals), $5: rows per kind (one more than a page),
    // $6: the prefix pattern (q%), $7: the one kind asked for ('' = all), $8: the cursor's key ('' = first page),
    // $9: q is long enough for a substring search of the big tables, $10: MAX_CANDIDATES.
    private static final String SQL = """
            SELECT * FROM (
            (SELECT 'area' AS kind, a.level AS sub_kind, a.code, a.name, NULL::text AS detail,
                    ST_X(ST_PointOnSurface(a.geom)) AS lon, ST_Y(ST_PointOnSurface(a.geom)) AS lat,
                    ST_XMin(a.geom) AS w, ST_YMin(a.geom) AS s, ST_XMax(a.geom) AS e, ST_YMax(a.geom) AS n, 0 AS rank
             FROM admin_area a
             WHERE $7 IN ('', 'area') AND a.level IN ('street', 'community') AND a.name LIKE $1
               AND (length(a.code), a.code) > (length($8), $8)
             ORDER BY length(a.code), a.code LIMIT $5)
            UNION ALL
            (SELECT 'grid', NULL, g.code, g.name, g.street_code,
                    ST_X(ST_PointOnSurface(g.geom)), ST_Y(ST_PointOnSurface(g.geom)),
                    ST_XMin(g.geom), ST_YMin(g.geom), ST_XMax(g.geom), ST_YMax(g.geom), 1
             FROM grid g
             WHERE $7 IN ('', 'grid') AND (g.code LIKE $6 OR g.name LIKE $1) AND g.code > $8
             ORDER BY g.code LIMIT $5)
            UNION ALL
            (SELECT 'enterprise', e.industry, e.credit_code, e.name, e.address,
                    ST_X(e.geom), ST_Y(e.geom), NULL, NULL, NULL, NULL, 2
             FROM (SELECT * FROM enterprise e
                   WHERE $3 AND $7 IN ('', 'enterprise') AND (e.credit_code = $4 OR ($9 AND e.name LIKE $1))
                     AND e.credit_code > $8
                   LIMIT $10) e
             ORDER BY e.credit_code LIMIT $5)
            UNION ALL
            (SELECT 'house', h.use, h.code, h.address, h.grid_code,
                    ST_X(h.geom), ST_Y(h.geom), NULL, NULL, NULL, NULL, 3
             FROM (SELECT * FROM house h
                   WHERE $3 AND $7 IN ('', 'house') AND (h.code = $2 OR ($9 AND h.address LIKE $1)) AND h.code > $8
                   LIMIT $10) h
             ORDER BY h.code LIMIT $5)
            ) found
            ORDER BY rank, CASE WHEN rank = 0 THEN length(code) END, code""";

    private final ScopedPool db;
    private final RequestBudget budget = new RequestBudget("search", BURST, PER_SECOND);

    public SearchResource(ScopedPool db) {
        this.db = db;
    }

    /** GET /api/v1/search?q=&limit=&kind=&cursor= */
    public void search(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        budget.charge(ctx, caller.userId());
        String q = ctx.queryParams().get("q");
        q = q == null ? "" : q.strip();
        if (q.isEmpty() || q.codePointCount(0, q.length()) > MAX_QUERY || q.chars().anyMatch(Character::isISOControl)) {
            throw ApiError.badRequest("invalid_parameter", "q must be 1 to " + MAX_QUERY + " characters, no control characters",
                    new JsonObject().put("parameter", "q"));
        }
        int limit = Params.intInRange(ctx, "limit", 1, MAX_PER_KIND, PER_KIND);
        String kind = Params.oneOf(ctx, "kind", KINDS, "");
        String after = "";
        String cursor = ctx.queryParams().get("cursor");
        if (cursor != null && !cursor.isEmpty()) {
            String[] c = Cursor.parse(cursor, KEYS);
            if (!kind.isEmpty() && !kind.equals(c[0])) {
                throw ApiError.badRequest("invalid_parameter", "the cursor is for kind " + c[0] + ", not " + kind,
                        new JsonObject().put("parameter", "cursor"));
            }
            kind = c[0];
            after = c[1];
        }
        boolean substring = q.codePoints().filter(Character::isLetterOrDigit).count() >= MIN_SUBSTRING;
        Tuple args = Tuple.from(new Object[] {"%" + likeEscaped(q) + "%", q, caller.can("records.read"), q.toUpperCase(),
                limit + 1, likeEscaped(q) + "%", kind, after, substring, MAX_CANDIDATES});
        String query = q;
        db.withScope(caller, c -> c.query("SET LOCAL plan_cache_mode = force_custom_plan").execute()
                        .compose(v -> c.preparedQuery(SQL).execute(args)))
                .onSuccess(rows -> {
                    JsonArray items = new JsonArray();
                    Map<String, Integer> perKind = new HashMap<>();
                    Map<String, String> lastCode = new HashMap<>();
                    JsonObject next = new JsonObject();
                    for (Row r : rows) {
                        String k = r.getString("kind");
                        if (perKind.merge(k, 1, Integer::sum) > limit) {
                            next.put(k, Cursor.of(k, lastCode.get(k)));   // one row more than a page: there is more
                            continue;
                        }
                        lastCode.put(k, r.getString("code"));
                        items.add(item(r));
                    }
                    ctx.json(new JsonObject().put("q", query).put("items", items).put("next", next));
                })
                .onFailure(ctx::fail);
    }

    private static JsonObject item(Row r) {
        String kind = r.getString("kind");
        JsonObject item = new JsonObject().put("kind", "area".equals(kind) ? r.getString("sub_kind") : kind)
                .put("code", r.getString("code")).put("name", r.getString("name"))
                .put("lon", r.getDouble("lon")).put("lat", r.getDouble("lat"));
        switch (kind) {
            case "grid" -> item.put("streetCode", r.getString("detail"));
            case "enterprise" -> item.put("industry", r.getString("sub_kind")).put("address", r.getString("detail"));
            case "house" -> item.put("use", r.getString("sub_kind")).put("gridCode", r.getString("detail"));
            default -> { }
        }
        if (r.getDouble("w") != null) {
            item.put("bbox", new JsonArray().add(r.getDouble("w")).add(r.getDouble("s")).add(r.getDouble("e")).add(r.getDouble("n")));
        }
        return item;
    }

    /** q as a literal inside LIKE: its own % and _ (and the escape character) match only themselves. */
    static String likeEscaped(String q) {
        return q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}

package cn.haizhu.grid.server.search;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.Cursor;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;

/**
 * The search behind the map wall's search box, without HTTP: one query finds streets and communities
 * by name, grids by code or name, enterprises by name or unified social credit code, and houses by
 * address or code, each with a point to fly to and (for areas) the box to fit. Row-level security
 * limits every table to the caller's scope; houses and enterprises only for roles that may read records.
 *
 * <p>Addresses and enterprise names are matched as substrings (an officer types "江南大道中 123" or
 * "晓港湾") through trigram indexes (V25), which need a part of {@link #MIN_SUBSTRING} letters or
 * digits: a shorter one finds houses and enterprises by their exact code only, never by reading every
 * address. Each kind is paged by its key (keyset, never an offset), and an answer says there is more
 * instead of counting it.
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
public final class PlaceSearch {
    /** The trigram indexes answer a part of at least this many letters or digits. */
    static final int MIN_SUBSTRING = 3;
    /** The most houses (enterprises) a search looks at before it sorts them for a page. */
    static final int MAX_CANDIDATES = 5000;

    private static final String CUSTOM_PLANS = SqlFile.load(PlaceSearch.class, "custom_plans");
    private static final String FIND = SqlFile.load(PlaceSearch.class, "find");

    private final ScopedPool db;

    public PlaceSearch(ScopedPool db) {
        this.db = db;
    }

    /**
     * A page of what {@code q} finds: {@code {q, items, next}}, {@code next} holding a cursor for each
     * kind that has more.
     *
     * @param kind  the one kind to search ("" for all)
     * @param after the last code of the previous page of that kind ("" for the first page)
     */
    Future<JsonObject> find(Caller caller, String q, int limit, String kind, String after) {
        boolean substring = q.codePoints().filter(Character::isLetterOrDigit).count() >= MIN_SUBSTRING;
        Tuple args = Tuple.from(new Object[] {"%" + likeEscaped(q) + "%", q, caller.can("records.read"), q.toUpperCase(),
                limit + 1, likeEscaped(q) + "%", kind, after, substring, MAX_CANDIDATES});
        return db.withScope(caller, c -> c.query(CUSTOM_PLANS).execute()
                        .compose(v -> c.preparedQuery(FIND).execute(args)))
                .map(rows -> {
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
                    return new JsonObject().put("q", q).put("items", items).put("next", next);
                });
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

package cn.haizhu.grid.server.stats;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.sync.NodeLevel;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

/**
 * District totals and the same per street, in the caller's scope, summed from the per-grid counts;
 * at a city node per district as well, and the totals summed over the districts (a district whose
 * records have not come by sync yet counts zero).
 */
public final class DistrictStats {
    private static final String PER_STREET = SqlFile.load(DistrictStats.class, "per_street");
    private static final String PER_DISTRICT = SqlFile.load(DistrictStats.class, "per_district");
    private static final String DISTRICT = SqlFile.load(DistrictStats.class, "district");
    private static final String CITY = SqlFile.load(DistrictStats.class, "city");
    private static final String[] COUNTS = {"grids", "houses", "persons", "enterprises"};

    private final ScopedPool db;
    private final NodeLevel level;

    /** @param level this node's level: a city counts per district, the others per street */
    public DistrictStats(ScopedPool db, NodeLevel level) {
        this.db = db;
        this.level = level;
    }

    /**
     * {@code {district, scope, totals, streets}}: the caller's district (at a city: the city), their
     * scope, the sums and each street; at a city also {@code districts}, each with its counts, and
     * {@code totals.districts}.
     */
    Future<JsonObject> of(Caller caller) {
        boolean city = level == NodeLevel.CITY;
        return db.withScope(caller, c -> c.query(city ? CITY : DISTRICT).execute()
                .compose(d -> c.query(PER_STREET).execute()
                        .compose(streets -> (city ? c.query(PER_DISTRICT).execute() : Future.<RowSet<Row>>succeededFuture(null))
                                .map(districts -> {
                                    JsonArray perStreet = rows(streets, "communities");
                                    JsonObject totals = sum(perStreet, "communities").put("streets", perStreet.size());
                                    Row root = d.iterator().hasNext() ? d.iterator().next() : null;
                                    JsonObject out = new JsonObject()
                                            .put("district", root == null ? null
                                                    : new JsonObject().put("code", root.getString("code")).put("name", root.getString("name")))
                                            .put("scope", new JsonObject().put("kind", caller.scope().kind())
                                                    .put("code", caller.scope().code()))
                                            .put("totals", totals)
                                            .put("streets", perStreet);
                                    if (districts != null) {
                                        JsonArray perDistrict = rows(districts, "streets", "communities");
                                        out.put("districts", perDistrict)
                                                .put("totals", sum(perDistrict, "streets", "communities").put("districts", perDistrict.size()));
                                    }
                                    return out;
                                }))));
    }

    /** Each row as {code, name, grids, houses, persons, enterprises, …extra}. */
    private static JsonArray rows(RowSet<Row> rows, String... extra) {
        JsonArray out = new JsonArray();
        for (Row r : rows) {
            JsonObject o = new JsonObject().put("code", r.getString("code")).put("name", r.getString("name"));
            for (String key : extra) {
                o.put(key, r.getLong(key));
            }
            for (String key : COUNTS) {
                o.put(key, r.getLong(key));
            }
            out.add(o);
        }
        return out;
    }

    /** The sums of the counts (and the extra columns) over rows. */
    private static JsonObject sum(JsonArray rows, String... extra) {
        JsonObject totals = new JsonObject();
        for (String key : java.util.stream.Stream.concat(java.util.Arrays.stream(extra), java.util.Arrays.stream(COUNTS)).toList()) {
            long n = 0;
            for (int i = 0; i < rows.size(); i++) {
                n += rows.getJsonObject(i).getLong(key);
            }
            totals.put(key, n);
        }
        return totals;
    }
}

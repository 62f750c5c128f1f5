package cn.haizhu.grid.server.stats;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** District totals and the same per street, in the caller's scope, summed from the per-grid counts. */
public final class DistrictStats {
    private static final String PER_STREET = SqlFile.load(DistrictStats.class, "per_street");
    private static final String DISTRICT = SqlFile.load(DistrictStats.class, "district");

    private final ScopedPool db;

    public DistrictStats(ScopedPool db) {
        this.db = db;
    }

    /** {@code {district, scope, totals, streets}}: the caller's district, their scope, the sums and each street. */
    Future<JsonObject> of(Caller caller) {
        return db.withScope(caller, c -> c.query(DISTRICT).execute()
                .compose(d -> c.query(PER_STREET).execute().map(streets -> {
                    JsonArray perStreet = new JsonArray();
                    long grids = 0, houses = 0, persons = 0, enterprises = 0, communities = 0;
                    for (Row r : streets) {
                        JsonObject s = new JsonObject().put("code", r.getString("code")).put("name", r.getString("name"))
                                .put("communities", r.getLong("communities"))
                                .put("grids", r.getLong("grids")).put("houses", r.getLong("houses"))
                                .put("persons", r.getLong("persons")).put("enterprises", r.getLong("enterprises"));
                        perStreet.add(s);
                        grids += r.getLong("grids");
                        houses += r.getLong("houses");
                        persons += r.getLong("persons");
                        enterprises += r.getLong("enterprises");
                        communities += r.getLong("communities");
                    }
                    Row district = d.iterator().hasNext() ? d.iterator().next() : null;
                    return new JsonObject()
                            .put("district", district == null ? null
                                    : new JsonObject().put("code", district.getString("code")).put("name", district.getString("name")))
                            .put("scope", new JsonObject().put("kind", caller.scope().kind())
                                    .put("code", caller.scope().code()))
                            .put("totals", new JsonObject().put("streets", perStreet.size()).put("communities", communities)
                                    .put("grids", grids).put("houses", houses).put("persons", persons)
                                    .put("enterprises", enterprises))
                            .put("streets", perStreet);
                })));
    }
}

package cn.haizhu.grid.server.open311;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Locale;
import java.util.Optional;

/**
 * The jurisdiction this Open311 door serves: this node's own area (the district, at a district node).
 * A client names it with {@code jurisdiction_id}, which GeoReport lets a server that serves one
 * jurisdiction ignore, but a client that names another one is talking to the wrong server: refused,
 * saying which it is. A reported point must lie in its outline (admin_area): a point in another city
 * would otherwise be filed and routed to a department here.
 */
final class Jurisdiction {
    private static final String OUTLINE = SqlFile.load(Jurisdiction.class, "jurisdiction");

    private final String code;
    private final ScopedPool db;

    Jurisdiction(String code, ScopedPool db) {
        this.code = code;
        this.db = db;
    }

    String code() {
        return code;
    }

    /**
     * Why {@code given} is not this server's jurisdiction_id, or empty when it is: absent or blank (one
     * jurisdiction here), this node's admin code, or the host name the client reached this server by
     * (GeoReport's examples use the city's domain). Compared without case and surrounding spaces.
     */
    static Optional<String> idProblem(String given, String code, String host) {
        if (given == null || given.isBlank()) {
            return Optional.empty();
        }
        String id = given.strip().toLowerCase(Locale.ROOT);
        if (id.equals(code) || host != null && id.equals(host.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return Optional.of("jurisdiction_id " + given.strip() + " is not served here: this server serves jurisdiction_id "
                + code + (host == null ? "" : " (or " + host + ")"));
    }

    /**
     * Succeeds when the point lies in this node's outline (or no outline is loaded yet, and so nothing
     * to route to either: the intake's own outside-district flag stays), else fails with GeoReport's 400
     * naming the area and how far outside the point is.
     */
    Future<Void> contains(Caller caller, double lon, double lat) {
        return db.withScope(caller, c -> c.preparedQuery(OUTLINE).execute(Tuple.of(lon, lat, code))).compose(rows -> {
            if (rows.size() == 0) {
                return Future.succeededFuture();
            }
            Row r = rows.iterator().next();
            if (r.getBoolean("inside")) {
                return Future.succeededFuture();
            }
            return Future.failedFuture(new Refusal(400, outside(lon, lat, r.getString("name"), code, r.getDouble("distance_m"))));
        });
    }

    /** The description of a point outside the jurisdiction. */
    static String outside(double lon, double lat, String name, String code, double distanceM) {
        String far = distanceM >= 10_000 ? String.format(Locale.ROOT, "%,.0f km", distanceM / 1000)
                : String.format(Locale.ROOT, "%,.0f m", distanceM);
        return String.format(Locale.ROOT, "the location (lat %s, long %s) lies outside this jurisdiction, %s (%s), "
                + "about %s from its boundary: 位置不在本辖区内, this server takes reports inside %s only",
                lat, lon, name, code, far, name);
    }
}

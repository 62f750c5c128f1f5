package cn.haizhu.grid.server.search;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A written address to a point, against the district's own standard addresses (the houses' addresses,
 * and so their roads) and then its streets and communities by name; no outside geocoder (the command
 * center has no internet, and its own addresses are the standard). Used by Open311 for a report that
 * gives {@code address_string} without {@code lat}/{@code long}.
 *
 * <p>{@link AddressQuery} makes the parts to look for, the most precise first; each is one lookup by
 * the trigram index on {@code house.address} (V25), which reads only the matching houses, and at most
 * {@link #MAX_HOUSES} of them: a road of thousands of houses costs what a plot does. The first part
 * that matches anything answers. Row-level security keeps the lookups to the caller's scope.
 */
public final class AddressGeocoder {
    /** The most houses a part looks at to place itself (a road's middle among them). */
    static final int MAX_HOUSES = PlaceSearch.MAX_CANDIDATES;

    private static final String CUSTOM_PLANS = SqlFile.load(AddressGeocoder.class, "custom_plans");
    private static final String HOUSE = SqlFile.load(AddressGeocoder.class, "geocode_house");
    private static final String AREA = SqlFile.load(AddressGeocoder.class, "geocode_area");

    /** How precisely a point was found. */
    public enum Precision {
        /** a house, building, plot or lane of the standard addresses */
        ADDRESS,
        /** a road, placed at a house on it near its middle */
        ROAD,
        /** a street or community, placed on its surface */
        AREA
    }

    /**
     * Where the address was found: the point, what of the address matched, how precisely, and the
     * standard address (or the area's name) at the point.
     */
    public record Located(double lon, double lat, String matched, Precision precision, String place) {
    }

    private final ScopedPool db;

    public AddressGeocoder(ScopedPool db) {
        this.db = db;
    }

    /** The point of {@code written}, or empty when nothing of it matches a standard address, road or area. */
    public Future<Optional<Located>> locate(Caller caller, String written) {
        AddressQuery q = AddressQuery.of(written);
        if (q.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
        }
        List<Lookup> lookups = new ArrayList<>();
        q.parts().forEach(p -> lookups.add(new Lookup(p, Precision.ADDRESS)));
        q.roads().forEach(r -> lookups.add(new Lookup(r, Precision.ROAD)));
        return db.withScope(caller, c -> c.query(CUSTOM_PLANS).execute()
                .compose(v -> first(c, lookups, 0))
                .compose(found -> found.isPresent() ? Future.succeededFuture(found) : area(c, q.text())));
    }

    private record Lookup(String part, Precision precision) {
    }

    /** The lookups in order, one at a time, until one finds houses. */
    private static Future<Optional<Located>> first(SqlConnection c, List<Lookup> lookups, int i) {
        if (i == lookups.size()) {
            return Future.succeededFuture(Optional.empty());
        }
        Lookup l = lookups.get(i);
        return c.preparedQuery(HOUSE).execute(Tuple.of("%" + PlaceSearch.likeEscaped(l.part()) + "%", MAX_HOUSES))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return first(c, lookups, i + 1);
                    }
                    Row r = rows.iterator().next();
                    return Future.succeededFuture(Optional.of(new Located(r.getDouble("lon"), r.getDouble("lat"), l.part(),
                            l.precision(), r.getString("address"))));
                });
    }

    private static Future<Optional<Located>> area(SqlConnection c, String text) {
        return c.preparedQuery(AREA).execute(Tuple.of(text, "%" + PlaceSearch.likeEscaped(text) + "%")).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row r = rows.iterator().next();
            return Optional.of(new Located(r.getDouble("lon"), r.getDouble("lat"), r.getString("name"), Precision.AREA,
                    r.getString("name")));
        });
    }
}

package cn.haizhu.grid.server.features;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.auth.ScopedPool;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The features of a collection, read in the caller's scope ({@link ScopedPool}: row-level security
 * decides which records exist for them, as for every other read). PostgreSQL builds each feature's
 * GeoJSON ({@code items.sql}); this class joins a page of them, bounded by {@link ItemsQuery#MAX_LIMIT}.
 * Serial plans: a page is one index scan, which a parallel plan only slows down on two cores.
 */
public final class FeatureQueries {
    private static final String EXTENT = SqlFile.load(FeatureQueries.class, "extent");
    private static final String CUSTOM_PLANS = SqlFile.load(FeatureQueries.class, "custom_plans");

    private final ScopedPool db;

    public FeatureQueries(ScopedPool db) {
        this.db = db;
    }

    /**
     * A page of features in key order.
     *
     * @param features the features' GeoJSON texts, in key order
     * @param first    the first feature's id (null for an empty page)
     * @param last     the last feature's id
     * @param more     whether the scan found more beyond the page in its direction
     */
    public record Page(List<String> features, String first, String last, boolean more) {
        /** The features as the JSON array's elements: {@code f1,f2,…}. */
        public Buffer joined() {
            Buffer b = Buffer.buffer(features.size() * 400);
            for (int i = 0; i < features.size(); i++) {
                if (i > 0) {
                    b.appendByte((byte) ',');
                }
                b.appendString(features.get(i));
            }
            return b;
        }
    }

    public Future<Page> page(Caller caller, ItemsQuery q) {
        requireReader(caller, q.collection());
        ItemsSql sql = ItemsSql.page(q);
        boolean selective = q.bbox() != null || q.filter() != null || q.from() != null || q.to() != null;
        return db.withSerialScope(caller, c -> (selective ? c.query(CUSTOM_PLANS).execute().<Void>mapEmpty() : Future.<Void>succeededFuture())
                        .compose(v -> c.preparedQuery(sql.sql()).execute(Tuple.from(sql.params()))))
                .map(rows -> page(rows, q.limit(), q.before() != null));
    }

    /** One feature's GeoJSON, or a 404 (one outside the caller's scope does not exist for them). */
    public Future<String> one(Caller caller, FeatureCollection collection, String id, Crs crs) {
        requireReader(caller, collection);
        ItemsSql sql = ItemsSql.one(collection, id, crs);
        return db.withSerialScope(caller, c -> c.preparedQuery(sql.sql()).execute(Tuple.from(sql.params()))).map(rows -> {
            if (rows.size() == 0) {
                throw ApiError.notFound(collection.id() + " feature " + id);
            }
            return rows.iterator().next().getString("feature");
        });
    }

    /**
     * The caller's extent: [west, south, east, north] in CRS84 of the streets they see (null when none),
     * and the first and last reported case they see (null when none).
     */
    public record Extent(double[] bbox, OffsetDateTime firstCase, OffsetDateTime lastCase) {
    }

    public Future<Extent> extent(Caller caller) {
        return db.withScope(caller, c -> c.query(EXTENT).execute()).map(rows -> {
            Row r = rows.iterator().next();
            double[] box = r.getDouble("w") == null ? null
                    : new double[] {r.getDouble("w"), r.getDouble("s"), r.getDouble("e"), r.getDouble("n")};
            return new Extent(box, r.getOffsetDateTime("first_case"), r.getOffsetDateTime("last_case"));
        });
    }

    /** Whether the caller's role reads this collection's records (the same permission as the API's reads of them). */
    public static boolean readable(Caller caller, FeatureCollection collection) {
        return caller.can(collection.permission());
    }

    private static void requireReader(Caller caller, FeatureCollection collection) {
        if (!readable(caller, collection)) {
            throw ApiError.forbidden("collection " + collection.id() + " needs " + collection.permission());
        }
    }

    private static Page page(RowSet<Row> rows, int limit, boolean backwards) {
        List<String> features = new ArrayList<>(Math.min(rows.size(), limit));
        List<String> ids = new ArrayList<>(features.size());
        for (Row r : rows) {
            if (features.size() == limit) {
                break;
            }
            ids.add(r.getString("id"));
            features.add(r.getString("feature"));
        }
        if (backwards) {
            Collections.reverse(ids);
            Collections.reverse(features);
        }
        boolean more = rows.size() > limit;
        return ids.isEmpty() ? new Page(features, null, null, more)
                : new Page(features, ids.get(0), ids.get(ids.size() - 1), more);
    }
}

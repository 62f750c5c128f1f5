package cn.haizhu.grid.server.tiles;

import cn.haizhu.grid.data.db.SqlFile;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the boxes where tile data changed ({@code tile_dirty}, filled by triggers, V5__tiles.sql).
 *
 * <p>The cursor is a transaction-id fence, not a row id: a batch holds the rows of transactions
 * from {@code since} up to the snapshot's xmin, i.e. transactions that can no longer commit, and
 * the next cursor is that xmin. A change committed out of order therefore always lands in a later
 * batch (the same reasoning as the change log's reader). A long open transaction holds the fence
 * back; nothing is lost, only later.
 */
public final class TileChanges {
    /** More rows than this in one batch: the reader is told to reload everything instead. */
    static final int MAX_ROWS = 5000;

    private static final String FENCE = SqlFile.load(TileChanges.class, "change_fence");
    /** Every change (the server's own eviction loop runs as the owner, without a data scope). */
    private static final String READ_ALL = SqlFile.load(TileChanges.class, "changes");
    /** The changes a caller may hear of: those of rows in their scope, and the district outline. */
    private static final String READ_SCOPED = SqlFile.load(TileChanges.class, "changes_in_scope");

    public record Change(String layer, TileCoord.Box box, OffsetDateTime at) {
    }

    /** Changes from the cursor up to {@code next}; {@code complete} false means some were left out. */
    public record Batch(List<Change> changes, long next, boolean complete) {
    }

    private TileChanges() {
    }

    public static Future<Long> fence(SqlClient c) {
        return c.query(FENCE).execute().map(rows -> Long.parseLong(rows.iterator().next().getString(0)));
    }

    public static Future<Batch> readAll(SqlClient c, long since) {
        return read(c, READ_ALL, since);
    }

    public static Future<Batch> readScoped(SqlClient c, long since) {
        return read(c, READ_SCOPED, since);
    }

    private static Future<Batch> read(SqlClient c, String sql, long since) {
        return c.preparedQuery(sql).execute(Tuple.of(Long.toString(since), MAX_ROWS + 1)).map(rows -> {
            List<Change> changes = new ArrayList<>();
            long next = since;
            for (Row r : rows) {
                next = Long.parseLong(r.getString("fence"));
                if (r.getString("layer") != null) {
                    changes.add(new Change(r.getString("layer"), new TileCoord.Box(r.getDouble("min_x"),
                            r.getDouble("min_y"), r.getDouble("max_x"), r.getDouble("max_y")),
                            r.getOffsetDateTime("at")));
                }
            }
            boolean complete = changes.size() <= MAX_ROWS;
            return new Batch(complete ? changes : changes.subList(0, MAX_ROWS), next, complete);
        });
    }
}

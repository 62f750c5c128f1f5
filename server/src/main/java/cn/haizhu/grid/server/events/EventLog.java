package cn.haizhu.grid.server.events;

import cn.haizhu.grid.data.db.SqlFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log (V46__events_log.sql) as the event streams read it. Every event has an id given by
 * the database in commit order, the same on every server instance (a hole only where a commit failed
 * after taking its ids); the log keeps the events of the last {@link #KEEP} (at most about {@link
 * #MAX_KEPT}, and always the last transaction's). A stream that reconnects with
 * {@code Last-Event-ID}, to this instance or another, or that finds an id missing from what it heard,
 * reads what it missed here ({@link #after}); one further behind than the log reaches is told to
 * reload instead ({@code stream.reset}).
 *
 * <p>Read as the owner: the log holds every street's events, and each stream filters what it replays
 * exactly as it filters live events ({@link EventVisibility}). Every instance prunes the log every
 * {@link #PRUNE_MS}; one at a time does the work (an advisory lock in {@code gridctl_events_prune}).
 */
public final class EventLog implements AutoCloseable {
    /** How long events are kept for reconnecting streams: a wall or desk away longer reloads its lists. */
    static final Duration KEEP = Duration.ofMinutes(5);
    /** At most this many events are kept, whatever their age (5 min of a very busy district: ~330 a second). */
    static final long MAX_KEPT = 100_000;
    static final long PRUNE_MS = 30_000;
    /** A stream missing more events than this is told to reload rather than sent them all. */
    static final int MAX_REPLAY = 10_000;

    private static final String AFTER = SqlFile.load(EventLog.class, "events_after");
    private static final String LAST = SqlFile.load(EventLog.class, "last_event");
    private static final String PRUNE = SqlFile.load(EventLog.class, "prune_events");
    private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

    private final Vertx vertx;
    private final Pool pool;
    private final long timer;

    private EventLog(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
        this.timer = vertx.setPeriodic(PRUNE_MS, id -> prune());
    }

    /** @param pool the owner's pool of the server's own work */
    public static EventLog start(Vertx vertx, Pool pool) {
        return new EventLog(vertx, pool);
    }

    /**
     * What a stream missed after {@code lastSeen}: the events in id order, and the last id given out.
     * Not {@code complete} when the log cannot say (events pruned since, more than {@link #MAX_REPLAY},
     * or an id this database never gave): then the stream starts afresh from {@code lastId}.
     */
    public record Missed(List<JsonObject> events, long lastId, boolean complete) {
    }

    public Future<Missed> after(long lastSeen) {
        return pool.preparedQuery(AFTER).execute(Tuple.of(lastSeen, MAX_REPLAY + 1)).map(rows -> {
            List<JsonObject> events = new ArrayList<>();
            long last = 0;
            Long oldest = null;
            for (Row r : rows) {
                last = r.getLong("last_id");
                oldest = r.getLong("oldest");
                if (r.getLong("id") != null) {
                    events.add(new JsonObject(r.getString("payload")));
                }
            }
            boolean complete = lastSeen == last
                    || lastSeen < last && oldest != null && oldest <= lastSeen + 1 && events.size() <= MAX_REPLAY;
            return new Missed(complete ? events : List.of(), last, complete);
        });
    }

    /** The last event id given out: where a new stream starts. */
    public Future<Long> lastId() {
        return pool.query(LAST).execute().map(rows -> rows.iterator().next().getLong("last_id"));
    }

    /** One pruning round: the events deleted, or null when another instance was pruning. */
    public Future<Long> prune() {
        return pool.preparedQuery(PRUNE).execute(Tuple.of(KEEP.toSeconds(), MAX_KEPT))
                .map(rows -> rows.iterator().next().getLong("deleted"))
                .onFailure(e -> LOG.warn("pruning the event log failed: {}", e.getMessage()));
    }

    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}

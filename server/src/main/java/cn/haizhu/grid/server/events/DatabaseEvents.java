package cn.haizhu.grid.server.events;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one LISTEN connection. Each notification on {@link #CHANNEL} (a JSON object with
 * at least {@code type}; {@code street_code}/{@code grid_code} when it concerns a place; {@code
 * event_id}, its number in the event log, V46) is published on the event bus at {@link #ADDRESS}.
 * The subscriber reconnects by itself after a database restart, and says so at {@link
 * #LISTENING_ADDRESS}: what was notified meanwhile is not heard, so whoever keeps state from
 * notifications catches up then (the event streams from the event log, the caller cache and the tile
 * cache by starting afresh).
 *
 * <p>Every server instance on the database hears every notification: this is how the instances behind
 * one proxy stay one command center (docs/CLUSTER.md, "Stateless instances").
 */
public final class DatabaseEvents implements AutoCloseable {
    /** The PostgreSQL channel every event is notified on. */
    public static final String CHANNEL = "gridctl_events";
    /** The event-bus address the events are published to. */
    public static final String ADDRESS = "gridctl.events";
    /**
     * The channel the change capture notifies once per statement that logged a change (no payload):
     * relayed, empty, to {@link #SYNC_ADDRESS}, where the sync feed's long-polls wait (ChangeFeed).
     */
    public static final String SYNC_CHANNEL = "gridctl_sync";
    public static final String SYNC_ADDRESS = "gridctl.sync.changed";
    /**
     * The channel that names the users whose tokens or accounts changed ({@code 1,7,42}, or {@code *}:
     * all), relayed as a string to {@link #AUTH_ADDRESS}, where the caller cache forgets them (V47).
     */
    public static final String AUTH_CHANNEL = "gridctl_auth";
    public static final String AUTH_ADDRESS = "gridctl.auth.changed";
    /** The channel that says tile data changed (no payload), relayed to {@link #TILES_ADDRESS}: the tile cache looks at once. */
    public static final String TILES_CHANNEL = "gridctl_tiles";
    public static final String TILES_ADDRESS = "gridctl.tiles.changed";
    /** Published (empty) each time the LISTEN connection is subscribed again after losing the database. */
    public static final String LISTENING_ADDRESS = "gridctl.events.listening";
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseEvents.class);
    private final PgSubscriber subscriber;

    private DatabaseEvents(PgSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    public static Future<DatabaseEvents> start(Vertx vertx, PgConnectOptions options) {
        PgSubscriber subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(options)
                        .addProperty("application_name", "gridctl-events"))
                .reconnectPolicy(retries -> Math.min(250L * (retries + 1), 5_000L));   // forever, backing off to 5 s
        boolean[] first = {true};
        subscriber.channel(CHANNEL)
                // one channel object for both: a channel the subscriber holds is one given a handler
                .subscribeHandler(v -> {
                    if (first[0]) {
                        first[0] = false;   // the first subscription: nothing was missed yet
                    } else {
                        LOG.info("event listener subscribed again: catching up on what was notified meanwhile");
                        vertx.eventBus().publish(LISTENING_ADDRESS, null);
                    }
                })
                .handler(payload -> {
                    try {
                        vertx.eventBus().publish(ADDRESS, new JsonObject(payload));
                    } catch (DecodeException e) {
                        LOG.warn("ignored a {} notification that is not a JSON object: {}", CHANNEL, payload);
                    }
                });
        subscriber.channel(SYNC_CHANNEL).handler(payload -> vertx.eventBus().publish(SYNC_ADDRESS, null));
        subscriber.channel(AUTH_CHANNEL).handler(payload -> vertx.eventBus().publish(AUTH_ADDRESS, payload));
        subscriber.channel(TILES_CHANNEL).handler(payload -> vertx.eventBus().publish(TILES_ADDRESS, null));
        subscriber.closeHandler(v -> LOG.info("event listener stopped"));
        return subscriber.connect().map(v -> new DatabaseEvents(subscriber));
    }

    @Override
    public void close() {
        subscriber.close();
    }
}

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
 * at least {@code type}; {@code street_code}/{@code grid_code} when it concerns a place) is
 * published on the event bus at {@link #ADDRESS}. The subscriber reconnects by itself after a
 * database restart; events raised while it was away are not replayed (pages reload their
 * lists on reconnect).
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
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseEvents.class);
    private final PgSubscriber subscriber;

    private DatabaseEvents(PgSubscriber subscriber) {
        this.subscriber = subscriber;
    }

    public static Future<DatabaseEvents> start(Vertx vertx, PgConnectOptions options) {
        PgSubscriber subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(options)
                        .addProperty("application_name", "gridctl-events"))
                .reconnectPolicy(retries -> Math.min(250L * (retries + 1), 5_000L));   // forever, backing off to 5 s
        subscriber.channel(CHANNEL).handler(payload -> {
            try {
                vertx.eventBus().publish(ADDRESS, new JsonObject(payload));
            } catch (DecodeException e) {
                LOG.warn("ignored a {} notification that is not a JSON object: {}", CHANNEL, payload);
            }
        });
        subscriber.channel(SYNC_CHANNEL).handler(payload -> vertx.eventBus().publish(SYNC_ADDRESS, null));
        subscriber.closeHandler(v -> LOG.info("event listener stopped"));
        return subscriber.connect().map(v -> new DatabaseEvents(subscriber));
    }

    @Override
    public void close() {
        subscriber.close();
    }
}

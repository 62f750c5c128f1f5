package cn.haizhu.grid.server.people;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.people.PersonalDataKey;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Tuple;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The personal-data key ring of a running server, changed without a restart (docs/KEY-ROTATION.md).
 *
 * <p>The ring is read from its source (the data folder's key files, or the configuration file) at
 * start, and again whenever {@code ./gridctl pii-key rotate|reencrypt|retire} notifies
 * {@link PersonalDataKey#RELOAD_CHANNEL}, and whenever this listener (re)connects, which covers a
 * notification missed while the database was away. Every instance reads the same source, so one
 * notification brings them all to the same ring; nothing secret goes through the database.
 *
 * <p>The listener's connection says which key this server writes with: its {@code application_name}
 * is {@code gridctl-keys <key id>} (plain {@code gridctl-keys} until the ring is read). A
 * re-encryption waits until every such connection names the new key, so no row is moved to a key
 * a running server could not open or look up; a server that cannot follow (its key pinned in its
 * environment) holds the re-encryption back, and says so there, instead of failing its users.
 */
public final class KeyRingWatch implements Supplier<PersonalDataCipher>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRingWatch.class);
    private static final String NAME_CONNECTION = SqlFile.load(KeyRingWatch.class, "name_key_listener");

    private final Vertx vertx;
    private final Supplier<PersonalDataCipher> source;
    private final PgSubscriber subscriber;
    private volatile PersonalDataCipher ring;

    private KeyRingWatch(Vertx vertx, Supplier<PersonalDataCipher> source, PgSubscriber subscriber, PersonalDataCipher ring) {
        this.vertx = vertx;
        this.source = source;
        this.subscriber = subscriber;
        this.ring = ring;
    }

    /**
     * Reads the ring from {@code source} now (a failure stops the start) and listens for changes.
     *
     * @param source reads the ring from where it is kept, afresh on every call
     */
    public static Future<KeyRingWatch> start(Vertx vertx, PgConnectOptions options, Supplier<PersonalDataCipher> source) {
        PersonalDataCipher first = source.get();
        PgSubscriber subscriber = PgSubscriber.subscriber(vertx, new PgConnectOptions(options)
                        .addProperty("application_name", PersonalDataKey.HOLDER_APPLICATION_NAME))
                .reconnectPolicy(retries -> Math.min(250L * (retries + 1), 5_000L));   // forever, backing off to 5 s
        KeyRingWatch watch = new KeyRingWatch(vertx, source, subscriber, first);
        subscriber.channel(PersonalDataKey.RELOAD_CHANNEL)
                .subscribeHandler(v -> watch.reload("listening"))
                .handler(keyId -> watch.reload("told of key " + keyId));
        return subscriber.connect().map(v -> watch);
    }

    /** The ring as it is now; callers take it once per request or job and use that one throughout. */
    @Override
    public PersonalDataCipher get() {
        return ring;
    }

    private void reload(String why) {
        vertx.executeBlocking(source::get).onComplete(read -> {
            if (read.succeeded()) {
                PersonalDataCipher before = ring;
                ring = read.result();
                if (!before.keyId().equals(ring.keyId()) || !before.retiredKeyIds().equals(ring.retiredKeyIds())) {
                    LOG.info("personal-data keys read again ({}): current {}, retired {}", why, ring.keyId(), ring.retiredKeyIds());
                }
            } else {
                LOG.error("personal-data keys could not be read again ({}); keeping current {}, retired {}: {}", why,
                        ring.keyId(), ring.retiredKeyIds(), read.cause().getMessage());
            }
            advertise();
        });
    }

    /** Names, on the listener's connection, the key this server now writes with. */
    private void advertise() {
        if (subscriber.closed() || subscriber.actualConnection() == null) {
            return;   // the next connection advertises when it subscribes
        }
        String name = PersonalDataKey.HOLDER_APPLICATION_NAME + " " + ring.keyId();
        subscriber.actualConnection().preparedQuery(NAME_CONNECTION)
                .execute(Tuple.of(name))
                .onFailure(e -> LOG.warn("could not name the key listener's connection: {}", e.getMessage()));
    }

    @Override
    public void close() {
        subscriber.close();
    }
}

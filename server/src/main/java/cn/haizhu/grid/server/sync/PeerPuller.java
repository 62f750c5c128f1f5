package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.changelog.ChangeLogReader.Cursor;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls one peer's change feed, on a thread of its own: a long-poll after the checkpoint, the batch
 * applied with its checkpoint in one transaction ({@link ChangeApply}), again at once while the peer
 * says there is more. A failed pull marks the link down with its error ({@code ./gridctl sync
 * status}) and is retried after 1, 2, 4 … 30 s; a hint from the peer ({@link #wake}) retries at once.
 * After each batch, what the peer sent about its work orders goes on to WorkOrders ({@link OrderExchange}).
 * It pulls only while this server instance holds the node's {@link PullLease}.
 */
final class PeerPuller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerPuller.class);
    private static final String READ_CHECKPOINT = SqlFile.load(PeerPuller.class, "read_checkpoint");
    private static final String LINK_DOWN = SqlFile.load(PeerPuller.class, "link_down");
    static final int BATCH = 500;
    /** How long one pull waits for news at the peer: below the request timeout and any proxy's idle limit. */
    static final int WAIT_SECONDS = 20;
    /** How long one pull may take before it gives up: the wait, and time for the answer to come. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(WAIT_SECONDS + 15);
    /**
     * The longest a healthy link goes without a successful pull: one request's timeout, and the
     * apply of what it brought. Silence beyond this counts as lag ({@code LinkHealth}).
     */
    static final Duration LONGEST_QUIET = REQUEST_TIMEOUT.plusSeconds(10);
    static final long MAX_BACKOFF_MILLIS = 30_000;

    /** Where the peer's feed is and the key to read it with, or null while either is unknown. */
    record Target(String url, String key) {
    }

    /** Something to do before the first pull (an upstream: register this node's key there); false to try again later. */
    interface Before {
        boolean ready() throws Exception;
    }

    private final String peer;
    private final Supplier<Target> target;
    private final Before before;
    private final Database db;
    private final String node;
    private final Supplier<PersonalDataCipher> keys;
    private final HttpClient http;
    /** Work orders between levels, or null where this node carries none (then a batch with one fails). */
    private final OrderExchange orders;
    private final Thread thread;
    private final Object wakeUp = new Object();
    private volatile boolean woken;
    private volatile boolean closed;
    private final GridCounts counts;
    /** Whether this instance is the node's one that pulls ({@link PullLease}). */
    private final PullLease lease;

    PeerPuller(String peer, Supplier<Target> target, Before before, Database db, String node,
               Supplier<PersonalDataCipher> keys, HttpClient http, OrderExchange orders, GridCounts counts, PullLease lease) {
        this.peer = peer;
        this.lease = lease;
        this.counts = counts;
        this.orders = orders;
        this.target = target;
        this.before = before;
        this.db = db;
        this.node = node;
        this.keys = keys;
        this.http = http;
        this.thread = new Thread(this::run, "gridctl-sync-pull-" + peer);
        this.thread.setDaemon(true);
    }

    PeerPuller start() {
        thread.start();
        return this;
    }

    /** The peer has news (a hint), or its key or URL changed: pull now rather than after the backoff. */
    void wake() {
        synchronized (wakeUp) {
            woken = true;
            wakeUp.notifyAll();
        }
    }

    private void run() {
        long backoff = 0;
        while (!closed) {
            try {
                if (backoff > 0) {
                    sleep(backoff);
                }
                if (!lease.awaitHeld(REQUEST_TIMEOUT)) {
                    continue;   // another instance of this node pulls
                }
                if (!before.ready()) {
                    backoff = next(backoff);
                    continue;
                }
                Target t = target.get();
                if (t == null) {
                    backoff = next(backoff);
                    continue;
                }
                pullOnce(t);
                backoff = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                LOG.warn("sync pull from {} failed: {}", peer, e.toString());
                down(e);
                backoff = next(backoff);
            }
        }
    }

    private static long next(long backoff) {
        return backoff == 0 ? 1_000 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
    }

    private void sleep(long millis) throws InterruptedException {
        synchronized (wakeUp) {
            long until = System.currentTimeMillis() + millis;
            while (!woken && !closed && System.currentTimeMillis() < until) {
                wakeUp.wait(Math.max(1, until - System.currentTimeMillis()));
            }
            woken = false;
        }
    }

    /** One pull and its apply: returns once the batch is committed (or there was nothing after the wait). */
    void pullOnce(Target t) throws Exception {
        if (orders != null) {
            orders.handOn(peer);   // what an earlier round left (a failure, a stop after its commit): before waiting for news
        }
        String cursor = checkpoint();
        if (cursor.equals(Cursor.START.toString())) {
            // a new peer starts from a snapshot, and its feed from the snapshot's cursor
            try (Connection c = db.connection()) {
                new SnapshotLoad(node, keys.get()).pull(http, t, peer, c, null);
            }
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(t.url() + "/api/v1/sync/changes?after=" + cursor + "&limit="
                        + BATCH + "&wait=" + WAIT_SECONDS))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + t.key()).header("Accept", "application/json").GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " from " + t.url() + ": "
                    + clip(response.body()));
        }
        JsonObject batch = new JsonObject(response.body());
        JsonArray changes = batch.getJsonArray("changes");
        boolean more = batch.getBoolean("more", false);
        double lagSeconds = !more || changes.isEmpty() ? 0
                : Math.max(0, Duration.between(OffsetDateTime.parse(changes.getJsonObject(changes.size() - 1).getString("at")).toInstant(),
                        Instant.now()).toMillis() / 1000.0);
        try (Connection c = db.connection()) {
            ChangeApply apply = new ChangeApply(node, keys.get(), orders == null ? null : orders.apply(node, peer, t, http));
            ChangeApply.Outcome outcome = apply.apply(c, peer, batch, batch.getLong("pending", 0L), lagSeconds);
            if (!changes.isEmpty()) {
                LOG.debug("sync from {}: {} applied, {} held already, {} conflicts", peer, outcome.applied(), outcome.skipped(),
                        outcome.conflicts());
            }
            if (outcome.applied() > 0 || outcome.conflicts() > 0) {
                counts.changed();   // a conflict's answer writes too, and follows what this node wrote itself meanwhile
            }
        }
        if (orders != null) {
            orders.handOn(peer);   // after the commit: what the peer sent about its work orders, to WorkOrders
        }
    }

    private String checkpoint() throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(READ_CHECKPOINT)) {
            ps.setString(1, peer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "0:0:0";
            }
        }
    }

    private void down(Exception e) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(LINK_DOWN)) {
            ps.setString(1, peer);
            ps.setString(2, clip(String.valueOf(e.getMessage() == null ? e.toString() : e.getMessage())));
            ps.executeUpdate();
        } catch (Exception again) {
            LOG.warn("cannot record the sync link to {} as down: {}", peer, again.toString());
        }
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        wake();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.sync.PeerRelation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * This node's side of its links: one {@link PeerPuller} per peer whose feed it reads. The upstream
 * comes from the configuration ({@code sync.upstream.url}, {@code sync.upstream.key}); before its
 * first pull this node registers there the key the upstream shall read its own feed with. Each
 * downstream peer is pulled once it has registered (its URL from {@code sync peer add} or its
 * registration, its key from the secrets folder). Where several server instances serve the node, the
 * one holding the {@link PullLease} pulls and the others wait to take over.
 */
public final class SyncNode implements AutoCloseable {
    private final GridConfig config;
    private final Database db;
    private final GridCounts counts;
    private final SyncPeers peers;
    private final Supplier<PersonalDataCipher> keys;
    private final OrderExchange orders;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();   // a long-poll per request: no use for HTTP/2's streams
    private final Map<String, PeerPuller> pullers = new ConcurrentHashMap<>();
    /** The key offered to an upstream, until it accepts one. */
    private final Map<String, String> offered = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** One instance of a node pulls at a time (a cluster runs two on one database); taken with the first peer. */
    private PullLease lease;

    private SyncNode(GridConfig config, Database db, SyncPeers peers, Supplier<PersonalDataCipher> keys, OrderExchange orders) {
        this.config = config;
        this.db = db;
        this.counts = new GridCounts(db);
        this.peers = peers;
        this.keys = keys;
        this.orders = orders;
    }

    private synchronized PullLease lease() {
        if (lease == null) {
            lease = new PullLease(db).start();
        }
        return lease;
    }

    /** Starts pulling the upstream (if configured) and every downstream peer that has registered. Blocking: call at start. */
    public static SyncNode start(GridConfig config, Database db, SyncPeers peers, Supplier<PersonalDataCipher> keys) {
        return start(config, db, peers, keys, null);
    }

    /**
     * {@link #start(GridConfig, Database, SyncPeers, Supplier)}, carrying work orders between levels with
     * {@code orders} (null: none; a batch that holds one then fails).
     */
    public static SyncNode start(GridConfig config, Database db, SyncPeers peers, Supplier<PersonalDataCipher> keys,
                                 OrderExchange orders) {
        SyncNode node = new SyncNode(config, db, peers, keys, orders);
        if (config.upstream() != null) {
            PeerRelation upstream = peers.ensureUpstream(config.upstream().url()).await();
            String code = upstream.peerCode();
            node.pullers.put(code, new PeerPuller(code, () -> new PeerPuller.Target(config.upstream().url(), config.upstream().key()),
                    () -> node.registerWith(code), db, config.nodeCode(), keys, node.http, orders, node.counts, node.lease()).start());
        }
        JsonArray all = peers.list().await();
        for (Object o : all) {
            JsonObject p = (JsonObject) o;
            if ("down".equals(p.getString("direction"))) {
                node.pullDownstream(p.getString("code"));
            }
        }
        return node;
    }

    /** A downstream peer registered (or registered again): pull it, now. */
    public void registered(String code) {
        PeerPuller known = pullers.get(code);
        if (known != null) {
            known.wake();
        } else {
            pullDownstream(code);
        }
    }

    /** A peer says it has news: pull it now. */
    public void hint(String code) {
        PeerPuller known = pullers.get(code);
        if (known != null) {
            known.wake();
        }
    }

    private void pullDownstream(String code) {
        if (closed) {
            return;
        }
        pullers.computeIfAbsent(code, c -> new PeerPuller(c, () -> target(config, peers, c), () -> true, db, config.nodeCode(),
                keys, http, orders, counts, lease()).start());
    }

    /**
     * Where peer {@code code}'s feed is and the key this node reads it with, or null while either is
     * unknown: the upstream's from the configuration, a downstream's from its registration and the
     * secrets folder. Blocking.
     */
    static PeerPuller.Target target(GridConfig config, SyncPeers peers, String code) {
        SyncPeers.Peer peer = peers.peer(code).await().orElse(null);
        if (peer == null) {
            return null;
        }
        if ("up".equals(peer.direction())) {
            return config.upstream() == null ? null : new PeerPuller.Target(config.upstream().url(), config.upstream().key());
        }
        String key = peers.keyFor(code).orElse(null);
        return peer.url() == null || key == null ? null : new PeerPuller.Target(peer.url(), key);
    }

    /**
     * Registers at the upstream the key it shall read this node's feed with, once: true when done
     * (now or before). The upstream keeps the last key it accepted. One fresh key for every attempt
     * until one is accepted, not one per attempt: an attempt that the network delivers late, after a
     * later one (a gateway's retry), would otherwise leave the upstream with a key retired here since,
     * and this node, registered, would never be read again.
     */
    private boolean registerWith(String upstream) throws Exception {
        var peer = peers.peer(upstream).await().orElseThrow();
        if (peer.registeredAt() != null) {
            return true;
        }
        String key = offered.get(upstream);
        if (key == null) {
            key = peers.keyForUpstream(upstream).await();
            offered.put(upstream, key);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.upstream().url() + "/api/v1/sync/register"))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + config.upstream().key()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("key", key).encode())).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("registering at " + upstream + " answered HTTP " + response.statusCode() + ": "
                    + response.body());
        }
        peers.registered(upstream).await();
        offered.remove(upstream);
        return true;
    }

    @Override
    public void close() {
        closed = true;
        pullers.values().forEach(PeerPuller::close);
        pullers.clear();
        synchronized (this) {
            if (lease != null) {
                lease.close();
            }
        }
        counts.close();
    }
}

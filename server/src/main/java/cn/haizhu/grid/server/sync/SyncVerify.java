package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.sync.PeerRelation;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.sync.Verification.Bucket;
import cn.haizhu.grid.server.sync.Verification.BucketDigest;
import cn.haizhu.grid.server.sync.Verification.Listing;
import cn.haizhu.grid.server.sync.Verification.RecordDigest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * {@code ./gridctl sync verify PEER} (docs/SYNC.md, "Verify"): compares what this node and a peer
 * hold of their common scope, per table and street: a count and an order-independent digest of
 * (gid, version, content) at each side ({@link SyncDigests}), and for each bucket whose digests differ
 * the records that differ, both sides' lists walked side by side in gid order ({@link Verification}).
 *
 * <p>The peer computes its side in the scope it grants this node's key; this node computes its own
 * in the scope it grants the peer: for a street and its district both are the street, for a district
 * and its city the district. The two are read at two moments: a change on its way between them shows
 * as a difference until it has arrived (a bucket whose records then show no difference counts as
 * equal).
 *
 * <p>Blocking (HTTP and the database awaited in turn): for the command line, tests and scripts, never
 * an event loop.
 */
public final class SyncVerify {
    /** How long the peer may take to compute its digests: the whole district is 1.58 million persons. */
    static final Duration DIGEST_TIMEOUT = Duration.ofMinutes(10);

    private final Pool owner;
    private final String node;
    private final HttpClient http;

    /**
     * @param owner an owner's pool of this node's database (its side is read there, in the peer's scope)
     * @param node  this node's code
     */
    public SyncVerify(Pool owner, String node, HttpClient http) {
        this.owner = owner;
        this.node = node;
        this.http = http;
    }

    /**
     * Compares this node and {@code peer}, reached at {@code target}: every table and street of the
     * common scope, or only {@code table} and {@code street} (null: all); for each bucket that differs
     * lists up to {@code limit} records. A code that is no neighbour is a 404; a peer that cannot be
     * reached, refuses the key or answers nonsense a 502.
     */
    public Verification verify(String peer, PeerPuller.Target target, String table, String street, int limit) {
        PeerRelation relation = relation(node, peer);
        String scope = relation.scope().code();
        if (table != null) {
            SyncTables.check(table);
        }
        if (street != null && !street.matches("\\d{6}|\\d{9}")) {
            throw new IllegalArgumentException("not a street or district code: " + street);
        }
        List<String> filters = new ArrayList<>();
        if (table != null) {
            filters.add("table=" + table);
        }
        if (street != null) {
            filters.add("street=" + street);
        }
        HttpRequest digests = request(target, "/api/v1/sync/digest" + (filters.isEmpty() ? "" : "?" + String.join("&", filters)))
                .timeout(DIGEST_TIMEOUT).header("Accept", "application/json").build();
        // the peer computes its side while this node computes its own
        CompletableFuture<HttpResponse<String>> theirs = http.sendAsync(digests, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        List<BucketDigest> here = SyncDigests.buckets(owner, scope, table, street);
        JsonObject answer = json(peer, target, await(peer, target, theirs));
        String seen = answer.getString("scope");
        if (!relation.scope().toString().equals(seen)) {
            throw new ApiError(502, "scope_mismatch", "peer " + peer + " reads this node's key as scope " + seen + ", this node grants it "
                    + relation.scope() + ": the two are not each other's peers as configured", null);
        }
        List<Bucket> buckets = new ArrayList<>();
        for (Bucket b : Verification.pair(here, SyncDigests.fromJson(answer.getJsonArray("buckets")))) {
            buckets.add(b.digestsEqual() ? b : b.listed(listing(peer, target, scope, b.table(), b.street(), limit)));
        }
        return new Verification(node, peer, relation.scope().toString(), List.copyOf(buckets));
    }

    /** The records of one bucket that differ: the peer's list streamed beside this node's. */
    private Listing listing(String peer, PeerPuller.Target target, String scope, String table, String street, int limit) {
        HttpRequest request = request(target, "/api/v1/sync/digest/" + table + "?street=" + street).timeout(DIGEST_TIMEOUT)
                .header("Accept", "text/tab-separated-values").build();
        HttpResponse<Stream<String>> response = await(peer, target, http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()));
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                throw refused(peer, target, response.statusCode(), String.join("\n", lines.limit(20).toList()));
            }
            Iterator<String> it = lines.iterator();
            if (!it.hasNext() || !it.next().equals(SyncDigests.HEADER)) {
                throw new ApiError(502, "peer_answer", "peer " + peer + " answered a record list without its header", null);
            }
            Iterator<RecordDigest> theirs = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public RecordDigest next() {
                    return SyncDigests.parse(it.next());
                }
            };
            return SyncDigests.withRecords(owner, scope, table, street, ours -> Verification.diff(ours, theirs, limit));
        } catch (UncheckedIOException e) {
            throw unreachable(peer, target, e.getCause());
        } catch (IllegalStateException e) {
            throw new ApiError(502, "peer_answer", "peer " + peer + ": " + e.getMessage(), null);
        }
    }

    private static PeerRelation relation(String node, String peer) {
        return PeerRelation.between(node, peer).orElseThrow(() -> new ApiError(404, "unknown_peer", peer
                + " is no peer of this node (" + node + "): a street talks to its district, a district to its city and its streets,"
                + " a city to its districts", null));
    }

    /**
     * Where {@code peer} is served and the key this node calls it with: the upstream's from the
     * configuration, a downstream's from its registration ({@code secrets/sync/<code>.key}). A 404 for a
     * code that is no neighbour or a downstream peer not added here, a 409 while its URL or key is not
     * known yet.
     */
    public static PeerPuller.Target target(GridConfig config, SyncPeers peers, String peer) {
        if (relation(config.nodeCode(), peer).direction() == PeerRelation.Direction.UP) {
            if (config.upstream() == null) {
                throw new ApiError(409, "no_upstream", "this node has no upstream configured (sync.upstream.url and sync.upstream.key)", null);
            }
            return new PeerPuller.Target(config.upstream().url(), config.upstream().key());
        }
        SyncPeers.Peer known = peers.peer(peer).await().orElseThrow(() -> new ApiError(404, "unknown_peer", "peer " + peer
                + " is unknown here: add it with ./gridctl sync peer add " + peer, null));
        String key = peers.keyFor(peer).orElse(null);
        if (known.url() == null || key == null) {
            throw new ApiError(409, "peer_not_registered", "peer " + peer + " has not registered yet (no "
                    + (known.url() == null ? "URL" : "key") + " to call it with): it registers when it first reaches this node", null);
        }
        return new PeerPuller.Target(known.url(), key);
    }

    private static HttpRequest.Builder request(PeerPuller.Target target, String path) {
        return HttpRequest.newBuilder(URI.create(target.url() + path)).header("Authorization", "Bearer " + target.key()).GET();
    }

    private static <T> HttpResponse<T> await(String peer, PeerPuller.Target target, CompletableFuture<HttpResponse<T>> response) {
        try {
            return response.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted", "interrupted while waiting for peer " + peer, null);
        } catch (ExecutionException | CompletionException e) {
            throw unreachable(peer, target, e.getCause());
        }
    }

    private static JsonObject json(String peer, PeerPuller.Target target, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw refused(peer, target, response.statusCode(), response.body());
        }
        try {
            JsonObject answer = new JsonObject(response.body());
            if (answer.getJsonArray("buckets") == null) {
                throw new DecodeException("no buckets");
            }
            return answer;
        } catch (DecodeException | ClassCastException e) {
            throw new ApiError(502, "peer_answer", "peer " + peer + " at " + target.url() + " answered no digests: " + clip(response.body()), null);
        }
    }

    private static ApiError unreachable(String peer, PeerPuller.Target target, Throwable cause) {
        String why = cause == null ? "no answer" : cause instanceof IOException && cause.getMessage() == null ? cause.getClass().getSimpleName()
                : String.valueOf(cause.getMessage() == null ? cause : cause.getMessage());
        return new ApiError(502, "peer_unreachable", "cannot reach peer " + peer + " at " + target.url() + ": " + why, null);
    }

    private static ApiError refused(String peer, PeerPuller.Target target, int status, String body) {
        String message = body;
        try {
            message = new JsonObject(body).getJsonObject("error").getString("message");
        } catch (RuntimeException notTheErrorFormat) {
            // keep the body as it came
        }
        return status == 401 || status == 403
                ? new ApiError(502, "peer_refused_key", "peer " + peer + " at " + target.url() + " refused this node's key (HTTP " + status
                        + ": " + clip(message) + ")", null)
                : new ApiError(502, "peer_error", "peer " + peer + " at " + target.url() + " answered HTTP " + status + ": " + clip(message), null);
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}

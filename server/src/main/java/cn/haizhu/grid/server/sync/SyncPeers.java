package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.config.SecretFiles;
import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.sync.LinkHealth;
import cn.haizhu.grid.data.sync.PeerRelation;
import cn.haizhu.grid.data.sync.PeerUrls;
import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.server.auth.AuthService;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The peers of this node and their keys (docs/SYNC.md, "Peers and credentials").
 *
 * <p>Keys peers call this node with: {@code sync_} and 32 random bytes, shown once, stored as SHA-256
 * only, at most two live per peer so that a key is rotated without downtime ({@link #rotate}, then
 * {@link #retire} once the peer uses the new one). A key acts as the peer: role {@code peer} with
 * the one permission {@link #PERMISSION} and the peer's scope. It opens the sync routes only; no
 * session opens them.
 *
 * <p>Keys this node calls its peers with: the upstream's from the configuration
 * ({@code sync.upstream.key}); a downstream's, which it registered here, in an owner-only file of
 * the secrets folder ({@link SecretFiles}), like the personal-data key: never in the database.
 */
public final class SyncPeers {
    /** What a peer's key may do: the sync routes, nothing else. */
    public static final String PERMISSION = "sync.peer";
    /** Marks a string as a sync key (so a leaked one is recognised in logs and scanners, and told from a session token). */
    public static final String KEY_PREFIX = "sync_";
    static final Duration KEY_TTL = Duration.ofSeconds(5);
    private static final String USERNAME_PREFIX = "peer:";
    /** The rule a link is judged by; a healthy pull answers within its long-poll and request timeout. */
    static final LinkHealth HEALTH = new LinkHealth(PeerPuller.LONGEST_QUIET);

    private static final String FIND = SqlFile.load(SyncPeers.class, "peer_caller");
    private static final String ADD_PEER = SqlFile.load(SyncPeers.class, "add_peer");
    private static final String ADD_KEY = SqlFile.load(SyncPeers.class, "add_key");
    private static final String RETIRE_KEYS = SqlFile.load(SyncPeers.class, "retire_keys");
    private static final String RETIRE_ALL_KEYS = SqlFile.load(SyncPeers.class, "retire_all_keys");
    private static final String PEERS = SqlFile.load(SyncPeers.class, "peers");
    private static final String PEER = SqlFile.load(SyncPeers.class, "peer");
    private static final String REGISTER_URL = SqlFile.load(SyncPeers.class, "register_url");
    private static final String UPSTREAM = SqlFile.load(SyncPeers.class, "upstream_peer");
    private static final String REGISTERED = SqlFile.load(SyncPeers.class, "registered");

    /** The request role's pool: key lookups only. */
    private final Pool requests;
    /** The owner's pool: peers, keys, registrations. */
    private final Pool owner;
    private final String nodeCode;
    private final Path secrets;
    private final SecureRandom random = new SecureRandom();
    private final Cache<ByteBuffer, Caller> callers = Caffeine.newBuilder().expireAfterWrite(KEY_TTL).maximumSize(1_000).build();

    public SyncPeers(Pool requests, Pool owner, String nodeCode, Path dataDir) {
        this.requests = requests;
        this.owner = owner;
        this.nodeCode = nodeCode;
        this.secrets = dataDir.resolve("secrets").resolve("sync");
    }

    public String nodeCode() {
        return nodeCode;
    }

    /** A peer as stored. */
    public record Peer(String code, String level, String direction, String url, DataScope scope, OffsetDateTime registeredAt) {
    }

    /** Whether a bearer credential is a sync key rather than a session token. */
    public static boolean isKey(String credential) {
        return credential.startsWith(KEY_PREFIX);
    }

    /** The peer a caller made by {@link #caller} is (its code), or empty for any other caller. */
    public static Optional<String> peerOf(Caller caller) {
        return caller.username().startsWith(USERNAME_PREFIX) && caller.can(PERMISSION)
                ? Optional.of(caller.username().substring(USERNAME_PREFIX.length())) : Optional.empty();
    }

    /** The caller a live key acts as, or a 401 when it is unknown or retired. */
    public Future<Caller> caller(String key) {
        byte[] hash = AuthService.sha256(key);
        ByteBuffer cacheKey = ByteBuffer.wrap(hash);
        Caller known = callers.getIfPresent(cacheKey);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return requests.preparedQuery(FIND).execute(Tuple.of(Buffer.buffer(hash))).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(ApiError.unauthorized("the sync key is unknown or retired"));
            }
            Row r = rows.iterator().next();
            Caller caller = asCaller(r.getString("peer_code"), new DataScope(r.getString("scope_kind"), r.getString("scope_code")),
                    Instant.now().plus(KEY_TTL));
            callers.put(cacheKey, caller);
            return Future.succeededFuture(caller);
        });
    }

    /**
     * The caller the peer {@code code} acts as here, as its key would make it, for what this node does in
     * the peer's name without a request (the work orders the exchange brought from it, WorkOrders), or a
     * failure when the peer is unknown.
     */
    public Future<Caller> callerFor(String code) {
        return peer(code).map(p -> asCaller(code, p.orElseThrow(() -> new IllegalStateException("no peer " + code)).scope(),
                Instant.now().plus(Duration.ofMinutes(5))));
    }

    /** A peer platform as a caller: role peer, the sync permission only, no user account (id 0), the peer's scope. */
    private static Caller asCaller(String code, DataScope scope, Instant until) {
        return new Caller(0, USERNAME_PREFIX + code, "对接平台 " + code, "peer", Set.of(PERMISSION), scope, null, until);
    }

    /** A peer just added or given a new key: the key, shown once. */
    public record Issued(String key, PeerRelation relation) {
    }

    /**
     * Adds the neighbour {@code code} with the URL its own feed is served at (null: not known yet;
     * a downstream may name it when it registers) and issues its first key. 422 for a code that is
     * no neighbour of this node or a URL that is refused, 409 when the peer exists.
     */
    public Future<Issued> add(String code, String url) {
        PeerRelation relation;
        String checkedUrl;
        try {
            relation = relation(code);
            checkedUrl = url == null ? null : PeerUrls.check(url);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new ApiError(422, "invalid_peer", e.getMessage(), null));
        }
        return owner.withTransaction(c -> c.preparedQuery(ADD_PEER)
                .execute(Tuple.of(code, relation.peerLevel().name().toLowerCase(java.util.Locale.ROOT),
                        relation.direction().code(), checkedUrl, relation.scope().kind(), relation.scope().code()))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new ApiError(409, "peer_exists", "peer " + code
                                + " exists: give it another key with rotate", null));
                    }
                    return newKey(c, code);
                })).map(key -> new Issued(key, relation));
    }

    /**
     * The peer {@code code} with one fresh key, whether it is new or not: added as by {@link #add}, or,
     * when it exists, given {@code url} and a fresh key with its earlier keys retired. For a wiring that
     * writes the key into the peer's configuration at once, again at every run ({@code ./gridctl
     * federation up}: the ports may have moved, and the configuration that held the old key was
     * rewritten); a peer that keeps running on its old key needs {@link #rotate} instead.
     */
    public Future<Issued> issue(String code, String url) {
        return add(code, url).recover(e -> {
            if (!(e instanceof ApiError refused && refused.code().equals("peer_exists"))) {
                return Future.failedFuture(e);
            }
            return owner.withTransaction(c -> c.preparedQuery(REGISTER_URL).execute(Tuple.of(code, url == null ? null : PeerUrls.check(url)))
                    .compose(rows -> rows.size() == 0
                            ? Future.failedFuture(new ApiError(409, "not_downstream", code + " is this node's upstream:"
                                    + " it issues the keys, it is not issued one", null))
                            : replaceKeys(c, code)))
                    .map(key -> new Issued(key, relation(code)));
        });
    }

    /** A second live key for {@code code}; its old one keeps working until {@link #retire}. 409 when it has two already. */
    public Future<String> rotate(String code) {
        return owner.withTransaction(c -> newKey(c, code));
    }

    /** Retires every live key of {@code code} but the newest: how many. They stop working here at once. */
    public Future<Integer> retire(String code) {
        return owner.preparedQuery(RETIRE_KEYS).execute(Tuple.of(code)).map(rows -> {
            rows.forEach(r -> callers.invalidate(ByteBuffer.wrap(r.getBuffer("key_hash").getBytes())));
            return rows.size();
        });
    }

    private Future<String> newKey(io.vertx.sqlclient.SqlConnection c, String code) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        return c.preparedQuery(ADD_KEY).execute(Tuple.of(code, Buffer.buffer(AuthService.sha256(key)))).compose(rows -> rows.size() == 0
                ? Future.failedFuture(new ApiError(409, "two_live_keys", "peer " + code + " is unknown or has two live keys:"
                        + " retire the old one first (./gridctl sync peer retire " + code + ")", null))
                : Future.succeededFuture(key));
    }

    /**
     * Every peer with its keys and the state of its link, judged by {@link #HEALTH}: {@code state}
     * (current, lagging, down), {@code lagSeconds} (honest: a silent link is as far behind as its
     * silence, not as its last report, which stays in {@code reportedLagSeconds}), {@code downSince}
     * (for a peer never reached: since it was configured) and {@code alarm} ({@code {reason, since}}
     * or null).
     */
    public Future<JsonArray> list() {
        return owner.query(PEERS).execute().map(rows -> {
            JsonArray out = new JsonArray();
            for (Row r : rows) {
                LinkHealth.Health health = HEALTH.judge(new LinkHealth.Observed(instant(r.getOffsetDateTime("created_at")),
                        r.getBoolean("link_up"), instant(r.getOffsetDateTime("last_contact_at")),
                        instant(r.getOffsetDateTime("down_since")), r.getDouble("lag_seconds")), r.getOffsetDateTime("checked_at").toInstant());
                LinkHealth.Alarm alarm = health.alarm();
                out.add(new JsonObject().put("code", r.getString("code")).put("level", r.getString("level"))
                        .put("direction", r.getString("direction")).put("url", r.getString("url"))
                        .put("scope", r.getString("scope_kind") + ":" + r.getString("scope_code"))
                        .put("configuredAt", time(r.getOffsetDateTime("created_at")))
                        .put("registeredAt", time(r.getOffsetDateTime("registered_at")))
                        .put("liveKeys", r.getLong("live_keys")).put("lastCalledAt", time(r.getOffsetDateTime("last_called_at")))
                        .put("cursor", r.getString("cursor")).put("appliedAt", time(r.getOffsetDateTime("applied_at")))
                        .put("changesApplied", r.getLong("changes_applied")).put("up", r.getBoolean("link_up"))
                        .put("state", health.state().code()).put("everConnected", health.everConnected())
                        .put("lastContactAt", time(r.getOffsetDateTime("last_contact_at")))
                        .put("downSince", health.downSince() == null ? null : health.downSince().toString())
                        .put("lastError", r.getString("last_error")).put("lastErrorAt", time(r.getOffsetDateTime("last_error_at")))
                        .put("lagChanges", r.getLong("lag_changes")).put("lagSeconds", health.lagSeconds())
                        .put("reportedLagSeconds", r.getDouble("lag_seconds"))
                        .put("conflictsWaiting", r.getLong("conflicts_waiting"))
                        .put("alarm", alarm == null ? null : new JsonObject().put("reason", alarm.reason().code())
                                .put("since", alarm.since() == null ? null : alarm.since().toString())));
            }
            return out;
        });
    }

    /** The peer {@code code}, or empty. */
    public Future<Optional<Peer>> peer(String code) {
        return owner.preparedQuery(PEER).execute(Tuple.of(code)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row r = rows.iterator().next();
            return Optional.of(new Peer(r.getString("code"), r.getString("level"), r.getString("direction"), r.getString("url"),
                    new DataScope(r.getString("scope_kind"), r.getString("scope_code")), r.getOffsetDateTime("registered_at")));
        });
    }

    /**
     * A downstream peer registers the key this node reads its feed with (and, optionally, the URL of
     * that feed): the key goes into an owner-only file, never into the database. 403 for the
     * upstream (it is read with the key it issued), 422 for a refused URL or a malformed key.
     */
    public Future<Void> register(String peerCode, String url, String key) {
        String checkedUrl;
        try {
            checkedUrl = url == null ? null : PeerUrls.check(url);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new ApiError(422, "invalid_url", e.getMessage(), new JsonObject().put("field", "url")));
        }
        if (key == null || !isKey(key) || key.length() > 100) {
            return Future.failedFuture(new ApiError(422, "invalid_key", "key must be a sync key (sync_…)",
                    new JsonObject().put("field", "key")));
        }
        return owner.preparedQuery(REGISTER_URL).execute(Tuple.of(peerCode, checkedUrl)).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(ApiError.forbidden("only a downstream peer registers here"));
            }
            try {
                SecretFiles.write(keyFile(peerCode), key);
            } catch (IOException e) {
                return Future.failedFuture(e);
            }
            return Future.succeededFuture();
        });
    }

    /** The key this node calls the downstream {@code code} with, as it registered it, or empty. */
    public Optional<String> keyFor(String code) {
        Path file = keyFile(code);
        try {
            return Files.exists(file) ? Optional.of(SecretFiles.read(file)) : Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the sync key " + file + ": " + e.getMessage(), e);
        }
    }

    private Path keyFile(String code) {
        if (!code.matches("\\d{6}|\\d{9}")) {
            throw new IllegalArgumentException("not a node code: " + code);
        }
        return secrets.resolve(code + ".key");
    }

    /** Records the configured upstream as a peer (its URL may change between starts). */
    public Future<PeerRelation> ensureUpstream(String url) {
        String code = cn.haizhu.grid.data.sync.NodeLevel.ofCode(nodeCode).flatMap(l -> l.upstreamCode(nodeCode))
                .orElseThrow(() -> new IllegalStateException("node " + nodeCode + " is a city: it has no upstream to configure"));
        PeerRelation relation = relation(code);
        return owner.preparedQuery(UPSTREAM).execute(Tuple.of(code, relation.peerLevel().name().toLowerCase(java.util.Locale.ROOT),
                PeerUrls.check(url), relation.scope().kind(), relation.scope().code())).map(rows -> relation);
    }

    /**
     * A fresh key for the upstream to read this node's feed with: the earlier ones are retired (a
     * node registers once; again only when its upstream lost the key).
     */
    public Future<String> keyForUpstream(String upstreamCode) {
        return owner.withTransaction(c -> replaceKeys(c, upstreamCode));
    }

    /** A new key for {@code code} in place of all its live ones. */
    private Future<String> replaceKeys(io.vertx.sqlclient.SqlConnection c, String code) {
        return c.preparedQuery(RETIRE_ALL_KEYS).execute(Tuple.of(code)).compose(retired -> newKey(c, code));
    }

    /** The upstream accepted this node's key. */
    public Future<Void> registered(String upstreamCode) {
        return owner.preparedQuery(REGISTERED).execute(Tuple.of(upstreamCode)).mapEmpty();
    }

    private PeerRelation relation(String code) {
        return PeerRelation.between(nodeCode, code).orElseThrow(() -> new IllegalArgumentException(code
                + " is no neighbour of this node (" + nodeCode + "): a street talks to its district, a district to its city"
                + " and its streets, a city to its districts"));
    }

    private static String time(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}

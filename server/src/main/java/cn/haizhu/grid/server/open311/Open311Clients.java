package cn.haizhu.grid.server.open311;

import cn.haizhu.grid.data.db.SqlFile;
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
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Open311 client applications (V24, {@code open311_client}) and their keys: issue (the key is
 * shown once and only its SHA-256 kept), list, revoke, and find the {@link Caller} a key acts as.
 *
 * <p>A key is no session. It is looked up here only, so it opens nothing under /api/v1 (the auth
 * handler knows only session and bearer tokens), and a session or bearer token is no key. It acts
 * as one user, for routing and data scope, with that user's permissions cut down to
 * {@link #KEY_PERMISSIONS}. Used by the admin API, the {@code gridctl open311-client} command and the
 * Open311 door.
 */
public final class Open311Clients {
    /** What a key may do at most: report a case, read cases (the Open311 door's two verbs). */
    public static final Set<String> KEY_PERMISSIONS = Set.of("cases.report", "cases.read");
    /** Marks a string as an Open311 key (so a leaked one is recognised in logs and scanners). */
    static final String KEY_PREFIX = "o311_";
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
    /**
     * How long a checked key is believed without asking the database again, as for session tokens
     * (AuthService): a key revoked here stops at once, one revoked by another process (the command
     * line, another server) within this.
     */
    static final Duration KEY_TTL = Duration.ofSeconds(5);

    /** As the owner, through the one function the request role may call (V27); it notes the last use too. */
    private static final String FIND = SqlFile.load(Open311Clients.class, "key_caller");
    private static final String INSERT = SqlFile.load(Open311Clients.class, "add_client");
    private static final String ALL = SqlFile.load(Open311Clients.class, "clients");
    private static final String ONE = SqlFile.load(Open311Clients.class, "client");
    private static final String REVOKE = SqlFile.load(Open311Clients.class, "revoke_client");

    /** The request role's pool: key lookups only. */
    private final Pool pool;
    /** The owner's pool: issuing, listing and revoking keys, which only administrators reach (users.manage). */
    private final Pool owner;
    private final SecureRandom random = new SecureRandom();
    private final Cache<ByteBuffer, Caller> callers = Caffeine.newBuilder()
            .expireAfterWrite(KEY_TTL).maximumSize(10_000).build();

    public Open311Clients(Pool requests, Pool owner) {
        this.pool = requests;
        this.owner = owner;
    }

    /** A client just made: its key, which is never shown again, and how it is listed. */
    public record Issued(String key, JsonObject client) {
    }

    /**
     * Issues a key for a new client {@code name} acting as {@code actAs}. 422 for a bad name or an
     * unknown or disabled user, 409 while a live client has the name.
     */
    public Future<Issued> create(String name, String actAs, String createdBy) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Future.failedFuture(new ApiError(422, "invalid_name", "a client name is 2-64 characters: a-z, 0-9, "
                    + "'.', '_', '-', starting with a letter or digit", new JsonObject().put("field", "name")));
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String key = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Buffer hash = Buffer.buffer(AuthService.sha256(key));
        return owner.preparedQuery(INSERT).execute(Tuple.of(name, hash, actAs, createdBy))
                .recover(e -> Future.failedFuture(e instanceof PgException pg && "23505".equals(pg.getSqlState())
                        ? new ApiError(409, "client_exists", "a live Open311 client named " + name
                                + " exists: revoke it first, or choose another name", new JsonObject().put("name", name))
                        : e))
                .compose(rows -> {
                    if (rows.size() == 0) {
                        return Future.failedFuture(new ApiError(422, "unknown_user", "no active user " + actAs
                                + " to act as", new JsonObject().put("field", "actAs")));
                    }
                    return owner.preparedQuery(ONE).execute(Tuple.of(rows.iterator().next().getLong("id")));
                })
                .map(rows -> new Issued(key, json(rows.iterator().next())));
    }

    /** Every client, live ones first: name, the user it acts as, who made it, when, last use, revocation. */
    public Future<JsonArray> list() {
        return owner.query(ALL).execute().map(rows -> {
            JsonArray out = new JsonArray();
            for (Row r : rows) {
                out.add(json(r));
            }
            return out;
        });
    }

    /** Revokes the live client {@code name}; false when there is none. Its key stops working here at once. */
    public Future<Boolean> revoke(String name) {
        return owner.preparedQuery(REVOKE).execute(Tuple.of(name)).map(rows -> {
            for (Row r : rows) {
                callers.invalidate(ByteBuffer.wrap(r.getBuffer("key_hash").getBytes()));
            }
            return rows.size() > 0;
        });
    }

    /** The caller a key acts as, or a failed future when the key is unknown, revoked, or its user disabled. */
    public Future<Caller> caller(String key) {
        byte[] hash = AuthService.sha256(key);
        ByteBuffer cacheKey = ByteBuffer.wrap(hash);
        Caller known = callers.getIfPresent(cacheKey);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return pool.preparedQuery(FIND).execute(Tuple.of(Buffer.buffer(hash))).compose(rows -> {
            if (rows.size() == 0) {
                return Future.failedFuture(ApiError.unauthorized("the api_key is unknown or revoked"));
            }
            Row r = rows.iterator().next();
            Set<String> permissions = new HashSet<>();
            for (String p : r.getArrayOfStrings("permissions")) {
                if (KEY_PERMISSIONS.contains(p)) {
                    permissions.add(p);
                }
            }
            Caller caller = new Caller(r.getLong("user_id"), r.getString("username"), "Open311：" + r.getString("name"),
                    r.getString("role"), Set.copyOf(permissions), new DataScope(r.getString("scope_kind"),
                    r.getString("scope_code")), r.getLong("worker_id"), Instant.now().plus(KEY_TTL));
            // the lookup noted the last use: at most once per KEY_TTL per key and server, the cache holds off the rest
            callers.put(cacheKey, caller);
            return Future.succeededFuture(caller);
        });
    }

    private static JsonObject json(Row r) {
        return new JsonObject().put("name", r.getString("name")).put("actAs", r.getString("acts_as"))
                .put("role", r.getString("role"))
                .put("scope", new JsonObject().put("kind", r.getString("scope_kind")).put("code", r.getString("scope_code")))
                .put("createdBy", r.getString("created_by")).put("createdAt", time(r.getOffsetDateTime("created_at")))
                .put("lastUsedAt", time(r.getOffsetDateTime("last_used_at")))
                .put("revokedAt", time(r.getOffsetDateTime("revoked_at")));
    }

    private static String time(OffsetDateTime t) {
        return t == null ? null : t.toString();
    }
}

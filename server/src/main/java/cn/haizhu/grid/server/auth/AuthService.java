package cn.haizhu.grid.server.auth;

import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.data.users.PasswordHash;
import cn.haizhu.grid.server.http.ApiError;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * Sign-in, tokens and their revocation. A token is 32 random bytes; only its SHA-256 is stored,
 * so a stolen database does not yield working tokens. Session cookies and bearer tokens are the
 * same kind of token with different lifetimes.
 */
public final class AuthService {
    public static final Duration SESSION_TTL = Duration.ofHours(12);
    public static final Duration API_TOKEN_TTL = Duration.ofHours(24);
    /** Compared against when the user name is unknown, so both paths take the same time. */
    private static final String DUMMY_HASH = PasswordHash.hash("gridctl-timing-equaliser");

    private static final String FIND_USER = """
            SELECT u.id, u.password_hash, u.disabled FROM app_user u WHERE u.username = $1""";
    private static final String INSERT_TOKEN = """
            INSERT INTO auth_token (token_hash, user_id, kind, expires_at) VALUES ($1, $2, $3, $4)""";
    private static final String FIND_CALLER = """
            SELECT u.id, u.username, u.display_name, u.role, r.permissions, u.scope_kind, u.scope_code,
                   (SELECT w.id FROM grid_worker w WHERE w.user_id = u.id AND w.active ORDER BY w.id LIMIT 1) AS worker_id
            FROM auth_token t
            JOIN app_user u ON u.id = t.user_id
            JOIN app_role r ON r.code = u.role
            WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND NOT u.disabled""";
    private static final String REVOKE = """
            UPDATE auth_token SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL""";

    /**
     * How long a checked token is believed without asking the database again. Every request is
     * authenticated; at map-tile rates (thousands a second from one wall) a query each would cap
     * cached tiles at what the database answers. The price: a token revoked or a user disabled on
     * another server instance still works here for up to this long (revocation on this instance is
     * immediate).
     */
    static final Duration CALLER_TTL = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final Pool pool;
    private final SecureRandom random = new SecureRandom();
    private final Cache<java.nio.ByteBuffer, Caller> callers = Caffeine.newBuilder()
            .expireAfterWrite(CALLER_TTL).maximumSize(100_000).build();

    public AuthService(Vertx vertx, Pool pool) {
        this.vertx = vertx;
        this.pool = pool;
    }

    public record IssuedToken(String token, OffsetDateTime expiresAt) {
    }

    /** Checks the password (off the event loop: the hash is slow on purpose) and issues a token. */
    public Future<IssuedToken> signIn(String username, String password, String kind) {
        if (username == null || password == null || username.isBlank() || password.isEmpty()) {
            return Future.failedFuture(ApiError.badRequest("missing_credentials", "username and password are required"));
        }
        return pool.preparedQuery(FIND_USER).execute(Tuple.of(username.trim()))
                .compose(rows -> {
                    Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
                    String stored = row == null ? DUMMY_HASH : row.getString("password_hash");
                    return vertx.executeBlocking(() -> PasswordHash.verify(password, stored))
                            .compose(ok -> {
                                if (!ok || row == null || row.getBoolean("disabled")) {
                                    return Future.failedFuture(ApiError.unauthorized("wrong user name or password"));
                                }
                                return issue(row.getLong("id"), kind);
                            });
                });
    }

    private Future<IssuedToken> issue(long userId, String kind) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC)
                .plus("session".equals(kind) ? SESSION_TTL : API_TOKEN_TTL).withNano(0);
        return pool.preparedQuery(INSERT_TOKEN)
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(sha256(token)), userId, kind, expires))
                .map(r -> new IssuedToken(token, expires));
    }

    /** The caller a token belongs to, or a 401 when it is unknown, expired or revoked. */
    public Future<Caller> caller(String token) {
        byte[] hash = sha256(token);
        java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(hash);
        Caller known = callers.getIfPresent(key);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return pool.preparedQuery(FIND_CALLER).execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(hash)))
                .compose(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Future.failedFuture(ApiError.unauthorized("the session or token is unknown, expired or revoked"));
                    }
                    Row r = rows.iterator().next();
                    Set<String> perms = new HashSet<>();
                    for (Object p : r.getArrayOfStrings("permissions")) {
                        perms.add((String) p);
                    }
                    Caller caller = new Caller(r.getLong("id"), r.getString("username"),
                            r.getString("display_name"), r.getString("role"), Set.copyOf(perms),
                            new DataScope(r.getString("scope_kind"), r.getString("scope_code")), r.getLong("worker_id"));
                    callers.put(key, caller);
                    return Future.succeededFuture(caller);
                });
    }

    public Future<Boolean> revoke(String token) {
        byte[] hash = sha256(token);
        java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(hash);
        callers.invalidate(key);
        // and again once revoked: a request in between may have put the caller back from the database
        return pool.preparedQuery(REVOKE).execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(hash)))
                .map(r -> {
                    callers.invalidate(key);
                    return r.rowCount() > 0;
                });
    }

    /** SHA-256 of a secret token, the form tokens and keys are stored and looked up in. */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

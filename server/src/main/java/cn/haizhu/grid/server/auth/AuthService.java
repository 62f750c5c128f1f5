package cn.haizhu.grid.server.auth;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.data.users.PasswordHash;
import cn.haizhu.grid.server.http.ApiError;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sign-in, tokens and their revocation. A token is 32 random bytes; only its SHA-256 is stored,
 * so a stolen database does not yield working tokens. Session cookies and bearer tokens are the
 * same kind of token with different lifetimes.
 *
 * <p>The request role never reads a stored password hash: the database hands out the salt, this
 * class hashes the candidate password, and the database compares and issues the token in one step
 * (V21__auth_request_role.sql). Wrong passwords are throttled ({@link SignInThrottle}). Hashing is
 * slow on purpose, so it runs on two small worker lanes of its own, one for addresses that have
 * signed in to the account before and one for the rest: a flood of bad sign-ins queues on the
 * second lane while staff at their usual desks still get in.
 */
public final class AuthService {
    public static final Duration SESSION_TTL = Duration.ofHours(12);
    public static final Duration API_TOKEN_TTL = Duration.ofHours(24);
    /** Hashes waiting per lane beyond which a sign-in is answered 429 at once instead of queueing. */
    static final int MAX_WAITING_HASHES = 8;

    private static final String START = SqlFile.load(AuthService.class, "sign_in_start");
    private static final String ATTEMPT = SqlFile.load(AuthService.class, "sign_in_attempt");
    private static final String FIND_CALLER = SqlFile.load(AuthService.class, "token_caller");
    private static final String REVOKE = SqlFile.load(AuthService.class, "revoke_token");

    /**
     * How long a checked token is believed without asking the database again. Every request is
     * authenticated; at map-tile rates (thousands a second from one wall) a query each would cap
     * cached tiles at what the database answers. A token revoked or a user disabled, changed or
     * removed on any server instance (or at the command line) is forgotten at once on every
     * instance: the database notifies the users concerned ({@code gridctl_auth}, V47; {@link
     * #forget}). This bound is what is left when a notification cannot arrive: the moments the
     * LISTEN connection is away, after which the whole cache is dropped.
     */
    static final Duration CALLER_TTL = Duration.ofSeconds(5);

    private final Pool pool;
    private final SecureRandom random = new SecureRandom();
    private final Cache<ByteBuffer, Caller> callers = Caffeine.newBuilder()
            .expireAfterWrite(CALLER_TTL).maximumSize(100_000).build();
    /**
     * Bumped each time callers are forgotten: a lookup that began before is not cached (its answer may
     * predate the revocation it raced with).
     */
    private final AtomicLong forgotten = new AtomicLong();
    private final SignInThrottle throttle = new SignInThrottle();
    private final HashLane knownLane;
    private final HashLane otherLane;

    public AuthService(Vertx vertx, Pool pool) {
        this.pool = pool;
        this.knownLane = new HashLane(vertx.createSharedWorkerExecutor("gridctl-sign-in-known", 1));
        this.otherLane = new HashLane(vertx.createSharedWorkerExecutor("gridctl-sign-in", 1));
    }

    /**
     * Forgets the cached callers of the users a {@code gridctl_auth} notification names: ids separated
     * by commas, or {@code *} for all (also when the notifications may have been missed). The server
     * relays every such notification here (CommandCenter).
     */
    public void forget(String users) {
        forgotten.incrementAndGet();
        if ("*".equals(users)) {
            callers.invalidateAll();
            return;
        }
        Set<Long> ids = new HashSet<>();
        for (String id : users.split(",")) {
            try {
                ids.add(Long.parseLong(id.strip()));
            } catch (NumberFormatException e) {
                callers.invalidateAll();   // not ours to read: forget everyone rather than too few
                return;
            }
        }
        callers.asMap().values().removeIf(caller -> ids.contains(caller.userId()));
    }

    /** Whether a {@code gridctl_auth} notification ({@link #forget}) concerns this user. */
    public static boolean concerns(String users, long userId) {
        if (users == null || "*".equals(users)) {
            return true;
        }
        String id = Long.toString(userId);
        for (String part : users.split(",")) {
            if (part.strip().equals(id)) {
                return true;
            }
        }
        return false;
    }

    public record IssuedToken(String token, OffsetDateTime expiresAt) {
    }

    /** One worker thread that hashes candidate passwords, with a bounded queue. */
    private record HashLane(WorkerExecutor executor, AtomicInteger waiting) {
        HashLane(WorkerExecutor executor) {
            this(executor, new AtomicInteger());
        }

        Future<String> hash(String password, String salt, int iterations) {
            if (waiting.incrementAndGet() > MAX_WAITING_HASHES) {
                waiting.decrementAndGet();
                return Future.failedFuture(ApiError.tooManyRequests("sign_in_busy",
                        "too many sign-ins at once; try again in a moment", 1));
            }
            return executor.<String>executeBlocking(() -> PasswordHash.candidate(password, salt, iterations), false)
                    .onComplete(done -> waiting.decrementAndGet());
        }
    }

    /**
     * Checks the password and issues a token, or fails with 400 (nothing sent), 401 (wrong user or
     * password, the same answer for both) or 429 with the seconds to wait. The throttle's counts are
     * the database's (V47), shared by every instance: one query before hashing reads the salt and the
     * waits, one after compares, counts and issues; an address the database said must wait is refused
     * here without a query until then ({@link SignInThrottle}).
     */
    public Future<IssuedToken> signIn(String username, String password, String kind, String clientAddress) {
        if (username == null || password == null || username.isBlank() || password.isEmpty()
                || username.length() > 64 || password.length() > 1024) {
            return Future.failedFuture(ApiError.badRequest("missing_credentials", "username and password are required"));
        }
        String name = username.trim();
        long now = System.currentTimeMillis();
        long addressWait = throttle.addressWait(clientAddress, now);
        if (addressWait > 0) {
            return Future.failedFuture(tooMany(addressWait));
        }
        return pool.preparedQuery(START).execute(Tuple.of(name, clientAddress)).compose(rows -> {
            Row r = rows.iterator().next();
            long addressWaitNow = r.getInteger("address_wait");
            throttle.remember(clientAddress, addressWaitNow, now);
            long wait = Math.max(addressWaitNow, r.getInteger("account_wait"));
            if (wait > 0) {
                return Future.failedFuture(tooMany(wait));
            }
            boolean known = r.getBoolean("known_address");
            return (known ? knownLane : otherLane).hash(password, r.getString("salt"), r.getInteger("iterations"))
                    .compose(candidate -> issue(name, candidate, kind, clientAddress));
        });
    }

    private static ApiError tooMany(long seconds) {
        return ApiError.tooManyRequests("too_many_sign_ins",
                "too many wrong passwords; wait " + seconds + " s before trying again", seconds);
    }

    /**
     * The token for a matching candidate hash; a 401 when the database says it does not match (and
     * counted the failure), a 429 when its throttle refused to compare (a guess that raced others).
     */
    private Future<IssuedToken> issue(String username, String candidate, String kind, String clientAddress) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        OffsetDateTime expires = OffsetDateTime.now(ZoneOffset.UTC)
                .plus("session".equals(kind) ? SESSION_TTL : API_TOKEN_TTL).withNano(0);
        return pool.preparedQuery(ATTEMPT)
                .execute(Tuple.from(new Object[] {username, candidate == null ? "" : candidate,
                        Buffer.buffer(sha256(token)), kind, expires, clientAddress}))
                .compose(rows -> {
                    Row r = rows.iterator().next();
                    if (r.getLong("signed_in_user") != null) {
                        return Future.succeededFuture(new IssuedToken(token, expires));
                    }
                    int wait = r.getInteger("wait_seconds");
                    return Future.failedFuture(wait > 0 ? tooMany(wait) : ApiError.unauthorized("wrong user name or password"));
                });
    }

    /** The caller a token belongs to, or a 401 when it is unknown, expired or revoked. */
    public Future<Caller> caller(String token) {
        ByteBuffer key = ByteBuffer.wrap(sha256(token));
        Caller known = callers.getIfPresent(key);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        long before = forgotten.get();
        return lookUp(key).compose(caller -> {
            if (caller == null) {
                return Future.failedFuture(ApiError.unauthorized("the session or token is unknown, expired or revoked"));
            }
            if (forgotten.get() == before) {
                callers.put(key, caller);
            }
            return Future.succeededFuture(caller);
        });
    }

    /**
     * Whether the token still works, asking the database (no cache): for connections that outlive
     * the request that opened them, such as the event stream.
     */
    public Future<Boolean> stillValid(String token) {
        return lookUp(ByteBuffer.wrap(sha256(token))).map(caller -> caller != null);
    }

    private Future<Caller> lookUp(ByteBuffer key) {
        return pool.preparedQuery(FIND_CALLER).execute(Tuple.of(Buffer.buffer(key.array()))).map(rows -> {
            if (!rows.iterator().hasNext()) {
                return null;
            }
            Row r = rows.iterator().next();
            Set<String> perms = new HashSet<>();
            for (Object p : r.getArrayOfStrings("permissions")) {
                perms.add((String) p);
            }
            return new Caller(r.getLong("id"), r.getString("username"), r.getString("display_name"), r.getString("role"),
                    Set.copyOf(perms), new DataScope(r.getString("scope_kind"), r.getString("scope_code")),
                    r.getLong("worker_id"), r.getOffsetDateTime("expires_at").toInstant());
        });
    }

    public Future<Boolean> revoke(String token) {
        ByteBuffer key = ByteBuffer.wrap(sha256(token));
        callers.invalidate(key);
        // and again once revoked: a request in between may have put the caller back from the database
        return pool.preparedQuery(REVOKE).execute(Tuple.of(Buffer.buffer(key.array())))
                .map(rows -> {
                    callers.invalidate(key);
                    return rows.iterator().next().getBoolean("revoked");
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

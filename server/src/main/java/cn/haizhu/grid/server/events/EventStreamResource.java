package cn.haizhu.grid.server.events;

import cn.haizhu.grid.server.auth.AuthHandler;
import cn.haizhu.grid.server.auth.AuthService;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /api/v1/events}: a Server-Sent Events stream of the events the caller may see
 * ({@link EventVisibility} decides which). {@code ?types=case.,tiles.} keeps events whose type starts
 * with one of the prefixes.
 *
 * <p>A stream outlives the request that opened it, so it is checked again: every
 * {@link #RECHECK_MS} the token is looked up afresh (not from the cache), and a stream whose token
 * was revoked, whose user was disabled or whose session expired is closed; one also closes at its
 * token's expiry. Streams are capped per user and in all ({@link #MAX_PER_USER}, {@link #MAX_TOTAL}).
 */
public final class EventStreamResource {
    /** A comment line this often keeps proxies from closing an idle stream. */
    static final long HEARTBEAT_MS = 15_000;
    /** How often an open stream's token is checked again: a revoked caller hears nothing after at most this (plus a query). */
    static final long RECHECK_MS = 30_000;
    /** {@link #RECHECK_MS}, shortened by tests that cannot wait half a minute. */
    static volatile long recheckMillis = RECHECK_MS;
    static final int MAX_PER_USER = 8;
    static final int MAX_TOTAL = 2_000;
    private final Vertx vertx;
    private final AuthService auth;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Long, AtomicInteger> openPerUser = new ConcurrentHashMap<>();

    public EventStreamResource(Vertx vertx, AuthService auth) {
        this.vertx = vertx;
        this.auth = auth;
    }

    public void stream(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        String token = AuthHandler.tokenOf(ctx);
        String typesParam = Params.text(ctx, "types");
        List<String> prefixes = typesParam == null || typesParam.isBlank() ? List.of()
                : List.of(typesParam.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).limit(20).toList();
        AtomicInteger mine = openPerUser.computeIfAbsent(caller.userId(), id -> new AtomicInteger());
        if (mine.incrementAndGet() > MAX_PER_USER | open.incrementAndGet() > MAX_TOTAL) {
            release(caller.userId(), mine);
            throw ApiError.tooManyRequests("too_many_streams", "too many open event streams; close one (another tab or"
                    + " screen) and try again", 10);
        }
        HttpServerResponse response = ctx.response()
                .setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                // compressed chunks could sit in the compressor's buffer: events must leave at once
                .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY)
                .putHeader("X-Accel-Buffering", "no");
        response.write("retry: 3000\n\n");
        MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(DatabaseEvents.ADDRESS, message -> {
            JsonObject event = message.body();
            if (EventVisibility.visible(event, caller, prefixes) && !response.closed()) {
                response.write("id: " + sequence.incrementAndGet() + "\nevent: " + event.getString("type", "message")
                        + "\ndata: " + event.encode() + "\n\n");
            }
        });
        long heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> {
            if (!response.closed()) {
                response.write(": keep-alive\n\n");
            }
        });
        long recheck = vertx.setPeriodic(recheckMillis, id -> auth.stillValid(token).onComplete(valid -> {
            if (valid.succeeded() && !valid.result()) {
                end(response);
            }
        }));
        long untilExpiry = Math.max(1, caller.expiresAt().toEpochMilli() - Instant.now().toEpochMilli());
        long expiry = vertx.setTimer(untilExpiry, id -> end(response));
        response.closeHandler(v -> {
            consumer.unregister();
            vertx.cancelTimer(heartbeat);
            vertx.cancelTimer(recheck);
            vertx.cancelTimer(expiry);
            release(caller.userId(), mine);
        });
    }

    /** Open streams now (for tests and the matrix's cap check). */
    public int openStreams() {
        return open.get();
    }

    private void release(long userId, AtomicInteger mine) {
        open.decrementAndGet();
        if (mine.decrementAndGet() <= 0) {
            openPerUser.remove(userId, mine);
        }
    }

    /** Ends the stream; the browser's EventSource reconnects and meets the 401 of a dead session. */
    private static void end(HttpServerResponse response) {
        if (!response.closed() && !response.ended()) {
            response.end();
        }
    }
}

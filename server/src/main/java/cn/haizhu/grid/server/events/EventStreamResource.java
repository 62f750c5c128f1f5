package cn.haizhu.grid.server.events;

import cn.haizhu.grid.server.auth.AuthHandler;
import cn.haizhu.grid.server.auth.AuthService;
import cn.haizhu.grid.server.auth.Caller;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.http.Params;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events}: a Server-Sent Events stream of the events the caller may see
 * ({@link EventVisibility} decides which). {@code ?types=case.,tiles.} keeps events whose type starts
 * with one of the prefixes.
 *
 * <p>Each event carries its id in the event log ({@link EventLog}): given by the database in commit
 * order, so every server instance sends the same id for the same event, in the same rising order. A
 * stream that reconnects with {@code Last-Event-ID}, to this instance or another, first gets what it
 * missed from the log, then the live events, with no gap and no repeat; one further behind than the
 * log reaches gets a {@code stream.reset} event (reload your lists) and goes on from there. A stream
 * also catches up from the log when it notices an id missing from what it heard (a notification
 * lost while the LISTEN connection was away). The heartbeat carries the id of the last event the
 * stream passed, heard or filtered out, so a page that hears nothing for a while still resumes from
 * where it was.
 *
 * <p>A stream outlives the request that opened it, so it is checked again: every
 * {@link #RECHECK_MS}, and at once when the database says the caller's tokens or account changed
 * (on any instance: {@link DatabaseEvents#AUTH_ADDRESS}), the token is looked up afresh (not from the
 * cache), and a stream whose token was revoked, whose user was disabled or whose session expired is
 * closed; one also closes at its token's expiry. Streams are capped per user and in all, per instance
 * ({@link #MAX_PER_USER}, {@link #MAX_TOTAL}).
 */
public final class EventStreamResource {
    /** A comment line this often keeps proxies from closing an idle stream. */
    static final long HEARTBEAT_MS = 15_000;
    /** How often an open stream's token is checked again: a revoked caller hears nothing after at most this (plus a query). */
    static final long RECHECK_MS = 30_000;
    /** {@link #RECHECK_MS}, shortened by tests that cannot wait half a minute. */
    static volatile long recheckMillis = RECHECK_MS;
    /**
     * A stream whose client reads slower than its events come (a page too busy to read, a stalled
     * network) would queue them in this process without end. Past this many bytes queued the stream
     * writes nothing more until the queue drains, and then reads what it skipped from the event log:
     * the log is the buffer, and the memory of a slow reader is bounded.
     */
    static final int WRITE_QUEUE_BYTES = 1 << 20;
    static final int MAX_PER_USER = 8;
    static final int MAX_TOTAL = 2_000;
    /** The event a stream gets when the log cannot give it what it missed: reload, then go on live. */
    static final String RESET = "stream.reset";
    /**
     * Published when the server stops (SIGTERM): every stream ends at once, so that the server's
     * graceful shutdown waits only for ordinary requests, and each client reconnects with its last id,
     * through the proxy to another instance.
     */
    public static final String CLOSING_ADDRESS = "gridctl.events.closing";
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamResource.class);
    private final Vertx vertx;
    private final AuthService auth;
    private final EventLog log;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Long, AtomicInteger> openPerUser = new ConcurrentHashMap<>();

    public EventStreamResource(Vertx vertx, AuthService auth, EventLog log) {
        this.vertx = vertx;
        this.auth = auth;
        this.log = log;
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
        Stream stream = new Stream(caller, prefixes, response, vertx.getOrCreateContext());
        // subscribed before the greeting and before the log is read: nothing falls between the two
        MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(DatabaseEvents.ADDRESS, m -> stream.heard(m.body()));
        MessageConsumer<Object> relistened = vertx.eventBus().consumer(DatabaseEvents.LISTENING_ADDRESS, m -> stream.catchUp());
        response.write("retry: 3000\n\n");
        stream.start(lastEventId(ctx));
        Runnable recheckNow = () -> auth.stillValid(token).onComplete(valid -> {
            if (valid.succeeded() && !valid.result()) {
                end(response);
            }
        });
        MessageConsumer<Object> closing = vertx.eventBus().consumer(CLOSING_ADDRESS, m -> end(response));
        MessageConsumer<String> accounts = vertx.eventBus().consumer(DatabaseEvents.AUTH_ADDRESS, m -> {
            if (AuthService.concerns(m.body(), caller.userId())) {
                recheckNow.run();
            }
        });
        long heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> stream.heartbeat());
        long recheck = vertx.setPeriodic(recheckMillis, id -> recheckNow.run());
        long untilExpiry = Math.max(1, caller.expiresAt().toEpochMilli() - Instant.now().toEpochMilli());
        long expiry = vertx.setTimer(untilExpiry, id -> end(response));
        // released once, whichever comes first: the connection closing, or the stream ended here (expiry, a
        // revoked token, the server stopping), after which a kept-alive connection may stay open for long
        AtomicBoolean released = new AtomicBoolean();
        Handler<Void> letGo = v -> {
            if (released.compareAndSet(false, true)) {
                consumer.unregister();
                relistened.unregister();
                closing.unregister();
                accounts.unregister();
                vertx.cancelTimer(heartbeat);
                vertx.cancelTimer(recheck);
                vertx.cancelTimer(expiry);
                release(caller.userId(), mine);
            }
        };
        response.closeHandler(letGo);
        response.endHandler(letGo);
    }

    /** The id of the last event the client saw, from a reconnecting EventSource; null when absent or not one of ours. */
    static Long lastEventId(RoutingContext ctx) {
        String value = ctx.request().getHeader("Last-Event-ID");
        if (value == null || value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(value);
    }

    /**
     * One open stream, on the context of the request that opened it (the bus consumers, the timers and
     * the log's answers all run there). {@code position} is the id of the last logged event the stream
     * passed, written or filtered out; while it catches up from the log, live events wait in {@code
     * held} and pass after it, each id once, in order.
     */
    private final class Stream {
        private final Caller caller;
        private final List<String> prefixes;
        private final HttpServerResponse response;
        private final Context context;
        private long position = -1;
        private long written = -1;
        private boolean catchingUp;
        private final List<JsonObject> held = new ArrayList<>();
        /** The write queue was full: nothing is written until it drains (then the log gives what was skipped). */
        private boolean behind;
        /** A drain came while the stream was reading the log: rewind once that read is done. */
        private boolean rewindAfter;

        Stream(Caller caller, List<String> prefixes, HttpServerResponse response, Context context) {
            this.caller = caller;
            this.prefixes = prefixes;
            this.response = response;
            this.context = context;
            response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
            response.drainHandler(v -> {
                if (behind) {
                    behind = false;
                    rewind();
                }
            });
        }

        /** Writes to the client: false when it did not (the stream ended, or its client is behind). */
        private boolean send(String text) {
            if (!open(response) || behind) {
                return false;
            }
            response.write(text);
            behind = response.writeQueueFull();
            return true;
        }

        /** Back to the last event written, and on from the log: what was skipped while the client was behind. */
        private void rewind() {
            if (catchingUp) {
                rewindAfter = true;
                return;
            }
            position = Math.min(position, written);
            catchUp();
        }

        /** From the client's last event (a reconnect), or from the log's last id (a new stream). */
        void start(Long lastSeen) {
            catchingUp = true;
            if (lastSeen != null) {
                position = lastSeen;
                replay();
                return;
            }
            log.lastId().onComplete(last -> context.runOnContext(v -> {
                if (last.failed()) {
                    failed(last.cause());
                    return;
                }
                position = last.result();
                writeId(position);
                release();
            }));
        }

        /** A live event from this instance's LISTEN connection. */
        void heard(JsonObject event) {
            if (catchingUp) {
                held.add(event);
            } else {
                pass(event);
            }
        }

        /** Reads what the stream missed from the log (unless it is already doing so, or has no place yet). */
        void catchUp() {
            if (catchingUp || position < 0) {
                return;
            }
            catchingUp = true;
            replay();
        }

        private void replay() {
            log.after(position).onComplete(missed -> context.runOnContext(v -> {
                if (missed.failed()) {
                    failed(missed.cause());
                    return;
                }
                EventLog.Missed m = missed.result();
                if (m.complete()) {
                    m.events().forEach(this::pass);
                } else {
                    reset(m.lastId());
                }
                release();
            }));
        }

        /** The events held while catching up, in order; a gap among them starts another catch-up. */
        private void release() {
            catchingUp = false;
            List<JsonObject> waiting = new ArrayList<>(held);
            held.clear();
            for (int i = 0; i < waiting.size(); i++) {
                if (catchingUp) {
                    held.addAll(waiting.subList(i, waiting.size()));
                    return;
                }
                pass(waiting.get(i));
            }
            if (rewindAfter && !catchingUp) {
                rewindAfter = false;
                rewind();
            }
        }

        private void pass(JsonObject event) {
            Long id = eventId(event);
            if (id != null) {
                if (id <= position) {
                    return;   // passed already (the log and the live stream overlap)
                }
                if (id > position + 1 && !catchingUp) {
                    held.add(event);   // one or more missing: read them from the log first
                    catchingUp = true;
                    replay();
                    return;
                }
                position = id;
            }
            if (EventVisibility.visible(event, caller, prefixes)
                    && send((id == null ? "" : "id: " + id + "\n") + "event: " + event.getString("type", "message")
                            + "\ndata: " + event.encode() + "\n\n")
                    && id != null) {
                written = id;
            }
        }

        /** Told to reload: the log no longer holds what this stream missed, or never did. */
        private void reset(long lastId) {
            LOG.debug("event stream of {} behind the log: reset to {}", caller.username(), lastId);
            position = lastId;
            if (send("id: " + lastId + "\nevent: " + RESET + "\ndata: "
                    + new JsonObject().put("type", RESET).put("event_id", lastId).encode() + "\n\n")) {
                written = lastId;
            }
        }

        void heartbeat() {
            if (!open(response)) {
                return;
            }
            // the id of the last event passed, when the client's may be older: it resumes from here
            if (send(": keep-alive\n" + (position > written ? "id: " + position + "\n" : "") + "\n")) {
                written = Math.max(written, position);
            }
        }

        private void writeId(long id) {
            if (send("id: " + id + "\n\n")) {
                written = id;
            }
        }

        /** The log could not be read: end the stream; the client reconnects with its last id, here or elsewhere. */
        private void failed(Throwable cause) {
            LOG.warn("event stream ended: the event log could not be read ({})", cause.getMessage());
            end(response);
        }
    }

    /** The event's id in the log, or null (a notification not from the log: sent on without an id). */
    private static Long eventId(JsonObject event) {
        Object id = event.getValue("event_id");
        return id instanceof Number n ? n.longValue() : null;
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
        if (open(response)) {
            response.end();
        }
    }

    /** Whether the stream still takes writes: neither its connection closed nor the stream ended here. */
    private static boolean open(HttpServerResponse response) {
        return !response.closed() && !response.ended();
    }
}

package cn.haizhu.grid.server.events;

import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.server.auth.Caller;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code GET /api/v1/events}: a Server-Sent Events stream of the events the caller may see.
 * An event about a place goes only to callers whose data scope covers it (the same rule as
 * row-level security, {@link DataScope#allows}); events with no place fields (a tile layer
 * changed) go to all.
 * {@code ?types=case.,tiles.} keeps events whose type starts with one of the prefixes.
 */
public final class EventStreamResource {
    /** A comment line this often keeps proxies from closing an idle stream. */
    static final long HEARTBEAT_MS = 15_000;
    private final Vertx vertx;
    private final AtomicLong sequence = new AtomicLong();

    public EventStreamResource(Vertx vertx) {
        this.vertx = vertx;
    }

    public void stream(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        String typesParam = ctx.request().getParam("types");
        List<String> prefixes = typesParam == null || typesParam.isBlank() ? List.of()
                : List.of(typesParam.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
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
            if (visible(event, caller.scope(), caller.workerId(), prefixes) && !response.closed()) {
                response.write("id: " + sequence.incrementAndGet() + "\nevent: " + event.getString("type", "message")
                        + "\ndata: " + event.encode() + "\n\n");
            }
        });
        long heartbeat = vertx.setPeriodic(HEARTBEAT_MS, id -> {
            if (!response.closed()) {
                response.write(": keep-alive\n\n");
            }
        });
        response.closeHandler(v -> {
            consumer.unregister();
            vertx.cancelTimer(heartbeat);
        });
    }

    static boolean visible(JsonObject event, DataScope scope, Long workerId, List<String> prefixes) {
        String type = event.getString("type", "");
        if (!prefixes.isEmpty() && prefixes.stream().noneMatch(type::startsWith)) {
            return false;
        }
        // an event that names a place (even "no street": a case outside every street) is scoped like the row
        if (!event.containsKey("street_code") && !event.containsKey("grid_code")) {
            return true;
        }
        // and a case assigned to the caller is theirs wherever it lies (the row-level rule of V15); the
        // worker it was just taken from hears of it too, so their tablet drops it at once (V17)
        return scope.allows(event.getString("street_code"), event.getString("grid_code"))
                || workerId != null && (workerId.equals(event.getLong("assignee_id"))
                                        || workerId.equals(event.getLong("previous_assignee_id")));
    }
}

package cn.haizhu.grid.server.instances;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * An event stream read as a browser's EventSource reads it, over plain Java HTTP: {@code id:}, {@code
 * event:} and {@code data:} lines, an event at each blank line, the last id kept (from an id-only
 * message too) to send as {@code Last-Event-ID} when it reconnects. One connection; {@link #ended}
 * completes when the server closes it or the connection breaks.
 */
public final class EventStreamClient implements AutoCloseable {
    /** One event: its id (null when the server sent none), type and data. */
    public record Event(Long id, String type, JsonObject data) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicReference<Stream<String>> body = new AtomicReference<>();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile String lastId;

    private EventStreamClient(String lastEventId) {
        this.lastId = lastEventId;
    }

    /**
     * Opens {@code GET /api/v1/events?types=…} at {@code baseUrl}, with {@code Last-Event-ID} when given,
     * and waits for the answer's status (an error when it is not 200).
     */
    public static EventStreamClient open(String baseUrl, String token, String types, String lastEventId) throws Exception {
        EventStreamClient client = new EventStreamClient(lastEventId);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/events" + (types == null ? "" : "?types=" + types)))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        Api.CLIENT.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines()).whenComplete((r, error) -> {
            if (error != null) {
                client.status.completeExceptionally(error);
                client.ended.complete(null);
                return;
            }
            client.status.complete(r.statusCode());
            client.body.set(r.body());
            try {
                client.read(r.body());
            } catch (RuntimeException e) {
                // the connection broke: the stream ends here as when the server closes it
            } finally {
                client.ended.complete(null);
            }
        });
        int code = client.status.get(10, TimeUnit.SECONDS);
        if (code != 200) {
            client.close();
            throw new IllegalStateException("the event stream at " + baseUrl + " answered " + code);
        }
        return client;
    }

    private void read(Stream<String> lines) {
        String[] id = {null};
        String[] type = {null};
        StringBuilder data = new StringBuilder();
        boolean[] idSeen = {false};
        lines.forEach(line -> {
            if (line.isEmpty()) {
                if (idSeen[0]) {
                    lastId = id[0];
                }
                if (data.length() > 0) {
                    // the id this message carried (the server gives one to every logged event)
                    events.add(new Event(idSeen[0] ? parse(id[0]) : null, type[0] == null ? "message" : type[0],
                            new JsonObject(data.toString())));
                }
                type[0] = null;
                data.setLength(0);
                idSeen[0] = false;
            } else if (line.startsWith("id:")) {
                id[0] = line.substring(3).strip();
                idSeen[0] = true;
            } else if (line.startsWith("event:")) {
                type[0] = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            }
        });
    }

    private static Long parse(String id) {
        return id == null || id.isEmpty() ? null : Long.parseLong(id);
    }

    /** The next event within {@code within}, or null. */
    public Event next(Duration within) throws InterruptedException {
        return events.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The last event id the stream told (what a reconnect sends as Last-Event-ID), or null. */
    public String lastId() {
        return lastId;
    }

    /** Completes when the stream ends (closed by the server, or the connection broke). */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    @Override
    public void close() {
        Stream<String> b = body.get();
        if (b != null) {
            b.close();
        }
    }
}

package cn.haizhu.grid.server.soak;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The desk (受理 and 立案) at a steady rate, as the dispatcher's intake form sends it: POST
 * /api/v1/cases with the case's id made by the client (the idempotency key; one in a hundred is sent
 * a second time, as a retry after a lost answer, and must come back 200 with the same case). Then,
 * 5–60 s later as a dispatcher gets to it, each case is worked off so the open cases stay a steady
 * few hundred: most are refused (不予立案), a share in the tablets' grids is filed and dispatched to
 * the grid's worker (whose tablet takes it from there), and a case a tablet reported done is sent
 * for checking and closed by the command desk.
 *
 * <p>Open loop: the intakes go out on the clock whether or not earlier answers came back, up to
 * {@link #MAX_IN_FLIGHT} at once (beyond that an intake is counted as not sent: the server fell behind).
 */
final class SoakDesk {
    static final int MAX_IN_FLIGHT = 256;
    static final String NOT_SENT = "intake not sent (server behind)";
    private static final List<String> CATEGORIES = List.of("SJ0101", "SJ0107", "SJ0201", "BJ0101", "SJ0301");

    private final SoakHttp.Session dispatcher;
    private final SoakHttp.Session command;
    private final SoakPlaces places;
    private final Latencies latencies;
    private final double rate;
    private final double tabletShare;
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2, daemon("soak-desk-clock"));
    private final ExecutorService senders = Executors.newFixedThreadPool(MAX_IN_FLIGHT / 4, daemon("soak-desk"));
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean stopping;

    SoakDesk(SoakHttp http, SoakPlaces places, Latencies latencies, double rate, double tabletShare) {
        this.dispatcher = http.session("dispatcher");
        this.command = http.session("command");
        this.places = places;
        this.latencies = latencies;
        this.rate = rate;
        this.tabletShare = tabletShare;
    }

    void start() {
        long periodMicros = Math.max(1, Math.round(1_000_000 / rate));
        clock.scheduleAtFixedRate(this::tick, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** Stops sending new intakes and desk work; what is in flight finishes (or times out). */
    void stop() throws InterruptedException {
        stopping = true;
        clock.shutdownNow();
        senders.shutdown();
        senders.awaitTermination(SoakHttp.TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    private void tick() {
        if (inFlight.get() >= MAX_IN_FLIGHT) {
            latencies.countAt(NOT_SENT, System.nanoTime());
            return;
        }
        inFlight.incrementAndGet();
        senders.execute(() -> {
            try {
                intake();
            } catch (RuntimeException e) {
                latencies.count("intake broken off: " + e.getClass().getSimpleName());
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    private void intake() {
        long n = sequence.incrementAndGet();
        SplittableRandom random = new SplittableRandom(n * 7919);
        boolean forTablet = random.nextDouble() < tabletShare;
        SoakPlaces.Point p = forTablet ? SoakPlaces.any(SoakPlaces.any(places.tablets, random).houses(), random)
                : SoakPlaces.any(places.district, random);
        JsonObject body = new JsonObject().put("id", UUID.randomUUID().toString()).put("source", "hotline_12345")
                .put("category", SoakPlaces.any(CATEGORIES, random)).put("urgency", "normal")
                .put("title", "压测工单 " + n).put("location", new JsonObject().put("lon", p.lon()).put("lat", p.lat()));
        HttpResponse<String> r = dispatcher.postJson("intake", "/api/v1/cases", body);
        if (r == null || r.statusCode() != 201) {
            latencies.count("intake refused " + (r == null ? "network" : r.statusCode()));
            return;
        }
        latencies.count("cases made");
        String id = body.getString("id");
        if (n % 100 == 0) {
            // the answer "was lost": the same intake again, as the desk's retry sends it
            HttpResponse<String> again = dispatcher.postJson("intake", "/api/v1/cases", body);
            boolean same = again != null && again.statusCode() == 200 && id.equals(new JsonObject(again.body()).getString("id"));
            latencies.count(same ? "intake retries answered with the same case" : "intake retries answered otherwise");
        }
        long delay = 5 + random.nextInt(56);
        later(delay, () -> {
            if (forTablet) {
                if (act(dispatcher, id, "file")) {
                    act(dispatcher, id, "dispatch");
                }
            } else {
                act(dispatcher, id, "reject");
            }
        });
    }

    /** A tablet reported the case done: 派核查 by the dispatcher, then 结案 by the command desk. */
    void checkAndClose(String id) {
        later(5, () -> {
            if (act(dispatcher, id, "start_check")) {
                act(command, id, "close");
            }
        });
    }

    private void later(long seconds, Runnable work) {
        if (stopping) {
            return;
        }
        try {
            clock.schedule(() -> senders.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    latencies.count("desk work broken off: " + e.getClass().getSimpleName());
                }
            }), seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping: the desk's work after the end is not part of the run
        }
    }

    private boolean act(SoakHttp.Session who, String id, String action) {
        HttpResponse<String> r = who.postJson("desk", "/api/v1/cases/" + id + "/actions",
                new JsonObject().put("action", action).put("clientActionId", UUID.randomUUID().toString()));
        boolean ok = r != null && r.statusCode() == 200;
        latencies.count(ok ? "desk " + action : "desk " + action + " refused " + (r == null ? "network" : r.statusCode()));
        return ok;
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

package cn.haizhu.grid.server.soak;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The grid workers' tablets, each a loop of what the tablet app does (map-web/src/tablet): at start
 * 我的 (GET /api/v1/me) and the case categories; then every period (±30 %) the task list (GET
 * /api/v1/cases?assignee=me&amp;open=true&amp;limit=200), and for up to three of its cases the case
 * itself (GET /api/v1/cases/ID) and the next of its buttons: 签收, 开始处置, then 处置反馈 with a photo
 * (POST /api/v1/attachments, multipart, the GPS stamp) and the action naming it, each action with
 * the client's id as the outbox sends it. A case reported done goes to the desk for checking.
 */
final class SoakTablets {
    /** The buttons the soak's workers press, in the order a case needs them. */
    private static final List<String> STEPS = List.of("sign", "start_handling", "feedback");
    private static final int CASES_PER_ROUND = 3;

    private final SoakHttp http;
    private final SoakPlaces places;
    private final SoakDesk desk;
    private final Latencies latencies;
    private final long periodMillis;
    private final byte[] photo;
    private final ExecutorService threads;
    private volatile boolean stopping;

    SoakTablets(SoakHttp http, SoakPlaces places, SoakDesk desk, Latencies latencies, long periodMillis, byte[] photo) {
        this.http = http;
        this.places = places;
        this.desk = desk;
        this.latencies = latencies;
        this.periodMillis = periodMillis;
        this.photo = photo;
        this.threads = Executors.newFixedThreadPool(places.tablets.size(), SoakDesk.daemon("soak-tablet"));
    }

    void start() {
        for (int i = 0; i < places.tablets.size(); i++) {
            SoakPlaces.Tablet t = places.tablets.get(i);
            long seed = i;
            threads.execute(() -> run(t, new SplittableRandom(seed)));
        }
    }

    void stop() throws InterruptedException {
        stopping = true;
        threads.shutdownNow();
        threads.awaitTermination(SoakHttp.TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    }

    private void run(SoakPlaces.Tablet tablet, SplittableRandom random) {
        SoakHttp.Session me = http.session(tablet.username());
        // the tablets come up over one period, not all in the same second
        if (!pause((long) (random.nextDouble() * periodMillis))) {
            return;
        }
        try {
            me.get("tablet", "/api/v1/me");
            me.get("tablet", "/api/v1/case-categories");
        } catch (RuntimeException e) {
            latencies.count("tablet rounds broken off: " + e.getClass().getSimpleName());
        }
        Set<String> reportedDone = ConcurrentHashMap.newKeySet();
        while (!stopping) {
            try {
                round(me, tablet, random, reportedDone);
            } catch (RuntimeException e) {
                // a tablet keeps going after an odd answer, as the app does; the count tells
                latencies.count("tablet rounds broken off: " + e.getClass().getSimpleName());
            }
            if (!pause((long) (periodMillis * (0.7 + 0.6 * random.nextDouble())))) {
                return;
            }
        }
    }

    private void round(SoakHttp.Session me, SoakPlaces.Tablet tablet, SplittableRandom random, Set<String> reportedDone) {
        HttpResponse<String> list = me.get("tablet", "/api/v1/cases?assignee=me&open=true&limit=200");
        latencies.count("tablet task lists");
        if (list == null || list.statusCode() != 200) {
            return;
        }
        JsonArray items = new JsonObject(list.body()).getJsonArray("items");
        List<String> ids = new ArrayList<>();
        for (Object o : items) {
            String id = ((JsonObject) o).getString("id");
            if (!reportedDone.contains(id)) {
                ids.add(id);
            }
        }
        // the ones closed meanwhile leave the list: forget them so the set stays small
        reportedDone.retainAll(items.stream().map(o -> ((JsonObject) o).getString("id")).toList());
        for (String id : ids.subList(0, Math.min(CASES_PER_ROUND, ids.size()))) {
            if (stopping) {
                return;
            }
            HttpResponse<String> detail = me.get("tablet", "/api/v1/cases/" + id);
            if (detail == null || detail.statusCode() != 200) {
                continue;
            }
            JsonObject c = new JsonObject(detail.body());
            List<String> offered = new ArrayList<>();
            c.getJsonArray("availableActions", new JsonArray()).forEach(a -> offered.add(((JsonObject) a).getString("action")));
            String step = STEPS.stream().filter(offered::contains).findFirst().orElse(null);
            if (step == null) {
                continue;
            }
            JsonObject body = new JsonObject().put("action", step).put("clientActionId", UUID.randomUUID().toString());
            if (step.equals("feedback")) {
                SoakPlaces.Point at = SoakPlaces.any(tablet.houses(), random);
                String photoId = UUID.randomUUID().toString();
                HttpResponse<String> up = me.postForm("tablet", "/api/v1/attachments", Map.of("id", photoId,
                        "lon", String.valueOf(at.lon()), "lat", String.valueOf(at.lat())), "photo.jpg", "image/jpeg", photo);
                boolean stored = up != null && (up.statusCode() == 201 || up.statusCode() == 200);
                latencies.count(stored ? "tablet photos" : "tablet photos refused " + (up == null ? "network" : up.statusCode()));
                body.put("comment", "已处置（压测）").put("location", new JsonObject().put("lon", at.lon()).put("lat", at.lat()));
                if (stored) {
                    body.put("attachments", new JsonArray().add(photoId));
                }
            }
            HttpResponse<String> r = me.postJson("tablet", "/api/v1/cases/" + id + "/actions", body);
            boolean ok = r != null && r.statusCode() == 200;
            latencies.count(ok ? "tablet " + step : "tablet " + step + " refused " + (r == null ? "network" : r.statusCode()));
            if (ok && step.equals("feedback")) {
                reportedDone.add(id);
                desk.checkAndClose(id);
            }
        }
    }

    /** Sleeps; false when the run is ending. */
    private boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return !stopping;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package cn.haizhu.grid.server.soak;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The data officer's import every few minutes, as the import page sends it (POST /api/v1/imports,
 * multipart: dataset houses, UTF-8, the file last), then its progress read once a second until the
 * job is done. The file is a slice of the demo's own houses.csv (the next slice each time, from the
 * top again at the end): existing houses upserted, so the rows come back unchanged and the district
 * stays the same size.
 */
final class SoakImports {
    /** One import: when it started (s since the start of the run), how long, and the job's end state. */
    record Run(long atSecond, double seconds, String status, long rowsRead, long inserted, long updated, long unchanged,
               long rejected) {
    }

    private final SoakHttp.Session officer;
    private final Path housesCsv;
    private final int rows;
    private final long everySeconds;
    private final long startNanos;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(SoakDesk.daemon("soak-import"));
    private final List<Run> runs = Collections.synchronizedList(new ArrayList<>());
    private int slice;

    SoakImports(SoakHttp http, Path housesCsv, int rows, long everySeconds, long startNanos) {
        this.officer = http.session("officer");
        this.housesCsv = housesCsv;
        this.rows = rows;
        this.everySeconds = everySeconds;
        this.startNanos = startNanos;
    }

    /** The first import a minute in (or at a third of a shorter run), then one every period. */
    void start(long runSeconds) {
        long first = Math.min(60, Math.max(10, runSeconds / 3));
        clock.scheduleWithFixedDelay(() -> {
            try {
                importOnce();
            } catch (RuntimeException e) {
                // one broken import must not end the later ones (a scheduled task that throws is never run again)
                runs.add(new Run(0, 0, "broken off: " + e, 0, 0, 0, 0, 0));
            }
        }, first, everySeconds, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
        clock.shutdownNow();
        clock.awaitTermination(30, TimeUnit.SECONDS);
    }

    List<Run> runs() {
        synchronized (runs) {
            return List.copyOf(runs);
        }
    }

    private void importOnce() {
        long t0 = System.nanoTime();
        byte[] file = nextSlice();
        HttpResponse<String> started = officer.postForm("import", "/api/v1/imports",
                Map.of("dataset", "houses", "encoding", "UTF-8", "dryRun", "false"), "房屋-压测.csv", "text/csv", file);
        if (started == null || started.statusCode() != 202) {
            runs.add(new Run((t0 - startNanos) / 1_000_000_000L, (System.nanoTime() - t0) / 1e9,
                    "refused " + (started == null ? "network" : started.statusCode() + " " + started.body()), 0, 0, 0, 0, 0));
            return;
        }
        String job = new JsonObject(started.body()).getString("id");
        JsonObject state = null;
        while (!Thread.currentThread().isInterrupted()) {
            HttpResponse<String> r = officer.get("import", "/api/v1/imports/" + job);
            if (r != null && r.statusCode() == 200) {
                state = new JsonObject(r.body());
                if (state.getBoolean("done", false)) {
                    break;
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        JsonObject s = state == null ? new JsonObject() : state;
        runs.add(new Run((t0 - startNanos) / 1_000_000_000L, (System.nanoTime() - t0) / 1e9,
                s.getString("status", "unknown") + (s.getBoolean("done", false) ? "" : " (not done at the end)"),
                s.getLong("rowsRead", 0L), s.getLong("inserted", 0L), s.getLong("updated", 0L), s.getLong("unchanged", 0L),
                s.getLong("rejected", 0L)));
    }

    /** The header and the next {@link #rows} rows of the demo's houses.csv. */
    private byte[] nextSlice() {
        try (BufferedReader in = Files.newBufferedReader(housesCsv, StandardCharsets.UTF_8)) {
            StringBuilder out = new StringBuilder(rows * 110);
            out.append(in.readLine()).append('\n');
            long skip = (long) slice * rows;
            for (long i = 0; i < skip; i++) {
                if (in.readLine() == null) {
                    slice = 0;
                    return nextSlice();
                }
            }
            int taken = 0;
            for (String line; taken < rows && (line = in.readLine()) != null; taken++) {
                out.append(line).append('\n');
            }
            slice = taken < rows ? 0 : slice + 1;
            return out.toString().getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

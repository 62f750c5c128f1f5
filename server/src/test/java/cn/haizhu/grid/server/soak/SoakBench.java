package cn.haizhu.grid.server.soak;

import cn.haizhu.grid.server.attachments.ImageCheckTest;
import cn.haizhu.grid.server.web.SoakWall;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The soak of issue 18 (bench/soak starts the server on the full-scale district and runs this): for
 * SOAK_MINUTES the whole load at once, then stops by itself and says whether anything grew.
 * <ul>
 *   <li>one map wall open in headless Chromium, receiving the case events, moved now and then ({@link SoakWall});</li>
 *   <li>SOAK_TABLETS grid workers' tablets working their task lists ({@link SoakTablets});</li>
 *   <li>intake at SOAK_RATE a second with idempotency keys, and the desk working the cases off ({@link SoakDesk});</li>
 *   <li>an import of existing houses every SOAK_IMPORT_EVERY minutes ({@link SoakImports}).</li>
 * </ul>
 * Every SOAK_SAMPLE seconds a look at the server ({@link SoakSampler}: samples.csv); the response
 * times per 10 s (latency.csv, per minute); at the end the verdict ({@link SoakVerdict}: summary.md),
 * and with SOAK_PLOTS=DIR the plots as SVG there. Exits 1 when something grew.
 * Not a test: a program ({@code main(baseUrl, password, runDir)}), its other settings from the environment.
 */
public final class SoakBench {
    private SoakBench() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String password = args[1];
        Path run = Path.of(args[2]);
        Files.createDirectories(run);
        double minutes = number("SOAK_MINUTES", 30);
        double rate = number("SOAK_RATE", 20);
        int tabletCount = (int) number("SOAK_TABLETS", 50);
        double tabletEvery = number("SOAK_TABLET_EVERY", 10);
        double tabletShare = number("SOAK_TABLET_SHARE", 0.05);
        double importEvery = number("SOAK_IMPORT_EVERY", 5);
        int importRows = (int) number("SOAK_IMPORT_ROWS", 20_000);
        double sampleEvery = number("SOAK_SAMPLE", 10);
        double wallMoveEvery = number("SOAK_WALL_MOVE", 2);
        // the warm-up left out of the verdict: a tenth of the run, at least 30 s, at most 5 minutes
        double warmup = Math.min(300, Math.max(30, minutes * 6));
        long pid = Long.parseLong(System.getenv("SOAK_SERVER_PID"));
        String plots = System.getenv().getOrDefault("SOAK_PLOTS", "");

        Connection db = DriverManager.getConnection(System.getenv("SOAK_DB_URL"), "gridctl", System.getenv("SOAK_DB_PASSWORD"));
        SoakPlaces places = SoakPlaces.prepare(db, tabletCount, password);
        System.out.printf(Locale.ROOT, "load: 1 wall, %d tablets (every %.0f s), intake %.0f/s (%.0f %% to the tablets' grids), "
                        + "an import of %,d houses every %.0f min; %.0f min, samples every %.0f s, warm-up %.0f s%n",
                places.tablets.size(), tabletEvery, rate, tabletShare * 100, importRows, importEvery, minutes, sampleEvery, warmup);
        byte[] photo = Files.readAllBytes(ImageCheckTest.photo(run, "photo.jpg", "jpg", 1024, 768));

        SoakWall wall = SoakWall.open(base, "command", password);
        long start = System.nanoTime();
        Latencies latencies = new Latencies(start);
        SoakHttp http = new SoakHttp(base, password, latencies);
        SoakSampler sampler = new SoakSampler(http, db, pid, wall, latencies, start, run.resolve("samples.csv"));
        SoakDesk desk = new SoakDesk(http, places, latencies, rate, tabletShare);
        SoakTablets tablets = new SoakTablets(http, places, desk, latencies, (long) (tabletEvery * 1000), photo);
        SoakImports imports = new SoakImports(http, Path.of(System.getenv("SOAK_HOUSES_CSV")), importRows,
                (long) (importEvery * 60), start);

        ScheduledExecutorService looks = Executors.newSingleThreadScheduledExecutor(SoakDesk.daemon("soak-sampler"));
        long moveEverySamples = Math.max(1, Math.round(wallMoveEvery * 60 / sampleEvery));
        // a full collection of the server's heap every 5 minutes (every sixth of a shorter run), and a last one at the end
        long fullGcEverySamples = Math.max(1, Math.round(Math.min(300, minutes * 10) / sampleEvery));
        long[] n = {0};
        looks.scheduleAtFixedRate(() -> {
            try {
                SoakSampler.Sample s = sampler.sample(n[0] % fullGcEverySamples == 0);
                if (++n[0] % moveEverySamples == 0) {
                    sampler.moveWall();
                }
                if (n[0] % Math.max(1, Math.round(60 / sampleEvery)) == 0) {
                    System.out.printf(Locale.ROOT, "  %5.1f min: heap %.0f MB (after GC %.0f), rss %.0f MB, %d files, %d connections, "
                                    + "%.0f streams, wall %s, %,d cases%n", s.second() / 60, s.heapUsedMb(), s.heapAfterGcMb(), s.rssMb(),
                            s.openFiles(), s.dbConnections(), s.eventStreams(), s.wallLive(), s.casesMade());
                }
            } catch (RuntimeException | Error e) {
                // a look that fails must not end the looks (a scheduled task that throws is never run again)
                System.out.println("  sample failed: " + e);
            }
        }, 0, (long) (sampleEvery * 1000), TimeUnit.MILLISECONDS);
        desk.start();
        tablets.start();
        imports.start((long) (minutes * 60));

        Thread.sleep((long) (minutes * 60_000));
        looks.shutdown();
        looks.awaitTermination(60, TimeUnit.SECONDS);
        sampler.sample(true);
        double end = (System.nanoTime() - start) / 1e9;
        desk.stop();
        tablets.stop();
        imports.stop();
        sampler.close();
        sampler.screenshotWall("soak-wall-end");
        sampler.closeWall();
        String wallClosed = closeWall(wall);

        writeLatencies(latencies, run.resolve("latency.csv"));
        SoakVerdict verdict = new SoakVerdict(sampler.samples(), latencies, warmup, end);
        verdict.level("live heap after a full GC (MB)", "", SoakSampler.Sample::liveHeapMb, SoakVerdict.HEAP_GROWTH, SoakVerdict.HEAP_FLOOR_MB);
        verdict.info("old gen after the last GC (MB)", "", SoakSampler.Sample::heapAfterGcMb);
        verdict.info("heap used (MB)", "", SoakSampler.Sample::heapUsedMb);
        verdict.level("server RSS (MB)", "", SoakSampler.Sample::rssMb, SoakVerdict.RSS_GROWTH, SoakVerdict.RSS_FLOOR_MB);
        verdict.level("open files of the server", "", s -> s.openFiles(), SoakVerdict.FILES_GROWTH, SoakVerdict.FILES_FLOOR);
        verdict.connections();
        verdict.streams(1);
        verdict.wall(sampler.busyLooks(), sampler.samples().size());
        verdict.info("wall: page JS heap (MB)", "", SoakSampler.Sample::wallJsHeapMb);
        verdict.info("wall: case markers drawn", "", s -> s.wallCases());
        verdict.responseTimes("intake", true);
        verdict.responseTimes("tablet", true);
        verdict.responseTimes("desk", false);
        verdict.intakeRate(rate);
        verdict.noneAfterWarmup("intakes not sent (server behind)", SoakDesk.NOT_SENT);
        verdict.none("intake retries answered otherwise", latencies.total("intake retries answered otherwise"));
        verdict.imports(imports.runs());
        verdict.none("CSP reports of the wall page", wallClosed == null ? 0 : 1);

        String table = verdict.table();
        System.out.println();
        System.out.printf(Locale.ROOT, "soak: %.1f min, warm-up %.0f s left out, thirds of %.1f min compared%n", end / 60, warmup,
                (end - warmup) / 180);
        System.out.print(table);
        System.out.println("counts: " + latencies.counts());
        for (SoakImports.Run r : imports.runs()) {
            System.out.printf(Locale.ROOT, "import at %d s: %s in %.1f s, %,d rows read, %,d inserted, %,d updated, %,d unchanged, %,d rejected%n",
                    r.atSecond(), r.status(), r.seconds(), r.rowsRead(), r.inserted(), r.updated(), r.unchanged(), r.rejected());
        }
        if (wallClosed != null) {
            System.out.println("wall: " + wallClosed);
        }
        try (PrintWriter md = new PrintWriter(Files.newBufferedWriter(run.resolve("summary.md"), StandardCharsets.UTF_8))) {
            md.print(verdict.markdown());
            md.println();
            md.println("counts: " + latencies.counts());
        }
        if (!plots.isBlank()) {
            plot(Path.of(plots), sampler.samples(), latencies, warmup, end);
            System.out.println("plots: " + plots + "/soak-*.svg");
        }
        System.out.println(verdict.ok() ? "soak: flat, every check held" : "soak: SOMETHING GREW OR FAILED (see the table)");
        db.close();
        System.exit(verdict.ok() ? 0 : 1);
    }

    /**
     * Closes the wall, waiting at most a minute (a page busy drawing may not answer the driver):
     * null when it closed clean, else what went wrong (the page's CSP reports, or the wait).
     */
    private static String closeWall(SoakWall wall) throws InterruptedException {
        java.util.concurrent.ExecutorService t = Executors.newSingleThreadExecutor(SoakDesk.daemon("soak-wall-close"));
        try {
            t.submit(wall::close).get(60, TimeUnit.SECONDS);
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause() instanceof AssertionError ? e.getCause().getMessage() : null;
        } catch (java.util.concurrent.TimeoutException e) {
            SoakWall.forceQuit();
            System.out.println("wall: the browser did not close within a minute; ended");
            return null;
        } finally {
            t.shutdownNow();
        }
    }

    /** Per minute and kind: requests, p50, p99, failed answers. */
    private static void writeLatencies(Latencies latencies, Path csv) throws IOException {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            out.println("minute,kind,requests,p50_ms,p99_ms,failed");
            int per = 60 / Latencies.SLOT_SECONDS;
            for (String kind : latencies.kinds()) {
                List<Integer> slots = latencies.slots(kind);
                int last = slots.isEmpty() ? -1 : slots.get(slots.size() - 1) / per;
                for (int m = 0; m <= last; m++) {
                    long[] t = latencies.sorted(kind, m * per, (m + 1) * per);
                    out.printf(Locale.ROOT, "%d,%s,%d,%.0f,%.0f,%d%n", m, kind, t.length, Latencies.quantile(t, 0.5),
                            Latencies.quantile(t, 0.99), latencies.failures(kind, m * per, (m + 1) * per));
                }
            }
        }
    }

    /** The plots: memory, open files and connections, event streams, response times per minute. */
    private static void plot(Path dir, List<SoakSampler.Sample> samples, Latencies latencies, double warmup, double end)
            throws IOException {
        Files.createDirectories(dir);
        double third = (end - warmup) / 3;
        double[] first = {warmup / 60, (warmup + third) / 60};
        double[] last = {(end - third) / 60, end / 60};
        double[] x = samples.stream().mapToDouble(s -> s.second() / 60).toArray();
        Files.writeString(dir.resolve("soak-heap.svg"), new SvgLineChart("Soak: server memory", "MB").thirds(first, last)
                .line("heap used", x, samples.stream().mapToDouble(SoakSampler.Sample::heapUsedMb).toArray())
                .line("old gen after the last GC", x, samples.stream().mapToDouble(SoakSampler.Sample::heapAfterGcMb).toArray())
                .line("live heap after a full GC", x, samples.stream().mapToDouble(SoakSampler.Sample::liveHeapMb).toArray())
                .line("RSS", x, samples.stream().mapToDouble(SoakSampler.Sample::rssMb).toArray()).svg());
        Files.writeString(dir.resolve("soak-resources.svg"), new SvgLineChart("Soak: open files and database connections",
                "count").thirds(first, last)
                .line("open files", x, samples.stream().mapToDouble(s -> s.openFiles()).toArray())
                .line("DB connections", x, samples.stream().mapToDouble(s -> s.dbConnections()).toArray())
                .line("pools' max", x, samples.stream().mapToDouble(SoakSampler.Sample::poolMax).toArray()).svg());
        Files.writeString(dir.resolve("soak-streams.svg"), new SvgLineChart("Soak: event streams open at the server (the wall's)",
                "streams").thirds(first, last)
                .line("event streams", x, samples.stream().mapToDouble(SoakSampler.Sample::eventStreams).toArray()).svg());
        int per = 60 / Latencies.SLOT_SECONDS;
        int minutes = (int) Math.ceil(end / 60);
        SvgLineChart times = new SvgLineChart("Soak: client-side response times per minute", "ms").thirds(first, last);
        for (String kind : List.of("intake", "tablet")) {
            double[] mx = new double[minutes];
            double[] p50 = new double[minutes];
            double[] p99 = new double[minutes];
            for (int m = 0; m < minutes; m++) {
                long[] t = latencies.sorted(kind, m * per, (m + 1) * per);
                mx[m] = m + 0.5;
                p50[m] = Latencies.quantile(t, 0.5);
                p99[m] = Latencies.quantile(t, 0.99);
            }
            times.line(kind + " p50", mx, p50).line(kind + " p99", mx, p99);
        }
        Files.writeString(dir.resolve("soak-latency.svg"), times.svg());
    }

    private static double number(String name, double fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Double.parseDouble(v);
    }

}

package cn.haizhu.grid.server.soak;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.server.web.SoakWall;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * One look at the server every sample period: its heap (used now, and the old generation after the
 * last collection, from /metrics), its resident memory and open files (/proc of its process), the
 * client connections to its database (pg_stat_activity), the event streams it holds open and its
 * pools' sizes (/metrics), and what the open wall shows. Each look is a row of samples.csv, written
 * at once, so a run that dies still leaves what it saw.
 */
final class SoakSampler {
    private static final String CONNECTIONS = SqlFile.load(SoakSampler.class, "connections");
    static final int WALL_WAIT_SECONDS = 5;

    /** One look; -1 where a source did not answer. */
    record Sample(double second, double heapUsedMb, double heapAfterGcMb, double liveHeapMb, double rssMb, long openFiles, long dbConnections,
                  double poolInUse, double poolMax, double eventStreams, String wallLive, long wallPulses, double wallJsHeapMb,
                  long wallCases, long casesMade) {
        static final String HEADER = "second,heap_used_mb,heap_after_gc_mb,live_heap_mb,rss_mb,open_files,db_connections,pool_in_use,"
                + "pool_max,event_streams,wall_live,wall_pulses,wall_js_heap_mb,wall_cases,cases_made";

        String csv() {
            return String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.1f,%.1f,%d,%d,%.0f,%.0f,%.0f,%s,%d,%.1f,%d,%d", second, heapUsedMb,
                    heapAfterGcMb, liveHeapMb, rssMb, openFiles, dbConnections, poolInUse, poolMax, eventStreams, wallLive, wallPulses,
                    wallJsHeapMb, wallCases, casesMade);
        }
    }

    private final SoakHttp http;
    private final Connection db;
    private final long pid;
    private final SoakWall wall;
    private final Latencies latencies;
    private final long startNanos;
    private final PrintWriter out;
    private final List<Sample> samples = new ArrayList<>();
    private final ExecutorService wallThread = Executors.newSingleThreadExecutor(SoakDesk.daemon("soak-wall"));
    private Future<SoakWall.Look> wallLook;
    private SoakWall.Look lastLook = new SoakWall.Look("", 0, -1, -1);
    private long busyLooks;

    SoakSampler(SoakHttp http, Connection db, long pid, SoakWall wall, Latencies latencies, long startNanos, Path csv) {
        this.http = http;
        this.db = db;
        this.pid = pid;
        this.wall = wall;
        this.latencies = latencies;
        this.startNanos = startNanos;
        try {
            this.out = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println(Sample.HEADER);
        out.flush();
    }

    /**
     * One look; with fullGc the server first collects its whole heap ({@code jcmd PID GC.run}, as an
     * operator would), and the heap used right after is what is alive: the one figure that grows only
     * with a leak. The old generation "after GC" between full collections climbs with garbage that
     * young collections promoted until a concurrent cycle runs, which may be never in half an hour.
     */
    Sample sample(boolean fullGc) {
        double live = -1;
        if (fullGc && fullGc()) {
            String after = http.metrics();
            live = after == null ? -1 : sum(after, "jvm_memory_used_bytes{area=\"heap\"") / 1048576.0;
        }
        double second = (System.nanoTime() - startNanos) / 1e9;
        String m = http.metrics();
        double heapUsed = m == null ? -1 : sum(m, "jvm_memory_used_bytes{area=\"heap\"") / 1048576.0;
        double afterGc = m == null ? -1
                : sum(m, "jvm_memory_usage_after_gc{area=\"heap\",pool=\"long-lived\"}") * sum(m, "jvm_gc_max_data_size_bytes") / 1048576.0;
        double inUse = m == null ? -1 : sum(m, "gridctl_db_pool_in_use{");
        double poolMax = m == null ? -1 : sum(m, "gridctl_db_pool_max{");
        double streams = m == null ? -1 : sum(m, "gridctl_events_streams_open");
        SoakWall.Look look = lookAtWall();
        Sample s = new Sample(second, heapUsed, afterGc, live, rssMb(), openFiles(), connections(), inUse, poolMax, streams,
                look.live(), look.pulses(), look.jsHeapBytes() < 0 ? -1 : look.jsHeapBytes() / 1048576.0, look.cases(),
                latencies.total("cases made"));
        samples.add(s);
        out.println(s.csv());
        out.flush();
        return s;
    }

    /**
     * The wall's look, waited for at most {@link #WALL_WAIT_SECONDS}: a page busy drawing answers the
     * driver only when it gets to it, and the server's figures must not wait for that. A look still
     * under way is not asked again; meanwhile the wall reads "busy" with the last figures it gave.
     */
    private SoakWall.Look lookAtWall() {
        if (wallLook == null || wallLook.isDone()) {
            wallLook = wallThread.submit(wall::look);
        }
        try {
            lastLook = wallLook.get(WALL_WAIT_SECONDS, TimeUnit.SECONDS);
            return lastLook;
        } catch (TimeoutException e) {
            busyLooks++;
            return new SoakWall.Look("busy", lastLook.pulses(), lastLook.jsHeapBytes(), lastLook.cases());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.openqa.selenium.TimeoutException) {
                busyLooks++; // the driver gave up waiting for the page: busy, not gone
                return new SoakWall.Look("busy", lastLook.pulses(), lastLook.jsHeapBytes(), lastLook.cases());
            }
            return new SoakWall.Look("gone: " + e.getCause().getClass().getSimpleName(), lastLook.pulses(), -1, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return lastLook;
        }
    }

    /** Moves the wall (on its own thread, after any look under way). */
    void moveWall() {
        wallThread.execute(wall::move);
    }

    /** A last screenshot of the wall, waited for at most a minute. */
    void screenshotWall(String name) {
        try {
            wallThread.submit(() -> wall.screenshot(name)).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            System.out.println("  wall screenshot: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Looks at the wall that did not answer within {@link #WALL_WAIT_SECONDS}. */
    long busyLooks() {
        return busyLooks;
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    void close() {
        out.close();
    }

    void closeWall() {
        wallThread.shutdownNow();
    }

    /** The sum of the values of every series whose line starts with prefix (all label sets of it). */
    static double sum(String metrics, String prefix) {
        double total = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith(prefix)) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    private boolean fullGc() {
        try {
            Process p = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private double rssMb() {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0).orElse(-1.0);
        } catch (IOException e) {
            return -1;
        }
    }

    private long openFiles() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private long connections() {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(CONNECTIONS)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }
}

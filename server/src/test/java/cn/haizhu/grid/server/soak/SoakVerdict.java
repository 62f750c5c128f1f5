package cn.haizhu.grid.server.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Flat or not: after the warm-up, the run is cut in thirds and the last third is held against the
 * first, each measure with a stated limit. Levels (heap, resident memory, open files, connections) are
 * compared by their median over the third, so one sample caught mid-collection does not decide;
 * response times by the p99 of every request in the third. A relative limit alone would fail a run
 * on noise where the values are small (8 ms to 13 ms is +60 %), so each also needs an absolute rise.
 */
final class SoakVerdict {
    /** One row of the table. */
    record Row(String measure, String first, String last, String limit, boolean ok) {
    }

    /** The limits, stated once (docs/BENCHMARKS.md quotes them). */
    static final double HEAP_GROWTH = 1.20;
    static final double HEAP_FLOOR_MB = 32;
    static final double RSS_GROWTH = 1.25;
    static final double RSS_FLOOR_MB = 128;
    static final double FILES_GROWTH = 1.10;
    static final double FILES_FLOOR = 5;
    /**
     * Connections beyond the reactive pools: the JDBC pool for bulk work (4), the event listener, the
     * key-ring watch, and on a node with peers the sync pullers' lease (sync/PullLease).
     */
    static final int CONNECTIONS_BEYOND_POOLS = 7;
    static final double P99_GROWTH = 1.5;
    static final double P99_FLOOR_MS = 20;
    static final double FAILURE_SHARE = 0.001;
    static final double RATE_SHARE = 0.95;

    final List<Row> rows = new ArrayList<>();
    private final List<SoakSampler.Sample> first;
    private final List<SoakSampler.Sample> last;
    private final List<SoakSampler.Sample> judged;
    private final List<SoakSampler.Sample> all;
    private final Latencies latencies;
    private final int[] firstSlots;
    private final int[] lastSlots;
    private final int[] judgedSlots;

    SoakVerdict(List<SoakSampler.Sample> samples, Latencies latencies, double warmupSeconds, double endSeconds) {
        this.latencies = latencies;
        double third = (endSeconds - warmupSeconds) / 3;
        all = List.copyOf(samples);
        judged = samples.stream().filter(s -> s.second() >= warmupSeconds).toList();
        first = judged.stream().filter(s -> s.second() < warmupSeconds + third).toList();
        last = judged.stream().filter(s -> s.second() >= endSeconds - third).toList();
        int from = (int) Math.ceil(warmupSeconds / Latencies.SLOT_SECONDS);
        int to = (int) Math.floor(endSeconds / Latencies.SLOT_SECONDS);
        int n = Math.max(1, (to - from) / 3);
        firstSlots = new int[] {from, from + n};
        lastSlots = new int[] {to - n, to};
        judgedSlots = new int[] {from, to};
    }

    boolean ok() {
        return rows.stream().allMatch(Row::ok);
    }

    /** A level that must not grow: medians of the thirds, last ≤ first × growth or within floor of it. */
    void level(String measure, String unit, ToDoubleFunction<SoakSampler.Sample> value, double growth, double floor) {
        double a = median(first, value);
        double b = median(last, value);
        // no reading in a third (a source that did not answer) is no proof of flatness
        boolean ok = !Double.isNaN(a) && !Double.isNaN(b) && !(b > a * growth && b - a > floor);
        rows.add(new Row(measure, fmt(a) + unit, fmt(b) + unit,
                String.format(Locale.ROOT, "≤ +%.0f %% or ≤ +%s%s", (growth - 1) * 100, fmt(floor), unit), ok));
    }

    /** A level shown for the record, with no limit (it moves with the load by design). */
    void info(String measure, String unit, ToDoubleFunction<SoakSampler.Sample> value) {
        rows.add(new Row(measure, fmt(median(first, value)) + unit, fmt(median(last, value)) + unit, "(shown, not judged)", true));
    }

    /** The database connections: never more than the pools can open plus the dedicated ones. */
    void connections() {
        double ceiling = judged.stream().mapToDouble(SoakSampler.Sample::poolMax).max().orElse(0) + CONNECTIONS_BEYOND_POOLS;
        double most = judged.stream().mapToDouble(SoakSampler.Sample::dbConnections).max().orElse(-1);
        boolean reached = judged.stream().allMatch(s -> s.dbConnections() >= 0);
        rows.add(new Row("DB connections (median; max " + fmt(most) + ")", fmt(median(first, SoakSampler.Sample::dbConnections)),
                fmt(median(last, SoakSampler.Sample::dbConnections)), "max ≤ pools' max + " + CONNECTIONS_BEYOND_POOLS + " = "
                + fmt(ceiling), reached && most <= ceiling));
    }

    /** The open event streams: exactly the walls open, at every sample after the warm-up. */
    void streams(int expected) {
        double lo = judged.stream().mapToDouble(SoakSampler.Sample::eventStreams).min().orElse(-1);
        double hi = judged.stream().mapToDouble(SoakSampler.Sample::eventStreams).max().orElse(-1);
        rows.add(new Row("open event streams (min–max)", range(first, SoakSampler.Sample::eventStreams),
                range(last, SoakSampler.Sample::eventStreams), "= " + expected + " at every sample", lo == expected && hi == expected));
    }

    /**
     * The wall: its stream never seen down after the warm-up (a look the busy page did not answer in
     * time says nothing either way, and is counted), seen open in each third, pulses arriving in each.
     */
    void wall(long busyLooks, long looks) {
        boolean neverDown = judged.stream().allMatch(s -> "open".equals(s.wallLive()) || "busy".equals(s.wallLive()));
        long firstPulses = pulses(first);
        long lastPulses = pulses(last);
        rows.add(new Row("wall: case pulses drawn in the third", String.valueOf(firstPulses), String.valueOf(lastPulses),
                "> 0 in both", firstPulses > 0 && lastPulses > 0));
        rows.add(new Row("wall: stream seen down (after the warm-up)", neverDown ? "never" : "at " + SoakVerdict.fmt(
                judged.stream().filter(s -> !"open".equals(s.wallLive()) && !"busy".equals(s.wallLive())).findFirst()
                        .map(s -> s.second() / 60).orElse(0.0)) + " min", "", "never", neverDown));
        rows.add(new Row("wall: looks the page did not answer in " + SoakSampler.WALL_WAIT_SECONDS + " s", busyLooks + " of " + looks,
                "", "(shown, not judged)", true));
    }

    /** A kind's p50 (shown) and p99 (judged) over every request of the third, and its failures after the warm-up. */
    void responseTimes(String kind, boolean judgedP99) {
        long[] a = latencies.sorted(kind, firstSlots[0], firstSlots[1]);
        long[] b = latencies.sorted(kind, lastSlots[0], lastSlots[1]);
        rows.add(new Row(kind + " p50 (" + a.length + " / " + b.length + " requests)", fmt(Latencies.quantile(a, 0.5)) + " ms",
                fmt(Latencies.quantile(b, 0.5)) + " ms", "(shown, not judged)", true));
        double p99a = Latencies.quantile(a, 0.99);
        double p99b = Latencies.quantile(b, 0.99);
        boolean ok = !judgedP99 || a.length > 0 && b.length > 0 && !(p99b > p99a * P99_GROWTH && p99b - p99a > P99_FLOOR_MS);
        rows.add(new Row(kind + " p99", fmt(p99a) + " ms", fmt(p99b) + " ms", judgedP99
                ? String.format(Locale.ROOT, "≤ %.1f× or ≤ +%s ms", P99_GROWTH, fmt(P99_FLOOR_MS)) : "(shown, not judged)", ok));
        long all = latencies.sorted(kind, judgedSlots[0], judgedSlots[1]).length;
        long failed = latencies.failures(kind, judgedSlots[0], judgedSlots[1]);
        rows.add(new Row(kind + " failed answers (after warm-up)", failed + " of " + all, "",
                String.format(Locale.ROOT, "≤ %.1f %%", FAILURE_SHARE * 100), all > 0 && failed <= all * FAILURE_SHARE));
    }

    /** The intake kept its rate: cases made per second after the warm-up against the rate asked. */
    void intakeRate(double asked) {
        double a = rate(first);
        double b = rate(last);
        rows.add(new Row("cases made per second", fmt(a), fmt(b),
                String.format(Locale.ROOT, "≥ %.0f %% of %s", RATE_SHARE * 100, fmt(asked)), a >= asked * RATE_SHARE && b >= asked * RATE_SHARE));
    }

    /** A count kept per slot ({@link Latencies#countAt}) that must be zero after the warm-up; the whole run's shown beside. */
    void noneAfterWarmup(String measure, String name) {
        long after = latencies.total(name, judgedSlots[0], judgedSlots[1] + 1);
        rows.add(new Row(measure + " (whole run " + latencies.total(name) + ")", String.valueOf(after), "", "= 0 after the warm-up",
                after == 0));
    }

    /** A count that must be zero (intake retries answered otherwise, intakes not sent…). */
    void none(String measure, long count) {
        rows.add(new Row(measure, String.valueOf(count), "", "= 0", count == 0));
    }

    /** Every import that ran ended succeeded, and there was at least one. */
    void imports(List<SoakImports.Run> runs) {
        long good = runs.stream().filter(r -> r.status().equals("succeeded")).count();
        String times = runs.stream().map(r -> fmt(r.seconds()) + " s").reduce((x, y) -> x + ", " + y).orElse("none");
        rows.add(new Row("imports succeeded (" + times + ")", good + " of " + runs.size(), "", "all, at least one",
                !runs.isEmpty() && good == runs.size()));
    }

    String table() {
        String[] head = {"measure", "first third", "last third", "limit", "verdict"};
        int[] w = Arrays.stream(head).mapToInt(String::length).toArray();
        for (Row r : rows) {
            w[0] = Math.max(w[0], r.measure().length());
            w[1] = Math.max(w[1], r.first().length());
            w[2] = Math.max(w[2], r.last().length());
            w[3] = Math.max(w[3], r.limit().length());
        }
        StringBuilder sb = new StringBuilder();
        String f = "  %-" + w[0] + "s  %" + w[1] + "s  %" + w[2] + "s  %-" + w[3] + "s  %s%n";
        sb.append(String.format(Locale.ROOT, f, (Object[]) head));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, f, r.measure(), r.first(), r.last(), r.limit(), r.ok() ? "flat" : "GREW / FAILED"));
        }
        return sb.toString();
    }

    /** The table as Markdown, for docs/BENCHMARKS.md. */
    String markdown() {
        StringBuilder sb = new StringBuilder("| measure | first third | last third | limit | verdict |\n| --- | ---: | ---: | --- | --- |\n");
        for (Row r : rows) {
            sb.append("| ").append(r.measure()).append(" | ").append(r.first()).append(" | ").append(r.last()).append(" | ")
                    .append(r.limit()).append(" | ").append(r.ok() ? "flat" : "**grew / failed**").append(" |\n");
        }
        return sb.toString();
    }

    /** Pulses the wall counted during the third: its last count in the third against the last one before it. */
    private long pulses(List<SoakSampler.Sample> third) {
        if (third.isEmpty()) {
            return 0;
        }
        double from = third.get(0).second();
        long before = all.stream().filter(s -> s.second() < from).mapToLong(SoakSampler.Sample::wallPulses).max()
                .orElse(third.get(0).wallPulses());
        return third.stream().mapToLong(SoakSampler.Sample::wallPulses).max().orElse(0) - before;
    }

    private static double rate(List<SoakSampler.Sample> third) {
        if (third.size() < 2) {
            return 0;
        }
        SoakSampler.Sample a = third.get(0);
        SoakSampler.Sample b = third.get(third.size() - 1);
        return (b.casesMade() - a.casesMade()) / (b.second() - a.second());
    }

    static double median(List<SoakSampler.Sample> samples, ToDoubleFunction<SoakSampler.Sample> value) {
        double[] v = samples.stream().mapToDouble(value).filter(x -> x >= 0).sorted().toArray();
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String range(List<SoakSampler.Sample> samples, ToDoubleFunction<SoakSampler.Sample> value) {
        double lo = samples.stream().mapToDouble(value).min().orElse(Double.NaN);
        double hi = samples.stream().mapToDouble(value).max().orElse(Double.NaN);
        return fmt(lo) + "–" + fmt(hi);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return Math.abs(v - Math.rint(v)) < 1e-9 || Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.1f", v);
    }
}

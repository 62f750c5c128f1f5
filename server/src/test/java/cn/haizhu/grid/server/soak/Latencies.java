package cn.haizhu.grid.server.soak;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client-side response times of the soak, per kind of request (intake, tablet, desk, import) and
 * per slot of {@link #SLOT_SECONDS} since the start, as the clients saw them (send to whole answer
 * read). Kept whole (a 24-hour run at 20 intakes and ~25 other requests a second is ~4 M numbers of
 * 8 bytes): percentiles over any span are then exact, not merged estimates.
 */
final class Latencies {
    /** Slots of this many seconds: a short run still has thirds to compare. */
    static final int SLOT_SECONDS = 10;

    /** One slot of one kind: the times in ms and the answers that were not a success. */
    static final class Slot {
        private long[] ms = new long[256];
        private int n;
        private long failures;

        synchronized void add(long millis, boolean ok) {
            if (n == ms.length) {
                ms = Arrays.copyOf(ms, n * 2);
            }
            ms[n++] = millis;
            if (!ok) {
                failures++;
            }
        }

        synchronized long[] times() {
            return Arrays.copyOf(ms, n);
        }

        synchronized long failures() {
            return failures;
        }
    }

    private final long startNanos;
    private final Map<String, Map<Integer, Slot>> byKind = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, AtomicLong>> bySlot = new ConcurrentHashMap<>();

    Latencies(long startNanos) {
        this.startNanos = startNanos;
    }

    /** The slot since the start that a moment (System.nanoTime) falls in. */
    int slotOf(long nanos) {
        return (int) ((nanos - startNanos) / (SLOT_SECONDS * 1_000_000_000L));
    }

    void record(String kind, long sentNanos, boolean ok) {
        long now = System.nanoTime();
        byKind.computeIfAbsent(kind, k -> new ConcurrentHashMap<>())
                .computeIfAbsent(slotOf(sentNanos), m -> new Slot()).add((now - sentNanos) / 1_000_000, ok);
    }

    /** A named count (cases made, replays answered alike, actions taken…), for the summary. */
    void count(String name) {
        counts.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    }

    /** A named count kept per slot too, so the verdict can leave the warm-up out. */
    void countAt(String name, long nanos) {
        count(name);
        bySlot.computeIfAbsent(name, k -> new ConcurrentHashMap<>()).computeIfAbsent(slotOf(nanos), k -> new AtomicLong())
                .incrementAndGet();
    }

    /** A count kept with {@link #countAt} over the slots [from, to). */
    long total(String name, int from, int to) {
        return sum(bySlot.getOrDefault(name, Map.of()), from, to, AtomicLong::get);
    }

    /** The sum of a figure of each slot in [from, to) that has one. */
    private static <T> long sum(Map<Integer, T> slots, int from, int to, java.util.function.ToLongFunction<T> figure) {
        long n = 0;
        for (int m = from; m < to; m++) {
            T slot = slots.get(m);
            n += slot == null ? 0 : figure.applyAsLong(slot);
        }
        return n;
    }

    long total(String name) {
        AtomicLong c = counts.get(name);
        return c == null ? 0 : c.get();
    }

    Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    List<String> kinds() {
        List<String> out = new ArrayList<>(byKind.keySet());
        out.sort(null);
        return out;
    }

    /** The slots of a kind that saw requests, in order. */
    List<Integer> slots(String kind) {
        List<Integer> out = new ArrayList<>(byKind.getOrDefault(kind, Map.of()).keySet());
        out.sort(null);
        return out;
    }

    /** Every time of a kind in the slots [from, to), sorted. */
    long[] sorted(String kind, int from, int to) {
        Map<Integer, Slot> slots = byKind.getOrDefault(kind, Map.of());
        long[][] parts = new long[Math.max(0, to - from)][];
        int total = 0;
        for (int m = from; m < to; m++) {
            Slot slot = slots.get(m);
            parts[m - from] = slot == null ? new long[0] : slot.times();
            total += parts[m - from].length;
        }
        long[] all = new long[total];
        int at = 0;
        for (long[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        Arrays.sort(all);
        return all;
    }

    long failures(String kind, int from, int to) {
        return sum(byKind.getOrDefault(kind, Map.of()), from, to, Slot::failures);
    }

    /** The q-quantile (0..1) of sorted times, nearest rank; NaN when there are none. */
    static double quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }
}

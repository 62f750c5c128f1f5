package cn.haizhu.grid.data.cases;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** A half-open stretch of time [start, end), such as a suspension (缓办) of a case. */
public record TimeInterval(Instant start, Instant end) {
    public TimeInterval {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("interval ends (" + end + ") before it starts (" + start + ")");
        }
    }

    public Duration length() {
        return Duration.between(start, end);
    }

    /** The intervals sorted by start, with overlapping or touching ones merged and empty ones dropped. */
    static List<TimeInterval> normalise(List<TimeInterval> intervals) {
        List<TimeInterval> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparing(TimeInterval::start));
        List<TimeInterval> out = new ArrayList<>();
        for (TimeInterval i : sorted) {
            if (i.start().equals(i.end())) {
                continue;
            }
            TimeInterval last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && !i.start().isAfter(last.end())) {
                out.set(out.size() - 1, new TimeInterval(last.start(), max(last.end(), i.end())));
            } else {
                out.add(i);
            }
        }
        return out;
    }

    static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}

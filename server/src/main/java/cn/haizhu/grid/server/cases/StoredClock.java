package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.cases.CaseClock;
import cn.haizhu.grid.data.cases.TimeInterval;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CaseClock} to and from the {@code clock_*} columns of {@code civic_case}: the clock is
 * restored from the row, moved on by the transition's effect in Java, and written back with the
 * deadline the working calendar gives it.
 */
final class StoredClock {
    private StoredClock() {
    }

    static CaseClock of(Row r) {
        Instant started = instant(r.getOffsetDateTime("clock_started_at"));
        if (started == null) {
            return CaseClock.NOT_STARTED;
        }
        List<TimeInterval> pauses = new ArrayList<>();
        for (Object o : new JsonArray(r.getString("clock_pauses"))) {
            JsonObject p = (JsonObject) o;
            pauses.add(new TimeInterval(Instant.parse(p.getString("start")), Instant.parse(p.getString("end"))));
        }
        return new CaseClock(started, Duration.ofSeconds(r.getLong("clock_limit_s")),
                Duration.ofSeconds(r.getLong("clock_extended_s")), pauses,
                instant(r.getOffsetDateTime("clock_paused_since")), instant(r.getOffsetDateTime("clock_stopped_at")));
    }

    static String pausesJson(CaseClock clock) {
        JsonArray a = new JsonArray();
        for (TimeInterval p : clock.pauses()) {
            a.add(new JsonObject().put("start", p.start().toString()).put("end", p.end().toString()));
        }
        return a.encode();
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime time(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}

package cn.haizhu.grid.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A request budget per user for an endpoint that costs the database something on every call: a token
 * bucket of {@code burst} requests, refilled at {@code perSecond}. Within it a person at a screen never
 * notices it (a search box sends a few requests a second at most while typing); past it, a script that
 * walks the data is answered 429 with {@code Retry-After}, the seconds until its next request would pass.
 * Kept in memory per server instance; buckets of users who stopped asking are dropped.
 */
public final class RequestBudget {
    private final String what;
    private final double burst;
    private final double perNano;
    private final LongSupplier nanoTime;
    private final Cache<Long, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

    /** The tokens left and when they were last counted. */
    private static final class Bucket {
        double tokens;
        long at;
    }

    /** @param what the endpoint, for the error message ("search") */
    public RequestBudget(String what, int burst, double perSecond) {
        this(what, burst, perSecond, System::nanoTime);
    }

    RequestBudget(String what, int burst, double perSecond, LongSupplier nanoTime) {
        this.what = what;
        this.burst = burst;
        this.perNano = perSecond / 1e9;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes one request from {@code user}'s budget; past it, sets {@code Retry-After} on the response
     * and throws the 429 (the request's failure handler answers it in the one error format).
     */
    public void charge(RoutingContext ctx, long user) {
        long waitNanos = take(user);
        if (waitNanos > 0) {
            long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
            ctx.response().putHeader("Retry-After", Long.toString(seconds));
            throw new ApiError(429, "too_many_requests", "too many " + what + " requests: try again in " + seconds + " s",
                    new JsonObject().put("retryAfterSeconds", seconds));
        }
    }

    /** 0 when the request may go (a token is taken), else the nanoseconds until one may. */
    long take(long user) {
        Bucket b = buckets.get(user, k -> {
            Bucket fresh = new Bucket();
            fresh.tokens = burst;
            fresh.at = nanoTime.getAsLong();
            return fresh;
        });
        synchronized (b) {
            long now = nanoTime.getAsLong();
            b.tokens = Math.min(burst, b.tokens + (now - b.at) * perNano);
            b.at = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - b.tokens) / perNano);
        }
    }
}

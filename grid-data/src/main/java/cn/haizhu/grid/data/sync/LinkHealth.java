package cn.haizhu.grid.data.sync;

import cn.haizhu.grid.data.codes.Coded;
import java.time.Duration;
import java.time.Instant;

/**
 * How one link of the exchange stands, judged from what this node recorded of its pulls (docs/SYNC.md,
 * "Operations"): current, lagging, down or not connected, how far behind it is, and whether it raises
 * the alarm of the "1+18" network: <b>down for more than 5 minutes, or behind by more than 1 minute</b>.
 * One rule, for the wall and {@code ./gridctl sync status} alike.
 *
 * <p><b>The lag is honest.</b> A puller records the lag it saw when a batch was applied; a link that
 * has gone silent since would go on showing that small number. A healthy link answers at least once
 * per long-poll, so silence up to {@code quietAllowed} (the longest a healthy pull may take) changes
 * nothing; past it, this node knows nothing newer than its last contact, and the lag is the lag of that
 * contact plus all the time since. A link that is down is as far behind as its silence, likewise.
 *
 * <p>A link that is down alarms by how long it has been down, not by its lag: a restart or a short
 * network cut (minutes) is no alarm even though nothing flows meanwhile; lag alarms only a link that
 * is up and falling behind (or silent without saying so). A peer configured but never reached counts
 * as down since it was configured. An area below this node with no peer configured at all is not
 * connected (未接入): not part of the network yet, so never an alarm.
 */
public final class LinkHealth {
    /** A link down for longer than this raises the alarm. */
    public static final Duration DOWN_ALARM_AFTER = Duration.ofMinutes(5);
    /** A link behind by more than this many seconds raises the alarm. */
    public static final double LAG_ALARM_SECONDS = 60;
    /** A link behind by more than this many seconds is shown lagging before it alarms. */
    public static final double LAGGING_SECONDS = 10;

    /** The link's colour on the wall. */
    public enum State implements Coded {
        /** up, and at most {@link #LAGGING_SECONDS} behind */
        CURRENT,
        /** up, but further behind */
        LAGGING,
        /** its last pull failed, or it was never reached */
        DOWN,
        /** no peer configured for it (未接入) */
        NOT_CONNECTED
    }

    /** Why a link alarms. */
    public enum Reason implements Coded {
        /** down for more than {@link #DOWN_ALARM_AFTER} */
        DOWN,
        /** configured more than {@link #DOWN_ALARM_AFTER} ago and never reached */
        NEVER_CONNECTED,
        /** up, but more than {@link #LAG_ALARM_SECONDS} behind */
        LAG
    }

    /**
     * What this node recorded of a configured link: when the peer was configured, whether its last
     * pull succeeded, the last success (null: never), the first failure of the current outage (null
     * while up), and the lag the last success saw in seconds (null: not recorded).
     */
    public record Observed(Instant configuredAt, boolean up, Instant lastContactAt, Instant downSince, Double reportedLagSeconds) {
    }

    /** An alarm: its reason and, for a link down or never reached, since when. */
    public record Alarm(Reason reason, Instant since) {
    }

    /**
     * The verdict: the state, whether the link was ever reached, its honest lag in seconds (null when
     * nothing ever came over it), since when it is down (null while up) and its alarm (null: none).
     */
    public record Health(State state, boolean everConnected, Double lagSeconds, Instant downSince, Alarm alarm) {
        /** An area below with no peer configured. */
        public static final Health NOT_CONNECTED = new Health(State.NOT_CONNECTED, false, null, null, null);
    }

    private final Duration quietAllowed;

    /** @param quietAllowed the longest a healthy pull may go without an answer (its long-poll and its timeout) */
    public LinkHealth(Duration quietAllowed) {
        if (quietAllowed.isNegative()) {
            throw new IllegalArgumentException("quietAllowed must not be negative: " + quietAllowed);
        }
        this.quietAllowed = quietAllowed;
    }

    /** The health of a configured link at {@code now}. */
    public Health judge(Observed link, Instant now) {
        if (link.lastContactAt() == null) {
            Instant since = link.configuredAt();
            Alarm alarm = longerThan(since, now, DOWN_ALARM_AFTER) ? new Alarm(Reason.NEVER_CONNECTED, since) : null;
            return new Health(State.DOWN, false, null, since, alarm);
        }
        double reported = link.reportedLagSeconds() == null ? 0 : Math.max(0, link.reportedLagSeconds());
        double silence = seconds(link.lastContactAt(), now);
        if (!link.up()) {
            Instant since = link.downSince() != null ? link.downSince() : link.lastContactAt();
            Alarm alarm = longerThan(since, now, DOWN_ALARM_AFTER) ? new Alarm(Reason.DOWN, since) : null;
            return new Health(State.DOWN, true, reported + silence, since, alarm);
        }
        double lag = silence > quietAllowed.toMillis() / 1000.0 ? reported + silence : reported;
        State state = lag > LAGGING_SECONDS ? State.LAGGING : State.CURRENT;
        return new Health(state, true, lag, null, lag > LAG_ALARM_SECONDS ? new Alarm(Reason.LAG, null) : null);
    }

    private static boolean longerThan(Instant since, Instant now, Duration limit) {
        return since != null && Duration.between(since, now).compareTo(limit) > 0;
    }

    /** Seconds from {@code from} to {@code to}, never below zero (clocks of two processes may differ slightly). */
    private static double seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis() / 1000.0);
    }
}

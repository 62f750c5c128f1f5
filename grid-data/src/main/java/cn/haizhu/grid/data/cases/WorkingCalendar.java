package cn.haizhu.grid.data.cases;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The working-time calendar that case deadlines run on (工作时间): working hours on working days,
 * in Asia/Shanghai by default. A day is a working day if the {@link HolidaySchedule} says
 * workday (调休上班), else not if it says holiday, else if its weekday is a working weekday.
 *
 * <p>Deadlines are "N working hours after dispatch": {@link #addWorkingTime} walks forward through
 * working periods, skipping nights, lunch breaks, weekends and holidays, and skipping intervals
 * given as excluded (a suspended case's clock stands still, 缓办不计时). {@link #workingTimeBetween}
 * is the inverse: how much working time lies between two instants.
 *
 * <p>Limits: a schedule covers only the years listed in its file; beyond them every weekday counts
 * as working. A search for working time gives up after {@value #MAX_DAYS} days without finding
 * enough, which only a calendar with (almost) no working days reaches.
 */
public final class WorkingCalendar {
    /** The time zone of the district. */
    public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** How far {@link #addWorkingTime} looks ahead before deciding the calendar has no working time. */
    public static final int MAX_DAYS = 3660;

    /** One working period of a day, such as 08:30–12:00. */
    public record Period(LocalTime start, LocalTime end) {
        public Period {
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("working period must start before it ends: " + start + "-" + end);
            }
        }

        /** Parses {@code 08:30-12:00}. */
        public static Period parse(String text) {
            String[] p = text.strip().split("-");
            if (p.length != 2) {
                throw new IllegalArgumentException("working period '" + text + "' must look like 08:30-12:00");
            }
            try {
                return new Period(LocalTime.parse(p[0].strip()), LocalTime.parse(p[1].strip()));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("working period '" + text + "' must look like 08:30-12:00", e);
            }
        }

        public Duration length() {
            return Duration.between(start, end);
        }
    }

    /** Mon–Fri 08:30–12:00 and 14:00–18:00, the hours of Guangzhou's government offices. */
    public static final List<Period> DEFAULT_HOURS = List.of(Period.parse("08:30-12:00"), Period.parse("14:00-18:00"));
    /** Monday to Friday. */
    public static final Set<DayOfWeek> DEFAULT_WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

    private final List<Period> hours;
    private final Set<DayOfWeek> weekdays;
    private final HolidaySchedule schedule;
    private final ZoneId zone;

    private WorkingCalendar(List<Period> hours, Set<DayOfWeek> weekdays, HolidaySchedule schedule, ZoneId zone) {
        this.hours = hours;
        this.weekdays = weekdays;
        this.schedule = schedule;
        this.zone = zone;
    }

    /** The default: {@link #DEFAULT_HOURS}, {@link #DEFAULT_WEEKDAYS}, {@link HolidaySchedule#china()}, Asia/Shanghai. */
    public static WorkingCalendar standard() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sets up a calendar; each setter checks its input. */
    public static final class Builder {
        private List<Period> hours = DEFAULT_HOURS;
        private Set<DayOfWeek> weekdays = DEFAULT_WEEKDAYS;
        private HolidaySchedule schedule;
        private ZoneId zone = SHANGHAI;

        private Builder() {
        }

        /**
         * The working periods of a working day, in order and not overlapping.
         *
         * @throws IllegalArgumentException if empty, out of order or overlapping
         */
        public Builder hours(List<Period> periods) {
            if (periods.isEmpty()) {
                throw new IllegalArgumentException("a working day needs at least one working period");
            }
            List<Period> sorted = new ArrayList<>(periods);
            sorted.sort(Comparator.comparing(Period::start));
            for (int i = 1; i < sorted.size(); i++) {
                if (sorted.get(i).start().isBefore(sorted.get(i - 1).end())) {
                    throw new IllegalArgumentException("working periods overlap: " + sorted.get(i - 1) + " and " + sorted.get(i));
                }
            }
            this.hours = List.copyOf(sorted);
            return this;
        }

        /** The working periods as text: {@code "08:30-12:00,14:00-18:00"}. */
        public Builder hours(String periods) {
            List<Period> list = new ArrayList<>();
            for (String p : periods.split(",")) {
                list.add(Period.parse(p));
            }
            return hours(list);
        }

        /** The days of the week that are working days unless the schedule says otherwise. */
        public Builder weekdays(Set<DayOfWeek> days) {
            this.weekdays = days.isEmpty() ? EnumSet.noneOf(DayOfWeek.class) : EnumSet.copyOf(days);
            return this;
        }

        public Builder schedule(HolidaySchedule schedule) {
            this.schedule = Objects.requireNonNull(schedule);
            return this;
        }

        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone);
            return this;
        }

        public WorkingCalendar build() {
            return new WorkingCalendar(hours, weekdays, schedule == null ? HolidaySchedule.china() : schedule, zone);
        }
    }

    public ZoneId zone() {
        return zone;
    }

    public List<Period> hours() {
        return hours;
    }

    /** The working time of one full working day (7.5 hours by default). */
    public Duration workingDayLength() {
        return hours.stream().map(Period::length).reduce(Duration.ZERO, Duration::plus);
    }

    /** Whether {@code date} is a working day: 调休上班 days are, holidays are not, else its weekday decides. */
    public boolean isWorkingDay(LocalDate date) {
        return schedule.day(date)
                .map(d -> d.kind() == HolidaySchedule.Kind.WORKDAY)
                .orElse(weekdays.contains(date.getDayOfWeek()));
    }

    /** Whether {@code instant} falls within working hours of a working day. */
    public boolean isWorkingTime(Instant instant) {
        LocalDate day = instant.atZone(zone).toLocalDate();
        if (!isWorkingDay(day)) {
            return false;
        }
        for (Period p : hours) {
            if (!instant.isBefore(at(day, p.start())) && instant.isBefore(at(day, p.end()))) {
                return true;
            }
        }
        return false;
    }

    /** {@link #addWorkingTime(Instant, Duration, List)} with nothing excluded. */
    public Instant addWorkingTime(Instant start, Duration amount) {
        return addWorkingTime(start, amount, List.of());
    }

    /**
     * The instant at which {@code amount} of working time has passed since {@code start}, not
     * counting working time inside the {@code excluded} intervals. Adding zero gives {@code start}
     * itself; a deadline that ends exactly at the end of a period (12:00) stays there rather than
     * moving to the start of the next one.
     *
     * @throws IllegalArgumentException if {@code amount} is negative
     * @throws IllegalStateException if no such instant lies within {@value #MAX_DAYS} days
     */
    public Instant addWorkingTime(Instant start, Duration amount, List<TimeInterval> excluded) {
        if (amount.isNegative()) {
            throw new IllegalArgumentException("cannot add negative working time " + amount);
        }
        if (amount.isZero()) {
            return start;
        }
        List<TimeInterval> ex = TimeInterval.normalise(excluded);
        Duration left = amount;
        LocalDate day = start.atZone(zone).toLocalDate();
        for (int i = 0; i < MAX_DAYS; i++, day = day.plusDays(1)) {
            for (TimeInterval piece : workingPieces(day, start, null, ex)) {
                Duration len = piece.length();
                if (left.compareTo(len) <= 0) {
                    return piece.start().plus(left);
                }
                left = left.minus(len);
            }
        }
        throw new IllegalStateException("no " + amount + " of working time within " + MAX_DAYS + " days after " + start);
    }

    /** {@link #workingTimeBetween(Instant, Instant, List)} with nothing excluded. */
    public Duration workingTimeBetween(Instant from, Instant to) {
        return workingTimeBetween(from, to, List.of());
    }

    /**
     * The working time in [{@code from}, {@code to}) outside the {@code excluded} intervals.
     *
     * @throws IllegalArgumentException if {@code to} is before {@code from}
     */
    public Duration workingTimeBetween(Instant from, Instant to, List<TimeInterval> excluded) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("interval ends (" + to + ") before it starts (" + from + ")");
        }
        List<TimeInterval> ex = TimeInterval.normalise(excluded);
        Duration sum = Duration.ZERO;
        LocalDate last = to.atZone(zone).toLocalDate();
        for (LocalDate day = from.atZone(zone).toLocalDate(); !day.isAfter(last); day = day.plusDays(1)) {
            for (TimeInterval piece : workingPieces(day, from, to, ex)) {
                sum = sum.plus(piece.length());
            }
        }
        return sum;
    }

    /** The working time of {@code day} within [notBefore, notAfter) minus the excluded intervals, in order. */
    private List<TimeInterval> workingPieces(LocalDate day, Instant notBefore, Instant notAfter, List<TimeInterval> ex) {
        if (!isWorkingDay(day)) {
            return List.of();
        }
        List<TimeInterval> out = new ArrayList<>();
        for (Period p : hours) {
            Instant s = TimeInterval.max(at(day, p.start()), notBefore);
            Instant e = notAfter == null ? at(day, p.end()) : TimeInterval.min(at(day, p.end()), notAfter);
            Instant cursor = s;
            for (TimeInterval x : ex) {
                if (!x.end().isAfter(cursor)) {
                    continue;
                }
                if (!x.start().isBefore(e)) {
                    break;
                }
                if (x.start().isAfter(cursor)) {
                    out.add(new TimeInterval(cursor, x.start()));
                }
                cursor = TimeInterval.max(cursor, x.end());
            }
            if (cursor.isBefore(e)) {
                out.add(new TimeInterval(cursor, e));
            }
        }
        return out;
    }

    private Instant at(LocalDate day, LocalTime time) {
        return day.atTime(time).atZone(zone).toInstant();
    }
}

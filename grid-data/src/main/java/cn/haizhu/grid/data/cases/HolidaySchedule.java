package cn.haizhu.grid.data.cases;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Dates that break the weekly rhythm: public holidays (放假) and adjusted working days (调休上班,
 * such as a Saturday worked to make a long holiday). China publishes them a year at a time, so
 * they are data, not code: a CSV of {@code date,kind,name} lines, kind {@code holiday} or
 * {@code workday}, {@code #} comments allowed. {@link #china()} is the file shipped in
 * {@code reference/cases/holidays-cn.csv} (2026).
 */
public final class HolidaySchedule {
    /** What a listed date is. */
    public enum Kind {
        HOLIDAY, WORKDAY
    }

    /** A listed date. */
    public record Day(LocalDate date, Kind kind, String name) {
    }

    /** No listed dates: every week is an ordinary week. */
    public static final HolidaySchedule NONE = new HolidaySchedule(Map.of());

    private static final String RESOURCE = "/reference/cases/holidays-cn.csv";
    private static final String HEADER = "date,kind,name";

    private final Map<LocalDate, Day> days;

    private HolidaySchedule(Map<LocalDate, Day> days) {
        this.days = Collections.unmodifiableMap(new TreeMap<>(days));
    }

    /** The schedule shipped with the project (China, 2026). */
    public static HolidaySchedule china() {
        InputStream in = HolidaySchedule.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("reference file " + RESOURCE + " is not on the classpath");
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return read(r, "holidays-cn.csv");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The given dates. @throws IllegalArgumentException if a date is listed twice */
    public static HolidaySchedule of(List<Day> days) {
        Map<LocalDate, Day> map = new TreeMap<>();
        for (Day d : days) {
            if (map.put(d.date(), d) != null) {
                throw new IllegalArgumentException("date " + d.date() + " is listed twice");
            }
        }
        return new HolidaySchedule(map);
    }

    /**
     * Reads a schedule file. Every bad line is reported, each with its line number, in one
     * exception, so that an admin who replaced the file can fix it in one go.
     *
     * @param source the file name used in messages
     * @throws IllegalArgumentException listing the problems
     */
    public static HolidaySchedule read(Reader reader, String source) throws IOException {
        BufferedReader in = new BufferedReader(reader);
        Map<LocalDate, Day> map = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        boolean headerSeen = false;
        int lineNo = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            String text = line.strip();
            if (lineNo == 1 && text.startsWith("\uFEFF")) {
                text = text.substring(1);
            }
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            if (!headerSeen) {
                headerSeen = true;
                if (!text.equals(HEADER)) {
                    problems.add(source + " line " + lineNo + ": header is '" + text + "', expected '" + HEADER + "'");
                }
                continue;
            }
            String[] f = text.split(",", -1);
            if (f.length != 3) {
                problems.add(source + " line " + lineNo + ": expected 3 fields (date,kind,name), found " + f.length);
                continue;
            }
            LocalDate date;
            try {
                date = LocalDate.parse(f[0].strip());
            } catch (DateTimeParseException e) {
                problems.add(source + " line " + lineNo + ": '" + f[0] + "' is not a date like 2026-10-01");
                continue;
            }
            Optional<Kind> kind = switch (f[1].strip()) {
                case "holiday" -> Optional.of(Kind.HOLIDAY);
                case "workday" -> Optional.of(Kind.WORKDAY);
                default -> Optional.empty();
            };
            if (kind.isEmpty()) {
                problems.add(source + " line " + lineNo + ": kind '" + f[1] + "' must be holiday or workday");
                continue;
            }
            if (map.put(date, new Day(date, kind.get(), f[2].strip())) != null) {
                problems.add(source + " line " + lineNo + ": " + date + " is listed twice");
            }
        }
        if (!headerSeen) {
            problems.add(source + ": no header line '" + HEADER + "'");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new HolidaySchedule(map);
    }

    /** The listed entry for {@code date}, if any. */
    public Optional<Day> day(LocalDate date) {
        return Optional.ofNullable(days.get(date));
    }

    /** All listed dates in date order. */
    public List<Day> days() {
        return List.copyOf(days.values());
    }
}

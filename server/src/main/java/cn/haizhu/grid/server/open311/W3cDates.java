package cn.haizhu.grid.server.open311;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * GeoReport's dates: W3C date-times (a profile of ISO 8601). Clients send what their libraries make:
 * FixMyStreet's DateTime::Format::W3CDTF writes {@code 2026-08-21T14:32:56Z} for UTC, an offset
 * ({@code +01:00}) otherwise and none at all for a floating time; W3C also allows a date alone. A time
 * without an offset is read in the district's zone (Asia/Shanghai), a date alone as its first moment
 * there. Answers carry the offset, to the second, in the district's zone.
 */
final class W3cDates {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX");

    private W3cDates() {
    }

    /** The date-time {@code v} for the parameter {@code name}, or null when absent; a 400 refusal when malformed. */
    static OffsetDateTime parse(String v, String name) {
        if (v == null || v.isBlank()) {
            return null;
        }
        String s = v.strip().replace(' ', '+');   // a '+' sent unescaped in a query string arrives as a space
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            // not with an offset: a floating time or a date alone
        }
        try {
            return LocalDateTime.parse(s).atZone(ZONE).toOffsetDateTime();
        } catch (DateTimeParseException e) {
            // not a time
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZONE).toOffsetDateTime();
        } catch (DateTimeParseException e) {
            throw new Refusal(400, name + " must be a W3C date-time, e.g. 2026-11-28T09:00:00+08:00 or 2026-11-28T01:00:00Z");
        }
    }

    /** {@code t} as answers show it: in the district's zone, to the second, with its offset; null stays null. */
    static String format(OffsetDateTime t) {
        return t == null ? null : t.atZoneSameInstant(ZONE).format(OUT);
    }
}

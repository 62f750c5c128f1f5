package cn.haizhu.grid.importers.demo;

import cn.haizhu.grid.data.codes.IdNumber;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands out GB 11643 ID numbers that are unique within one run. For each region, birth date and
 * gender a counter walks through the 499 sequence numbers in a scrambled order, so numbers look
 * random but never repeat; in the rare case that a day is used up the birth date moves on a day.
 */
final class IdNumbers {
    private static final LocalDate EPOCH = LocalDate.of(1900, 1, 1);
    private static final int DAYS = 50_000; // 1900 to 2036
    private static final int PER_DAY = 499; // prime, so any step below it walks through all of them

    private final Map<String, short[]> used = new HashMap<>();
    private final char[] buffer = new char[17];

    /** A new ID number for someone born in {@code region} on {@code birth}, odd sequence for men. */
    String next(String region, LocalDate birth, boolean male) {
        short[] counters = used.computeIfAbsent(region, r -> new short[DAYS * 2]);
        int day = (int) (birth.toEpochDay() - EPOCH.toEpochDay());
        while (counters[day * 2 + (male ? 1 : 0)] >= PER_DAY) {
            day++;
        }
        int k = counters[day * 2 + (male ? 1 : 0)]++;
        int offset = (day * 31 + region.hashCode()) & 0x7fffffff;
        int idx = 1 + (int) ((k * 173L + offset) % PER_DAY); // 1..499, never 0, so the sequence is never 000
        int sequence = (idx / 5) * 10 + (idx % 5) * 2 + (male ? 1 : 0);
        LocalDate date = EPOCH.plusDays(day);
        region.getChars(0, 6, buffer, 0);
        int y = date.getYear();
        int m = date.getMonthValue();
        int d = date.getDayOfMonth();
        buffer[6] = (char) ('0' + y / 1000);
        buffer[7] = (char) ('0' + y / 100 % 10);
        buffer[8] = (char) ('0' + y / 10 % 10);
        buffer[9] = (char) ('0' + y % 10);
        buffer[10] = (char) ('0' + m / 10);
        buffer[11] = (char) ('0' + m % 10);
        buffer[12] = (char) ('0' + d / 10);
        buffer[13] = (char) ('0' + d % 10);
        buffer[14] = (char) ('0' + sequence / 100);
        buffer[15] = (char) ('0' + sequence / 10 % 10);
        buffer[16] = (char) ('0' + sequence % 10);
        String first17 = new String(buffer);
        return first17 + IdNumber.checkChar(first17);
    }
}

package cn.haizhu.grid.data.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkingCalendarTest {
    private static final WorkingCalendar CAL = WorkingCalendar.standard();

    /** Beijing time, written as in the notices: "2026-03-06T16:00". */
    static Instant bj(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(WorkingCalendar.SHANGHAI).toInstant();
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        // same morning
        "2026-03-09T09:00 | PT2H    | 2026-03-09T11:00",
        // across the lunch break 12:00-14:00
        "2026-03-09T11:00 | PT2H    | 2026-03-09T15:00",
        // ends exactly at noon: stays at 12:00, not 14:00
        "2026-03-09T11:00 | PT1H    | 2026-03-09T12:00",
        // starts in the lunch break: counts from 14:00
        "2026-03-09T12:30 | PT30M   | 2026-03-09T14:30",
        // starts before office hours
        "2026-03-09T07:00 | PT30M   | 2026-03-09T09:00",
        // across a weekend: Fri 16:00 + 4h = 2h Friday + 2h Monday
        "2026-03-06T16:00 | PT4H    | 2026-03-09T10:30",
        // reported on a Saturday night: counts from Monday morning
        "2026-03-07T22:00 | PT1H    | 2026-03-09T09:30",
        // across a public holiday: 清明 Sat 4 - Mon 6 April, back on Tuesday
        "2026-04-03T17:00 | PT2H    | 2026-04-07T09:30",
        // an adjusted working Saturday (调休上班 14 Feb) comes right after Friday
        "2026-02-13T17:00 | PT2H    | 2026-02-14T09:30",
        // and then the nine days of 春节 (15-23 Feb)
        "2026-02-14T17:00 | PT2H    | 2026-02-24T09:30",
        // 国庆 1-7 Oct, 10 Oct a working Saturday
        "2026-09-30T17:30 | PT1H    | 2026-10-08T09:00",
        "2026-10-09T17:00 | PT2H    | 2026-10-10T09:30",
        // 13 working days of 7.5 h from a Monday morning: the end of the Wednesday two weeks on
        "2026-03-09T08:30 | PT97H30M | 2026-03-25T18:00",
        // zero is the start itself, even outside hours
        "2026-03-07T22:00 | PT0S    | 2026-03-07T22:00",
    })
    void addsWorkingTime(String start, String amount, String expected) {
        Instant end = CAL.addWorkingTime(bj(start), Duration.parse(amount));
        assertEquals(bj(expected), end);
        assertEquals(Duration.parse(amount), CAL.workingTimeBetween(bj(start), end));
    }

    @ParameterizedTest(name = "{0} .. {1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "2026-03-09T11:30 | 2026-03-09T14:30 | PT1H",
        "2026-03-06T16:00 | 2026-03-09T10:30 | PT4H",
        "2026-03-07T09:00 | 2026-03-08T17:00 | PT0S",
        "2026-04-03T08:30 | 2026-04-07T18:00 | PT15H",
        "2026-02-13T08:30 | 2026-02-14T18:00 | PT15H",
        "2026-03-09T18:00 | 2026-03-10T08:30 | PT0S",
        "2026-03-09T10:00 | 2026-03-09T10:00 | PT0S",
    })
    void measuresWorkingTime(String from, String to, String expected) {
        assertEquals(Duration.parse(expected), CAL.workingTimeBetween(bj(from), bj(to)));
    }

    @Test
    void workingDaysFollowTheSchedule() {
        assertTrue(CAL.isWorkingDay(LocalDate.parse("2026-02-14")));   // Saturday, 调休上班
        assertFalse(CAL.isWorkingDay(LocalDate.parse("2026-02-16")));  // Monday, 春节
        assertFalse(CAL.isWorkingDay(LocalDate.parse("2026-03-07")));  // ordinary Saturday
        assertTrue(CAL.isWorkingDay(LocalDate.parse("2026-03-09")));   // ordinary Monday
        assertFalse(CAL.isWorkingDay(LocalDate.parse("2026-10-07")));  // Wednesday, 国庆
        assertTrue(CAL.isWorkingDay(LocalDate.parse("2026-09-20")));   // Sunday, 调休上班
        assertTrue(CAL.isWorkingTime(bj("2026-03-09T08:30")));
        assertFalse(CAL.isWorkingTime(bj("2026-03-09T12:00")));
        assertFalse(CAL.isWorkingTime(bj("2026-03-09T18:00")));
        assertEquals(Duration.ofMinutes(450), CAL.workingDayLength());
    }

    @Test
    void suspensionStopsTheClock() {
        // 8 working hours from Monday 08:30 end on Tuesday 09:00 (7.5 h on Monday) ...
        Instant start = bj("2026-03-09T08:30");
        assertEquals(bj("2026-03-10T09:00"), CAL.addWorkingTime(start, Duration.ofHours(8)));
        // ... but suspended (缓办) from Monday 10:30 to Tuesday 10:30, 7.5 working hours later: Wednesday 09:00
        List<TimeInterval> suspended = List.of(new TimeInterval(bj("2026-03-09T10:30"), bj("2026-03-10T10:30")));
        assertEquals(bj("2026-03-11T09:00"), CAL.addWorkingTime(start, Duration.ofHours(8), suspended));
        assertEquals(Duration.ofHours(2), CAL.workingTimeBetween(start, bj("2026-03-10T10:30"), suspended));
        assertEquals(Duration.ofHours(8), CAL.workingTimeBetween(start, bj("2026-03-11T09:00"), suspended));
    }

    @Test
    void overlappingAndOutOfOrderExclusionsCountOnce() {
        Instant start = bj("2026-03-09T08:30");
        List<TimeInterval> ex = List.of(
                new TimeInterval(bj("2026-03-09T15:00"), bj("2026-03-09T17:00")),
                new TimeInterval(bj("2026-03-09T09:00"), bj("2026-03-09T10:00")),
                new TimeInterval(bj("2026-03-09T09:30"), bj("2026-03-09T11:00")),
                new TimeInterval(bj("2026-03-09T11:00"), bj("2026-03-09T11:00")));
        // working 08:30-09:00, 11:00-12:00, 14:00-15:00, 17:00-18:00 = 3.5 h
        assertEquals(Duration.ofMinutes(210), CAL.workingTimeBetween(start, bj("2026-03-09T18:00"), ex));
        assertEquals(bj("2026-03-09T17:30"), CAL.addWorkingTime(start, Duration.ofHours(3), ex));
    }

    @Test
    void hoursAndWeekdaysAreConfigurable() {
        WorkingCalendar shifts = WorkingCalendar.builder()
                .hours("09:00-17:00")
                .weekdays(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.SATURDAY))
                .schedule(HolidaySchedule.NONE)
                .build();
        // Friday 16:00 + 2h: 1 h Friday, 1 h Saturday (a working weekday here)
        assertEquals(bj("2026-03-07T10:00"), shifts.addWorkingTime(bj("2026-03-06T16:00"), Duration.ofHours(2)));
        // no holiday schedule: 清明 Monday is a working day
        assertTrue(shifts.isWorkingDay(LocalDate.parse("2026-04-06")));
        assertEquals(Duration.ofHours(8), shifts.workingDayLength());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> WorkingCalendar.builder().hours("12:00-08:30"));
        assertThrows(IllegalArgumentException.class, () -> WorkingCalendar.builder().hours("08:30-12:00,11:00-13:00"));
        assertThrows(IllegalArgumentException.class, () -> WorkingCalendar.builder().hours("8.30 to 12"));
        assertThrows(IllegalArgumentException.class, () -> WorkingCalendar.builder().hours(List.of()));
        assertThrows(IllegalArgumentException.class, () -> CAL.addWorkingTime(bj("2026-03-09T09:00"), Duration.ofHours(-1)));
        assertThrows(IllegalArgumentException.class, () -> CAL.workingTimeBetween(bj("2026-03-09T10:00"), bj("2026-03-09T09:00")));
        WorkingCalendar never = WorkingCalendar.builder().weekdays(EnumSet.noneOf(DayOfWeek.class))
                .schedule(HolidaySchedule.NONE).build();
        assertThrows(IllegalStateException.class, () -> never.addWorkingTime(bj("2026-03-09T09:00"), Duration.ofHours(1)));
    }

    @Test
    void ships2026Schedule() {
        HolidaySchedule china = HolidaySchedule.china();
        long holidays = china.days().stream().filter(d -> d.kind() == HolidaySchedule.Kind.HOLIDAY).count();
        long workdays = china.days().stream().filter(d -> d.kind() == HolidaySchedule.Kind.WORKDAY).count();
        // 3 元旦 + 9 春节 + 3 清明 + 5 劳动 + 3 端午 + 3 中秋 + 7 国庆; 6 调休上班 days
        assertEquals(33, holidays);
        assertEquals(6, workdays);
        for (HolidaySchedule.Day d : china.days()) {
            boolean weekend = d.date().getDayOfWeek().getValue() >= 6;
            if (d.kind() == HolidaySchedule.Kind.WORKDAY) {
                assertTrue(weekend, d + " is a working day listed but already a weekday");
            }
        }
        assertEquals("春节", china.day(LocalDate.parse("2026-02-17")).orElseThrow().name());
    }

    @Test
    void readsAReplacementFileAndReportsEveryBadLine() throws Exception {
        HolidaySchedule ok = HolidaySchedule.read(new StringReader(
                "\uFEFF# 2027 draft\ndate,kind,name\n2027-01-01,holiday,元旦\n\n2027-01-02,workday,调休\n"), "h.csv");
        assertEquals(2, ok.days().size());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HolidaySchedule.read(
                new StringReader("date,kind,name\n2027-13-01,holiday,x\n2027-01-01,rest,x\n2027-01-03,holiday\n"
                        + "2027-01-04,holiday,a\n2027-01-04,workday,b\n"), "h.csv"));
        assertEquals(String.join("\n",
                "h.csv line 2: '2027-13-01' is not a date like 2026-10-01",
                "h.csv line 3: kind 'rest' must be holiday or workday",
                "h.csv line 4: expected 3 fields (date,kind,name), found 2",
                "h.csv line 6: 2027-01-04 is listed twice"), e.getMessage());

        IllegalArgumentException header = assertThrows(IllegalArgumentException.class,
                () -> HolidaySchedule.read(new StringReader("day,type\n"), "h.csv"));
        assertEquals("h.csv line 1: header is 'day,type', expected 'date,kind,name'", header.getMessage());
    }
}

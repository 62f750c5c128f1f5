package cn.haizhu.grid.server.open311;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.cases.CaseState;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules of the Open311 door without a server: jurisdiction_id, dates, public text, update statuses. */
class Open311RulesTest {
    @Test
    void jurisdictionIdIsThisNodesCodeOrHostOrAbsent() {
        assertEquals(Optional.empty(), Jurisdiction.idProblem(null, "440105", "grid.example.cn"));
        assertEquals(Optional.empty(), Jurisdiction.idProblem(" ", "440105", "grid.example.cn"));
        assertEquals(Optional.empty(), Jurisdiction.idProblem("440105", "440105", "grid.example.cn"));
        assertEquals(Optional.empty(), Jurisdiction.idProblem(" Grid.Example.CN ", "440105", "grid.example.cn"));
        String wrong = Jurisdiction.idProblem("fixmystreet.com", "440105", "grid.example.cn").orElseThrow();
        assertTrue(wrong.contains("fixmystreet.com") && wrong.contains("440105") && wrong.contains("grid.example.cn"), wrong);
        assertTrue(Jurisdiction.idProblem("440106", "440105", null).isPresent(), "another district");
    }

    @Test
    void aPointOutsideIsDescribedWithTheAreaAndHowFar() {
        String d = Jurisdiction.outside(116.397, 39.909, "海珠区", "440105", 1_886_000);
        assertTrue(d.contains("海珠区") && d.contains("440105") && d.contains("1,886 km") && d.contains("39.909"), d);
        assertTrue(Jurisdiction.outside(113.3, 23.1, "海珠区", "440105", 420).contains("420 m"));
    }

    @Test
    void w3cDatesAsClientsWriteThem() {
        OffsetDateTime utc = W3cDates.parse("2026-08-21T14:32:56Z", "start_date");
        assertEquals(OffsetDateTime.parse("2026-08-21T22:32:56+08:00").toInstant(), utc.toInstant());
        assertEquals(utc.toInstant(), W3cDates.parse("2026-08-21T15:32:56+01:00", "start_date").toInstant());
        assertEquals(utc.toInstant(), W3cDates.parse("2026-08-21T15:32:56 01:00", "start_date").toInstant(),
                "a + left unescaped in a query string arrives as a space");
        assertEquals(utc.toInstant(), W3cDates.parse("2026-08-21T22:32:56", "start_date").toInstant(), "floating: the district's time");
        assertEquals(OffsetDateTime.parse("2026-08-21T00:00:00+08:00").toInstant(), W3cDates.parse("2026-08-21", "d").toInstant());
        assertEquals(null, W3cDates.parse(" ", "d"));
        Refusal bad = assertThrows(Refusal.class, () -> W3cDates.parse("yesterday", "end_date"));
        assertEquals(400, bad.status);
        assertTrue(bad.getMessage().contains("end_date"));
        assertEquals("2026-08-21T22:32:56+08:00", W3cDates.format(OffsetDateTime.parse("2026-08-21T14:32:56.123456Z")),
                "to the second, in the district's zone");
    }

    @Test
    void thePublicTextMasksIdAndPhoneNumbers() {
        String text = "井盖缺失，请联系 13812345678 或 020-83456789，身份证440105199001011234，门牌 12 号";
        String masked = PublicText.mask(text);
        assertFalse(masked.contains("13812345678") || masked.contains("83456789") || masked.contains("199001011234"), masked);
        assertTrue(masked.contains("138****5678") && masked.contains("440105********1234"), masked);
        assertTrue(masked.startsWith("井盖缺失") && masked.endsWith("门牌 12 号"), masked);
        assertEquals("江南大道中123号5栋1203房", PublicText.mask("江南大道中123号5栋1203房"), "addresses stay");
        assertEquals(null, PublicText.mask(null));
    }

    @Test
    void updateStatusesInTheExtensionsWords() {
        assertEquals("OPEN", Open311Updates.status(CaseState.REPORTED));
        assertEquals("OPEN", Open311Updates.status(CaseState.REOPENED));
        assertEquals("IN_PROGRESS", Open311Updates.status(CaseState.FILED));
        assertEquals("IN_PROGRESS", Open311Updates.status(CaseState.SUSPENDED));
        assertEquals("FIXED", Open311Updates.status(CaseState.CLOSED));
        assertEquals("FIXED", Open311Updates.status(CaseState.EVALUATED));
        assertEquals("NO_FURTHER_ACTION", Open311Updates.status(CaseState.REJECTED));
        assertEquals("INTERNAL_REFERRAL", Open311Updates.status(CaseState.RETURNED_UP));
        for (CaseState s : CaseState.values()) {
            assertEquals(!s.isOpen(), Set311.CLOSED.contains(Open311Updates.status(s)), s + " open or closed as GET requests says");
        }
    }

    /** The extension's words for a closed request. */
    private static final class Set311 {
        static final java.util.Set<String> CLOSED = java.util.Set.of("FIXED", "NO_FURTHER_ACTION", "INTERNAL_REFERRAL");
    }
}

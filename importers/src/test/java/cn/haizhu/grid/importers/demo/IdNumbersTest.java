package cn.haizhu.grid.importers.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.codes.IdNumber;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdNumbersTest {
    @Test
    void handsOutValidUniqueNumbersEvenWhenADayRunsOut() {
        IdNumbers ids = new IdNumbers();
        LocalDate day = LocalDate.of(1990, 3, 7);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1200; i++) {
            boolean male = i % 2 == 0;
            String id = ids.next("440105", day, male);
            assertEquals(Optional.empty(), IdNumber.problem(id), id);
            assertTrue(seen.add(id), "repeated " + id);
            assertEquals(male ? 'M' : 'F', IdNumber.gender(id));
            assertTrue(id.startsWith("440105"));
            assertTrue(!id.substring(14, 17).equals("000"));
            // 499 per day and gender: the 500th man moves to the next day
            assertEquals(i / 2 < 499 ? day : day.plusDays(1), IdNumber.birthDate(id), id);
        }
    }

    @Test
    void sameCallsGiveSameNumbers() {
        IdNumbers a = new IdNumbers();
        IdNumbers b = new IdNumbers();
        for (int i = 0; i < 50; i++) {
            LocalDate d = LocalDate.of(1950 + i, 1 + i % 12, 1 + i % 28);
            assertEquals(a.next("810000", d, i % 3 == 0), b.next("810000", d, i % 3 == 0));
        }
    }
}

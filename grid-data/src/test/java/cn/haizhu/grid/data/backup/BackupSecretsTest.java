package cn.haizhu.grid.data.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import cn.haizhu.grid.data.people.PersonalDataCipher;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupSecretsTest {
    private static final String K1 = PersonalDataCipher.newKey();
    private static final String K2 = PersonalDataCipher.newKey();
    private static final String K3 = PersonalDataCipher.newKey();

    @Test
    void aRestoreGetsEveryKeyOfTheRepositoryWithTheRecordedOneCurrent() {
        // base 1 under K1; K2 rotated in before base 2 (K1 retired); K3 rotated in after base 2, K1 retired for good
        List<String> base1 = List.of(K1);
        List<String> base2 = List.of(K2, K1);
        List<String> base3 = List.of(K3, K2);
        List<List<String>> all = List.of(base1, base2, base3);

        var toBase1Time = BackupSecrets.merge(base1, all, PersonalDataCipher.keyIdOf(K1));
        assertEquals(K1, toBase1Time.current());
        assertEquals(List.of(K3, K2), toBase1Time.retired(), "later keys too: the WAL after base 1 may hold values under them");

        var afterRotation = BackupSecrets.merge(base2, all, PersonalDataCipher.keyIdOf(K3));
        assertEquals(K3, afterRotation.current(), "the database re-encrypted to K3 after base 2: K3 is current");
        assertEquals(List.of(K2, K1), afterRotation.retired());

        var unrecorded = BackupSecrets.merge(base2, all, null);
        assertEquals(K2, unrecorded.current(), "no persons yet: the base's own current key");
    }

    @Test
    void restoreTimesReadWithOrWithoutAnOffset() {
        assertEquals(Instant.parse("2024-05-01T02:30:00Z"), RestoreCommand.parseTime("2024-05-01T10:30:00+08:00"));
        assertEquals(Instant.parse("2024-05-01T02:30:00.123456Z"), RestoreCommand.parseTime("2024-05-01T02:30:00.123456Z"));
        assertEquals(LocalDateTime.parse("2024-05-01T10:30:00").atZone(ZoneId.systemDefault()).toInstant(),
                RestoreCommand.parseTime("2024-05-01 10:30:00"));
        assertThrows(IllegalStateException.class, () -> RestoreCommand.parseTime("yesterday"));
    }
}

package cn.haizhu.grid.data.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WalSegmentsTest {
    private static final long SIXTEEN_MB = 16L << 20;

    @Test
    void namesAndNumbersGoBothWays() {
        var s = WalSegments.parse("0000000100000002000000FF.gz", SIXTEEN_MB).orElseThrow();
        assertEquals(1, s.timeline());
        assertEquals(2 * 256 + 255, s.number());
        assertEquals("0000000100000002000000FF", s.name(SIXTEEN_MB));
        assertEquals("000000010000000300000000", new WalSegments.Segment(1, s.number() + 1).name(SIXTEEN_MB), "the next id");
        assertEquals(new WalSegments.Segment(1, 2), WalSegments.of(1, "0/2000028", SIXTEEN_MB));
        assertEquals(new WalSegments.Segment(2, 256 + 3), WalSegments.of(2, "1/3FFFFFF", SIXTEEN_MB));
        assertTrue(WalSegments.parse("00000002.history.gz", SIXTEEN_MB).isEmpty());
        assertTrue(WalSegments.parse("000000010000000000000002.00000028.backup.gz", SIXTEEN_MB).isEmpty());
        assertTrue(WalSegments.parse("000000010000000000000002.gz.part", SIXTEEN_MB).isEmpty());
    }

    @Test
    void theArchiveCommandsQuoteTheFolderAndNeverOverwrite() {
        Path wal = Path.of("/srv/backups/haizhu/wal");
        Map<String, String> settings = WalArchiving.settings(wal, 60);
        assertEquals("on", settings.get("archive_mode"));
        assertEquals("60s", settings.get("archive_timeout"));
        String archive = settings.get("archive_command");
        assertTrue(archive.startsWith("f='/srv/backups/haizhu/wal/%f.gz'; if [ -f \"$f\" ]; then gzip -dc \"$f\" | cmp -s - \"%p\";"),
                "a segment already there counts only with the same content: " + archive);
        assertTrue(archive.contains("> \"$f.part\" && sync \"$f.part\" && mv \"$f.part\" \"$f\""), "on disk before its real name");
        assertEquals("f='/srv/backups/haizhu/wal/%f.gz'; [ -f \"$f\" ] && gzip -dc \"$f\" > \"%p\"", WalArchiving.restoreCommand(wal));
    }
}

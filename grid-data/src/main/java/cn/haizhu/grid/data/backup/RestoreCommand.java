package cn.haizhu.grid.data.backup;

import cn.haizhu.grid.data.config.GridConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./gridctl restore DIR --to DATADIR [--time TIMESTAMP]}: a new data folder from a backup repository. */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore a backup repository into a new data folder, to the latest archived point or to a point in time;"
                + " then GRIDCTL_DATA_DIR=DATADIR ./gridctl run starts on it.")
public final class RestoreCommand implements Callable<Integer> {
    private final Supplier<GridConfig> config;

    @Parameters(index = "0", paramLabel = "DIR", description = "the backup repository")
    Path dir;

    @Option(names = "--to", required = true, paramLabel = "DATADIR", description = "the new data folder (absent or empty)")
    Path to;

    @Option(names = "--time", paramLabel = "TIMESTAMP",
            description = "restore to this time: 2024-05-01T10:30:00+08:00, or 2024-05-01 10:30:00 in this machine's time zone;"
                    + " default: the latest archived point")
    String time;

    @Option(names = "--port", paramLabel = "PORT", description = "loopback port for the replay (default: a free one)")
    int port;

    public RestoreCommand(Supplier<GridConfig> config) {
        this.config = config;
    }

    @Override
    public Integer call() throws Exception {
        GridConfig cfg = config.get();
        Restore.run(cfg, dir, to, time == null ? null : parseTime(time), port, System.out);
        Path data = to.toAbsolutePath().normalize();
        System.out.println("start it: GRIDCTL_DATA_DIR=" + data + " ./gridctl run"
                + "   (beside a running command center also GRIDCTL_DB_EMBEDDED_PORT and GRIDCTL_HTTP_PORT of its own, and "
                + GridConfig.envName("backup.dir") + "= so that it does not archive into the repository of the running one)");
        if (!cfg.piiKey().isBlank()) {
            System.out.println("note: pii.key is set in this configuration and would win over the restored ring in "
                    + data.resolve("secrets") + "; unset it for the restored folder");
        }
        return 0;
    }

    /** An instant from ISO-8601 with an offset, or a local date-time (T or a space) in this machine's zone. */
    static Instant parseTime(String text) {
        String iso = text.trim().replaceFirst("^(\\d{4}-\\d{2}-\\d{2}) ", "$1T");
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(iso).atZone(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalStateException("--time must be a date and time such as 2024-05-01T10:30:00+08:00 or"
                        + " '2024-05-01 10:30:00' (this machine's time zone), got '" + text + "'");
            }
        }
    }
}

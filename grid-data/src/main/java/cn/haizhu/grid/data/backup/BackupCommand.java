package cn.haizhu.grid.data.backup;

import cn.haizhu.grid.data.config.GridConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./gridctl backup [DIR]} takes a base backup into the repository the embedded cluster
 * archives its WAL into ({@code backup.dir}); {@code ./gridctl backup verify [DIR]} checks a
 * repository. The passphrase comes from {@code GRIDCTL_BACKUP_PASSPHRASE} or the terminal.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Take a base backup into the repository WAL is archived into (backup.dir), with the key ring sealed"
                + " under a passphrase (GRIDCTL_BACKUP_PASSPHRASE or asked). 'backup verify' checks a repository.")
public final class BackupCommand implements Callable<Integer> {
    private final Supplier<GridConfig> config;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "the backup repository (default: backup.dir)")
    Path dir;

    private BackupCommand(Supplier<GridConfig> config) {
        this.config = config;
    }

    public static CommandLine create(Supplier<GridConfig> config) {
        return new CommandLine(new BackupCommand(config)).addSubcommand("verify", new Verify(config));
    }

    @Override
    public Integer call() throws Exception {
        TakeBackup.run(config.get(), dir, System.out);
        return 0;
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check a repository: each base against its manifest (pg_verifybackup), the archived WAL without a gap,"
                    + " the secrets opening under the passphrase.")
    static final class Verify implements Callable<Integer> {
        private final Supplier<GridConfig> config;

        @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", description = "the backup repository (default: backup.dir)")
        Path dir;

        Verify(Supplier<GridConfig> config) {
            this.config = config;
        }

        @Override
        public Integer call() throws Exception {
            GridConfig cfg = config.get();
            Path repo = dir != null ? dir : cfg.backup().dir();
            if (repo == null) {
                throw new IllegalStateException("name the repository to check (./gridctl backup verify DIR) or set backup.dir");
            }
            return BackupCheck.run(cfg, repo, System.out) ? 0 : 2;
        }
    }
}

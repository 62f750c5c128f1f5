package cn.haizhu.grid.data.backup;

import cn.haizhu.grid.data.config.GridConfig;
import java.io.Console;
import java.util.Arrays;

/**
 * The backup passphrase: from {@code GRIDCTL_BACKUP_PASSPHRASE} (the configuration takes it from the
 * environment only), else typed at the terminal. Never stored, never on a command line.
 */
final class Passphrase {
    private Passphrase() {
    }

    /**
     * The passphrase for {@code what}. A new one ({@code confirm}: the repository's first secrets) is
     * typed twice and must have {@link SealedSecrets#MIN_PASSPHRASE} characters or more.
     */
    static char[] ask(GridConfig config, String what, boolean confirm) {
        char[] given = config.backup().passphrase().isEmpty() ? prompt(what, confirm) : config.backup().passphrase().toCharArray();
        if (confirm && given.length < SealedSecrets.MIN_PASSPHRASE) {
            throw new IllegalStateException("the backup passphrase must have at least " + SealedSecrets.MIN_PASSPHRASE
                    + " characters: it alone protects the personal-data key ring in every copy of the backups");
        }
        return given;
    }

    private static char[] prompt(String what, boolean confirm) {
        Console console = System.console();
        if (console == null) {
            throw new IllegalStateException("no backup passphrase: set " + GridConfig.envName("backup.passphrase")
                    + " or run the command at a terminal");
        }
        char[] first = console.readPassword("备份口令 / backup passphrase (%s): ", what);
        if (first == null || first.length == 0) {
            throw new IllegalStateException("no backup passphrase given");
        }
        if (confirm) {
            char[] again = console.readPassword("再次输入 / again: ");
            boolean same = Arrays.equals(first, again);
            if (again != null) {
                Arrays.fill(again, '\0');
            }
            if (!same) {
                throw new IllegalStateException("the two passphrases differ; nothing was written");
            }
        }
        return first;
    }
}

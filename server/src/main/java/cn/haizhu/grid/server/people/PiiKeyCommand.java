package cn.haizhu.grid.server.people;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.people.KeyRotationState;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.data.people.Reencryption;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./gridctl pii-key rotate|reencrypt|status|retire}: rotating the personal-data key while
 * the command center keeps serving (docs/KEY-ROTATION.md), from the shell of the server, as the
 * database owner. Keys never go into the database; running servers are told over NOTIFY to read
 * their key ring again from the same place this command wrote it.
 */
@Command(name = "pii-key", description = "Rotate the personal-data key online: rotate, reencrypt, status, retire.",
        mixinStandardHelpOptions = true)
public final class PiiKeyCommand implements Callable<Integer> {
    private PiiKeyCommand() {
    }

    /** The command with its subcommands, each reading the configuration when it runs. */
    public static CommandLine create(Supplier<GridConfig> config) {
        CommandLine cli = new CommandLine(new PiiKeyCommand());
        cli.addSubcommand("status", new Status(config));
        cli.addSubcommand("rotate", new Rotate(config));
        cli.addSubcommand("reencrypt", new Reencrypt(config));
        cli.addSubcommand("retire", new Retire(config));
        return cli;
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    /** A subcommand: it reads the configuration when it runs. */
    private abstract static class Step implements Callable<Integer> {
        final Supplier<GridConfig> config;

        Step(Supplier<GridConfig> config) {
            this.config = config;
        }
    }

    @Command(name = "status", description = "The key ring, what the database records, stored values per key, the running servers' keys.")
    static final class Status extends Step {

        Status(Supplier<GridConfig> config) {
            super(config);
        }

        @Override
        public Integer call() throws Exception {
            GridConfig cfg = config.get();
            PersonalDataCipher ring = PersonalDataKey.existing(cfg);
            System.out.println("Keys from " + PersonalDataKey.describeSource(cfg) + ":");
            System.out.println("  current  " + ring.keyId());
            System.out.println("  retired  " + (ring.retiredKeyIds().isEmpty() ? "(none)" : String.join(", ", ring.retiredKeyIds())));
            try (Database db = Database.open(cfg); Connection c = db.connection()) {
                Optional<KeyRotationState.State> state = KeyRotationState.read(c);
                System.out.println("Database: " + state.map(s -> "hashes under key " + s.currentKeyId()
                        + (s.reencrypting() ? ", re-encryption under way since " + s.changedAt() : " since " + s.changedAt()))
                        .orElse("no key recorded yet (recorded by the first import of persons or re-encryption)"));
                List<Reencryption.Usage> usage = Reencryption.usage(c, ring);
                System.out.println("Stored values per key:");
                System.out.printf("  %-20s %-34s %12s%n", "column", "key", "values");
                for (Reencryption.Usage u : usage) {
                    System.out.printf("  %-20s %-34s %,12d%n", u.stored(), describe(ring, u), u.values());
                }
                List<Reencryption.Holder> holders = Reencryption.holders(c);
                System.out.println("Running servers on this database:" + (holders.isEmpty() ? " none" : ""));
                for (Reencryption.Holder h : holders) {
                    System.out.println("  pid " + h.pid() + " (listening since " + h.since() + "): writes with "
                            + (h.keyId() == null ? "(not said yet)" : h.keyId()));
                }
                System.out.println("Next: " + next(ring, state, usage));
            }
            return 0;
        }

        private static String describe(PersonalDataCipher ring, Reencryption.Usage u) {
            String key = u.keyId() == null ? "format 1, opens with " + (u.opensWith() == null ? "no key here" : u.opensWith())
                    : u.keyId();
            if (u.opensWith() == null) {
                return key + " (NOT HELD)";
            }
            return key + (u.opensWith().equals(ring.keyId()) ? " (current)" : " (retired)");
        }

        private static String next(PersonalDataCipher ring, Optional<KeyRotationState.State> state, List<Reencryption.Usage> usage) {
            boolean allCurrent = usage.stream().allMatch(u -> ring.keyId().equals(u.keyId()));
            if (state.map(KeyRotationState.State::reencrypting).orElse(false) || !allCurrent) {
                return "./gridctl pii-key reencrypt (values under other keys remain)";
            }
            if (!ring.retiredKeyIds().isEmpty()) {
                return "./gridctl pii-key retire (no value uses the retired keys any more)";
            }
            return "nothing: every value is under the current key";
        }
    }

    @Command(name = "rotate", description = "Make a new key current and retire the current one (then run reencrypt).")
    static final class Rotate extends Step {

        Rotate(Supplier<GridConfig> config) {
            super(config);
        }

        @Override
        public Integer call() throws Exception {
            GridConfig cfg = config.get();
            PersonalDataKey.Rotation r = PersonalDataKey.rotate(cfg);
            if (!r.written()) {
                System.out.println("The personal-data key comes from the configuration, which gridctl does not edit."
                        + " New key " + r.currentKeyId() + "; retired " + String.join(", ", r.retiredKeyIds()) + ".");
                System.out.println("Set, in gridctl.conf (or the file GRIDCTL_CONFIG names) of every instance:");
                r.configurationLines().forEach(l -> System.out.println("  " + l));
                System.out.println("Keep a copy of these lines with your backups. Running servers read gridctl.conf again when"
                        + " told; one whose key is set in its environment must be restarted with the new environment."
                        + " Then run ./gridctl pii-key reencrypt.");
                return 0;
            }
            System.out.println("New key " + r.currentKeyId() + " is current in " + PersonalDataKey.describeSource(cfg)
                    + "; retired " + String.join(", ", r.retiredKeyIds()) + " (kept, still read).");
            try (Database db = Database.open(cfg); Connection c = db.connection()) {
                Reencryption.announce(c, PersonalDataKey.existing(cfg));
                System.out.println("Running servers were told to read their keys again.");
            }
            System.out.println("Back up the secrets folder now (it holds the new key and the old one), then run"
                    + " ./gridctl pii-key reencrypt.");
            return 0;
        }
    }

    @Command(name = "reencrypt", description = "Re-encrypt every stored ID number and phone still under a retired key, while the server runs.")
    static final class Reencrypt extends Step {
        @Option(names = "--batch", defaultValue = "" + Reencryption.DEFAULT_BATCH,
                description = "rows per transaction (default ${DEFAULT-VALUE})")
        int batch;
        @Option(names = "--wait", defaultValue = "60",
                description = "seconds to wait for running servers to load the new key (default ${DEFAULT-VALUE})")
        int waitSeconds;

        Reencrypt(Supplier<GridConfig> config) {
            super(config);
        }

        @Override
        public Integer call() throws Exception {
            GridConfig cfg = config.get();
            PersonalDataCipher ring = PersonalDataKey.existing(cfg);
            System.out.println("Re-encrypting under key " + ring.keyId() + " (retired: "
                    + (ring.retiredKeyIds().isEmpty() ? "none" : String.join(", ", ring.retiredKeyIds())) + ")");
            try (Database db = Database.open(cfg)) {
                Reencryption.Result r = new Reencryption(db, ring, batch, Duration.ofSeconds(waitSeconds), new Printer()).run();
                System.out.printf("done in %.1f s: %,d persons and %,d grid workers re-encrypted, %,d rows changed by others"
                                + " meanwhile and taken up again, %d pass(es). Every stored value is under key %s.%n",
                        r.took().toMillis() / 1000.0, r.persons(), r.workers(), r.changedMeanwhile(), r.passes(), ring.keyId());
                System.out.println("Next: ./gridctl pii-key retire");
                return 0;
            } catch (Reencryption.Refused e) {
                System.err.println("gridctl pii-key reencrypt: " + e.getMessage());
                return 2;
            }
        }
    }

    /** Progress on the terminal: a line when a run waits, and at most one a second while it works. */
    private static final class Printer implements Reencryption.Listener {
        private long lastPrinted;

        @Override
        public void note(String message) {
            System.out.println(message);
        }

        @Override
        public void progress(Reencryption.Progress p) {
            long now = System.nanoTime();
            if (now - lastPrinted < 1_000_000_000L && p.done() + p.changedMeanwhile() < p.toDo()) {
                return;
            }
            lastPrinted = now;
            double seconds = Math.max(p.elapsed().toMillis(), 1) / 1000.0;
            System.out.printf("  pass %d, %s: %,d of %,d re-encrypted (%,.0f/s)%s%n", p.pass(), p.table(), p.done(),
                    p.toDo(), p.done() / seconds,
                    p.changedMeanwhile() > 0 ? ", " + p.changedMeanwhile() + " changed meanwhile (next pass)" : "");
        }
    }

    @Command(name = "retire", description = "Drop the retired keys no stored value uses any more (refuses while any does).")
    static final class Retire extends Step {

        Retire(Supplier<GridConfig> config) {
            super(config);
        }

        @Override
        public Integer call() throws Exception {
            GridConfig cfg = config.get();
            PersonalDataCipher ring = PersonalDataKey.existing(cfg);
            if (ring.retiredKeyIds().isEmpty()) {
                System.out.println("No retired keys: nothing to do.");
                return 0;
            }
            try (Database db = Database.open(cfg); Connection c = db.connection()) {
                Optional<KeyRotationState.State> state = KeyRotationState.read(c);
                if (state.map(KeyRotationState.State::reencrypting).orElse(false)) {
                    System.err.println("gridctl pii-key retire: a re-encryption is under way or was interrupted; run"
                            + " ./gridctl pii-key reencrypt to the end first. No key was retired");
                    return 2;
                }
                List<Reencryption.Usage> usage = Reencryption.usage(c, ring);
                long formatOne = usage.stream().filter(u -> u.keyId() == null).mapToLong(Reencryption.Usage::values).sum();
                if (formatOne > 0) {
                    System.err.println("gridctl pii-key retire: " + formatOne + " stored values are in format 1, which does not"
                            + " name its key; run ./gridctl pii-key reencrypt first. No key was retired");
                    return 2;
                }
                PersonalDataKey.Retirement r = PersonalDataKey.retire(cfg, Reencryption.keyIdsInUse(usage));
                if (!r.removedKeyIds().isEmpty()) {
                    if (r.configurationLines().isEmpty()) {
                        System.out.println("Retired keys removed: " + String.join(", ", r.removedKeyIds()));
                        Reencryption.announce(c, ring);
                    } else {
                        System.out.println("No stored value uses " + String.join(", ", r.removedKeyIds())
                                + " any more. The keys come from the configuration; set:");
                        r.configurationLines().forEach(l -> System.out.println("  " + l));
                    }
                    System.out.println("Backups of the database made before the re-encryption still need the removed keys:"
                            + " keep a copy of them with those backups, and nowhere else.");
                }
                if (!r.keptKeyIds().isEmpty()) {
                    System.err.println("gridctl pii-key retire: still used by stored values, kept: " + String.join(", ", r.keptKeyIds())
                            + "; run ./gridctl pii-key reencrypt, then retire again");
                    return 2;
                }
                return 0;
            }
        }
    }
}

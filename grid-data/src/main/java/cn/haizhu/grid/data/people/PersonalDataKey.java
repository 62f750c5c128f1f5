package cn.haizhu.grid.data.people;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.SecretFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Where the personal-data key ring comes from, and how it changes (docs/KEY-ROTATION.md).
 *
 * <p>Either from the configuration: {@code pii.key} / {@code GRIDCTL_PII_KEY}, with the retired
 * keys in {@code pii.key.retired} / {@code GRIDCTL_PII_KEY_RETIRED}. Or, when no key is configured,
 * from the data folder: a key generated once into {@code <data dir>/secrets/pii.key} (owner-only),
 * so a newcomer's demo works and no key is ever in the repository, and its retired keys in
 * {@code secrets/pii.key.retired}, one a line. Losing those files makes the stored ID numbers and
 * phones unreadable: back them up with the database.
 *
 * <p>Every read goes to the source again, so a server that is told the ring changed
 * ({@link #RELOAD_CHANNEL}) picks up what {@code rotate} or {@code retire} wrote, from the same
 * folder or configuration file as every other instance.
 */
public final class PersonalDataKey {
    /** PostgreSQL channel on which the key commands tell running servers to read their key ring again. */
    public static final String RELOAD_CHANNEL = "gridctl_pii_key";
    /**
     * {@code application_name} of a server's key listener, followed by a space and the id of the key
     * it writes with: how a re-encryption sees, in {@code pg_stat_activity}, whether every running
     * server has the new key before it converts a single row.
     */
    public static final String HOLDER_APPLICATION_NAME = "gridctl-keys";

    private PersonalDataKey() {
    }

    /** The key ring as configured now; a data folder without a key gets one (the first start). */
    public static PersonalDataCipher cipher(GridConfig config) {
        return ring(config, true);
    }

    /**
     * The key ring as configured now, never generating a key: what a running server reads again
     * and the key commands use. A key file gone missing is an error here, not a reason to start
     * writing under a new key that opens none of the stored values.
     */
    public static PersonalDataCipher existing(GridConfig config) {
        return ring(config, false);
    }

    private static PersonalDataCipher ring(GridConfig config, boolean generateIfMissing) {
        if (configured(config)) {
            return PersonalDataCipher.fromBase64(config.piiKey(), config.piiKeyRetired());
        }
        Path file = keyFile(config);
        try {
            // The key first, its retired ones second: rotate writes them the other way round, so a
            // reader that sees the new key also sees the old one among the retired.
            String current = generateIfMissing ? SecretFiles.readOrCreate(file, PersonalDataCipher::newKey)
                    : SecretFiles.read(file);
            return PersonalDataCipher.fromBase64(current, readRetired(config));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("no personal-data key at " + file + " (pii.key is not configured either):"
                    + " restore the secrets folder from your backup", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the personal-data key " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The keys of the ring as configured now, base64, the current one first: what a backup keeps
     * (sealed under its passphrase), from wherever they come. Never generates a key.
     */
    public static List<String> keys(GridConfig config) {
        existing(config);   // fails, saying so, when the key is missing or unreadable
        if (configured(config)) {
            List<String> keys = new ArrayList<>();
            keys.add(config.piiKey().trim());
            keys.addAll(config.piiKeyRetired());
            return List.copyOf(keys);
        }
        try {
            List<String> keys = new ArrayList<>();
            keys.add(SecretFiles.read(keyFile(config)));
            keys.addAll(readRetired(config));
            return List.copyOf(keys);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the personal-data key " + keyFile(config) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a ring into the data folder of {@code config} (a restore: the folder is new), as a
     * generated key is kept: {@code secrets/pii.key} and {@code secrets/pii.key.retired}, owner-only.
     */
    public static void install(GridConfig config, String current, List<String> retired) throws IOException {
        PersonalDataCipher.fromBase64(current, retired);   // refuses what is not a key before anything is written
        writeRetired(config, retired);
        SecretFiles.write(keyFile(config), current);
    }

    /** Whether the keys come from the configuration ({@code pii.key}) rather than from the data folder. */
    public static boolean configured(GridConfig config) {
        return !config.piiKey().isBlank();
    }

    /** Where the keys come from, for messages. */
    public static String describeSource(GridConfig config) {
        return configured(config)
                ? "the configuration (pii.key, pii.key.retired)"
                : "the data folder (" + keyFile(config) + ", " + retiredFile(config).getFileName() + ")";
    }

    static Path keyFile(GridConfig config) {
        return config.dataDir().resolve("secrets/pii.key");
    }

    static Path retiredFile(GridConfig config) {
        return config.dataDir().resolve("secrets/pii.key.retired");
    }

    /**
     * What a rotation did: the ids of the new current key and of the retired ones, and either the
     * files were written ({@code configurationLines} empty) or the key comes from the configuration,
     * which gridctl does not edit, and these lines say what to set there.
     */
    public record Rotation(String currentKeyId, List<String> retiredKeyIds, List<String> configurationLines) {
        public boolean written() {
            return configurationLines.isEmpty();
        }
    }

    /**
     * Makes a new random key current and the current one retired. With a generated key the files in
     * {@code secrets/} are rewritten (owner-only; the retired list first, so no reader sees the new key
     * without the old); with a configured key nothing is written and the lines to set are returned.
     */
    public static Rotation rotate(GridConfig config) throws IOException {
        String fresh = PersonalDataCipher.newKey();
        if (configured(config)) {
            List<String> retired = new ArrayList<>();
            retired.add(config.piiKey().trim());
            retired.addAll(config.piiKeyRetired());
            return new Rotation(PersonalDataCipher.keyIdOf(fresh), ids(retired), settings(fresh, retired));
        }
        try (FileChannel locked = lock(config)) {
            existing(config);   // fails, saying so, when the key is missing: rotating it away would orphan the data
            String current = SecretFiles.read(keyFile(config));
            List<String> retired = new ArrayList<>();
            retired.add(current);
            retired.addAll(readRetired(config));
            writeRetired(config, retired);
            SecretFiles.write(keyFile(config), fresh);
            return new Rotation(PersonalDataCipher.keyIdOf(fresh), ids(retired), List.of());
        }
    }

    /**
     * What a retirement did: the ids of the keys dropped and of those kept (still used by some row),
     * and, for a configured key, the line to set instead of rewriting the file.
     */
    public record Retirement(List<String> removedKeyIds, List<String> keptKeyIds, List<String> configurationLines) {
    }

    /** Drops the retired keys whose id is not in {@code keyIdsInUse}; the caller decides which are. */
    public static Retirement retire(GridConfig config, Set<String> keyIdsInUse) throws IOException {
        if (configured(config)) {
            Split split = split(config.piiKeyRetired(), keyIdsInUse);
            String line = split.kept.isEmpty() ? "pii.key.retired=   (or remove the line; GRIDCTL_PII_KEY_RETIRED unset)"
                    : "pii.key.retired=" + String.join(",", split.kept);
            return new Retirement(ids(split.removed), ids(split.kept),
                    split.removed.isEmpty() ? List.of() : List.of(line));
        }
        try (FileChannel locked = lock(config)) {
            Split split = split(readRetired(config), keyIdsInUse);
            if (!split.removed.isEmpty()) {
                writeRetired(config, split.kept);
            }
            return new Retirement(ids(split.removed), ids(split.kept), List.of());
        }
    }

    private record Split(List<String> kept, List<String> removed) {
    }

    private static Split split(List<String> retired, Set<String> keyIdsInUse) {
        List<String> kept = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String k : retired) {
            (keyIdsInUse.contains(PersonalDataCipher.keyIdOf(k)) ? kept : removed).add(k);
        }
        return new Split(kept, removed);
    }

    private static List<String> settings(String current, List<String> retired) {
        String joined = String.join(",", retired);
        return List.of("pii.key=" + current, "pii.key.retired=" + joined,
                "# or, where the keys are given as environment variables:",
                GridConfig.envName("pii.key") + "=" + current, GridConfig.envName("pii.key.retired") + "=" + joined);
    }

    private static List<String> ids(List<String> keys) {
        return keys.stream().map(PersonalDataCipher::keyIdOf).toList();
    }

    private static List<String> readRetired(GridConfig config) throws IOException {
        Path file = retiredFile(config);
        if (!Files.exists(file)) {
            return List.of();
        }
        return Arrays.stream(SecretFiles.read(file).split("\\R")).map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    private static void writeRetired(GridConfig config, List<String> keys) throws IOException {
        if (keys.isEmpty()) {
            Files.deleteIfExists(retiredFile(config));
        } else {
            SecretFiles.write(retiredFile(config), String.join("\n", keys));
        }
    }

    /**
     * Held while the key files change: two rotations at once (two shells, two instances on one data
     * folder) would each retire the same key and lose one of the new ones. Closing the channel
     * releases the lock.
     */
    private static FileChannel lock(GridConfig config) throws IOException {
        Path lockFile = config.dataDir().resolve("secrets/.pii.key.lock");
        SecretFiles.ownerOnlyFolder(lockFile.getParent());
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            channel.lock();
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}

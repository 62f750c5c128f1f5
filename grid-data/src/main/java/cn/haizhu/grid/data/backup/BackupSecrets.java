package cn.haizhu.grid.data.backup;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.SecretFiles;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.people.PersonalDataKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a base backup keeps beside the data, sealed ({@link SealedSecrets}): the personal-data key
 * ring, without which every stored ID number and phone is noise; the embedded cluster's password,
 * which the restored cluster still has (its roles are in the data); and the other secret files of the
 * data folder (the demo password, the keys this node calls its peers with).
 */
final class BackupSecrets {
    static final String KEY_RING = "pii.keyring";
    static final String CLUSTER_PASSWORD = "cluster.password";
    static final String FOLDER = "secrets";
    /** Kept as {@link #KEY_RING}, from wherever the keys come, so not as files. */
    private static final Set<String> RING_FILES = Set.of("secrets/pii.key", "secrets/pii.key.retired");

    private BackupSecrets() {
    }

    /** The entries to seal for {@code config}'s data folder. */
    static Map<String, byte[]> collect(GridConfig config, String clusterPassword) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(KEY_RING, String.join("\n", PersonalDataKey.keys(config)).getBytes(StandardCharsets.UTF_8));
        entries.put(CLUSTER_PASSWORD, clusterPassword.getBytes(StandardCharsets.UTF_8));
        Path folder = config.dataDir().resolve(FOLDER);
        if (Files.isDirectory(folder)) {
            try (var walk = Files.walk(folder)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String name = config.dataDir().relativize(file).toString();
                    if (!file.getFileName().toString().startsWith(".") && !RING_FILES.contains(name)) {
                        entries.put(name, SecretFiles.read(file).getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return entries;
    }

    static List<String> ring(Map<String, byte[]> entries) {
        return new String(entries.get(KEY_RING), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    /** The ids of a ring's keys, the current first. */
    static List<String> ids(List<String> ring) {
        return ring.stream().map(PersonalDataCipher::keyIdOf).toList();
    }

    /** A restored folder's ring: its current key and the retired ones. */
    record Ring(String current, List<String> retired) {
    }

    /**
     * The ring a restored data folder gets. The data restored to a point may hold values under a key
     * that its base backup's ring does not know yet (rotated after it) or no longer lists, so every
     * ring of the repository goes in. The current key is the one the restored database records
     * ({@code recordedKeyId}, from {@code pii_key_state}) when a ring has it, else the base's own.
     */
    static Ring merge(List<String> baseRing, List<List<String>> allRings, String recordedKeyId) {
        Set<String> union = new LinkedHashSet<>(baseRing);
        for (int i = allRings.size() - 1; i >= 0; i--) {
            union.addAll(allRings.get(i));
        }
        String current = baseRing.get(0);
        for (String key : union) {
            if (PersonalDataCipher.keyIdOf(key).equals(recordedKeyId)) {
                current = key;
            }
        }
        List<String> retired = new ArrayList<>(union);
        retired.remove(current);
        return new Ring(current, List.copyOf(retired));
    }

    /** The secret files of the bundle, as names relative to the data folder ({@code secrets/…}) and their text. */
    static Map<String, String> files(Map<String, byte[]> entries) {
        Map<String, String> files = new LinkedHashMap<>();
        entries.forEach((name, value) -> {
            if (name.startsWith(FOLDER + "/") && !name.contains("..")) {
                files.put(name, new String(value, StandardCharsets.UTF_8));
            }
        });
        return files;
    }
}

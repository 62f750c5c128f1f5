package cn.haizhu.grid.data.people;

import cn.haizhu.grid.data.config.GridConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where the personal-data key comes from: {@code pii.key} / {@code GRIDCTL_PII_KEY} when set;
 * otherwise a key generated once into {@code <data dir>/secrets/pii.key} (owner-only), so a
 * newcomer's demo works and no key is ever in the repository. Losing that file makes the stored
 * ID numbers and phones unreadable: back it up with the database.
 */
public final class PersonalDataKey {
    private PersonalDataKey() {
    }

    public static PersonalDataCipher cipher(GridConfig config) {
        if (!config.piiKey().isBlank()) {
            return PersonalDataCipher.fromBase64(config.piiKey());
        }
        Path file = config.dataDir().resolve("secrets/pii.key");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwx------"));
                Files.writeString(file, PersonalDataCipher.newKey() + "\n");
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            return PersonalDataCipher.fromBase64(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the personal-data key " + file + ": " + e.getMessage(), e);
        }
    }
}

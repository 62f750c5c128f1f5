package cn.haizhu.grid.data.people;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.SecretFiles;
import java.io.IOException;
import java.nio.file.Path;

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
            return PersonalDataCipher.fromBase64(SecretFiles.readOrCreate(file, PersonalDataCipher::newKey));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or create the personal-data key " + file + ": " + e.getMessage(), e);
        }
    }
}

package cn.haizhu.grid.data.people;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.config.GridConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersonalDataKeyTest {
    @TempDir
    Path dir;

    private GridConfig generated() {
        return GridConfig.load(dir, Map.of("GRIDCTL_CONFIG", "/nonexistent", "GRIDCTL_DATA_DIR", dir.toString()));
    }

    @Test
    void rotatingAGeneratedKeyRetiresItBesideTheNewOneOwnerOnly() throws Exception {
        GridConfig config = generated();
        PersonalDataCipher before = PersonalDataKey.cipher(config);
        byte[] stored = before.encrypt("13800138000");

        PersonalDataKey.Rotation r = PersonalDataKey.rotate(config);
        assertTrue(r.written());
        PersonalDataCipher after = PersonalDataKey.cipher(config);
        assertEquals(r.currentKeyId(), after.keyId());
        assertEquals(List.of(before.keyId()), after.retiredKeyIds());
        assertEquals("13800138000", after.decrypt(stored), "the old key is still read");
        for (String name : List.of("pii.key", "pii.key.retired")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets").resolve(name))));
        }

        PersonalDataKey.rotate(config);
        PersonalDataCipher twice = PersonalDataKey.cipher(config);
        assertEquals(List.of(after.keyId(), before.keyId()), twice.retiredKeyIds(), "the latest retired first, none lost");
    }

    @Test
    void retiringDropsOnlyTheKeysNoValueUses() throws Exception {
        GridConfig config = generated();
        String a = PersonalDataKey.cipher(config).keyId();
        String b = PersonalDataKey.rotate(config).currentKeyId();
        String c = PersonalDataKey.rotate(config).currentKeyId();

        PersonalDataKey.Retirement kept = PersonalDataKey.retire(config, Set.of(c, a));
        assertEquals(List.of(b), kept.removedKeyIds());
        assertEquals(List.of(a), kept.keptKeyIds());
        assertEquals(List.of(a), PersonalDataKey.cipher(config).retiredKeyIds());

        PersonalDataKey.Retirement all = PersonalDataKey.retire(config, Set.of(c));
        assertEquals(List.of(a), all.removedKeyIds());
        assertEquals(List.of(), PersonalDataKey.cipher(config).retiredKeyIds());
        assertFalse(Files.exists(dir.resolve("secrets/pii.key.retired")));
        assertEquals(c, PersonalDataKey.cipher(config).keyId());
    }

    @Test
    void aConfiguredKeyIsNotRewrittenButTheLinesToSetArePrinted() throws Exception {
        String a = PersonalDataCipher.newKey();
        String older = PersonalDataCipher.newKey();
        GridConfig config = GridConfig.load(dir, Map.of("GRIDCTL_CONFIG", "/nonexistent", "GRIDCTL_DATA_DIR", dir.toString(),
                "GRIDCTL_PII_KEY", a, "GRIDCTL_PII_KEY_RETIRED", older));
        assertEquals(List.of(PersonalDataCipher.keyIdOf(older)), PersonalDataKey.cipher(config).retiredKeyIds());

        PersonalDataKey.Rotation r = PersonalDataKey.rotate(config);
        assertFalse(r.written());
        assertFalse(Files.exists(dir.resolve("secrets")), "nothing written to the data folder");
        String newKey = r.configurationLines().get(0).substring("pii.key=".length());
        assertEquals(r.currentKeyId(), PersonalDataCipher.keyIdOf(newKey));
        assertEquals("pii.key.retired=" + a + "," + older, r.configurationLines().get(1));
        assertTrue(r.configurationLines().contains("GRIDCTL_PII_KEY_RETIRED=" + a + "," + older), r.configurationLines().toString());

        GridConfig applied = GridConfig.load(dir, Map.of("GRIDCTL_CONFIG", "/nonexistent", "GRIDCTL_DATA_DIR", dir.toString(),
                "GRIDCTL_PII_KEY", newKey, "GRIDCTL_PII_KEY_RETIRED", a + "," + older));
        PersonalDataKey.Retirement retired = PersonalDataKey.retire(applied, Set.of(r.currentKeyId()));
        assertEquals(List.of(PersonalDataCipher.keyIdOf(a), PersonalDataCipher.keyIdOf(older)), retired.removedKeyIds());
        assertTrue(retired.configurationLines().get(0).startsWith("pii.key.retired="), retired.configurationLines().toString());
    }

    @Test
    void aKeyFileGoneMissingIsAnErrorNotANewKey() throws Exception {
        GridConfig config = generated();
        PersonalDataKey.cipher(config);
        Files.delete(dir.resolve("secrets/pii.key"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PersonalDataKey.existing(config));
        assertTrue(e.getMessage().contains("restore"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> PersonalDataKey.rotate(config));
        assertFalse(Files.exists(dir.resolve("secrets/pii.key")), "no key made up, which would open none of the stored values");
    }

    @Test
    void retiredKeysInTheConfigurationNeedAConfiguredKey() {
        GridConfig.ConfigException e = assertThrows(GridConfig.ConfigException.class, () -> GridConfig.load(dir,
                Map.of("GRIDCTL_CONFIG", "/nonexistent", "GRIDCTL_PII_KEY_RETIRED", PersonalDataCipher.newKey())));
        assertTrue(e.getMessage().contains("pii.key.retired"), e.getMessage());
    }
}

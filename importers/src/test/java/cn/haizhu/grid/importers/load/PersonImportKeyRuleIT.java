package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.KeyRotationState;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.demo.DemoDataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persons are deduplicated on the keyed hash of their ID number, which is unique only under one key:
 * an import runs only under the key the stored persons are under (docs/KEY-ROTATION.md). Here for a
 * database that recorded no key yet, as one migrated from before key ids; KeyRotationIT (server)
 * covers the database that did, through a whole rotation.
 */
class PersonImportKeyRuleIT {
    static final String KEY_A = PersonalDataCipher.newKey();
    static final String KEY_B = PersonalDataCipher.newKey();
    static Database db;
    static String house;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        db = TestDatabases.fresh("it_import_key_rule");
        new DemoDataset(0.01, 20240105L, TestDatabases.projectDir().resolve("var/test-data"))
                .ensureLoaded(db, PersonalDataCipher.fromBase64(KEY_A));
        house = value("SELECT code FROM house ORDER BY code LIMIT 1");
    }

    @AfterAll
    static void close() {
        db.close();
    }

    @Test
    void aDatabaseThatRecordedNoKeyTakesPersonsOnlyUnderTheKeyItsPersonsAreUnder() throws Exception {
        forgetTheKey();
        long persons = Long.parseLong(value("SELECT count(*) FROM person"));
        PersonalDataCipher rotated = PersonalDataCipher.fromBase64(KEY_B, List.of(KEY_A));
        Importer.ImportRefused pending = assertThrows(Importer.ImportRefused.class, () -> importOne(rotated, "44010519800101002"));
        assertTrue(pending.getMessage().contains("./gridctl pii-key reencrypt"), pending.getMessage());
        Importer.ImportRefused foreign = assertThrows(Importer.ImportRefused.class,
                () -> importOne(PersonalDataCipher.fromBase64(PersonalDataCipher.newKey()), "44010519800101002"));
        assertTrue(foreign.getMessage().contains("does not hold"), foreign.getMessage());
        assertEquals(String.valueOf(persons), value("SELECT count(*) FROM person"), "nothing imported");
        assertEquals("0", value("SELECT count(*) FROM pii_key_state"), "nothing recorded");

        PersonalDataCipher a = PersonalDataCipher.fromBase64(KEY_A);
        assertEquals(1, importOne(a, "44010519800101002").inserted());
        assertEquals(a.keyId(), value("SELECT current_key_id FROM pii_key_state"), "the key its persons are under, recorded");
    }

    @Test
    void aDatabaseWithoutPersonsTakesTheCurrentKey() throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("DELETE FROM person");
            forgetTheKey(s);
            PersonalDataCipher rotated = PersonalDataCipher.fromBase64(KEY_B, List.of(KEY_A));
            KeyRotationState.requireImportable(c, rotated);   // nothing stored under A: nothing to collide with
            assertEquals(rotated.keyId(), KeyRotationState.read(c).orElseThrow().currentKeyId());
            c.rollback();
        }
    }

    private ImportResult importOne(PersonalDataCipher ring, String first17) throws Exception {
        String id = first17 + IdNumber.checkChar(first17);
        Path f = dir.resolve("persons.csv");
        Files.write(f, List.of("id_number,name,gender,birth_date,household_type,phone,tags,house_code",
                id + ",李四,女,1980-01-01,户籍,,," + house), StandardCharsets.UTF_8);
        ImportResult r = new Importer(db, ring).run(new ImportRequest(Dataset.PERSONS, f, null, null, null, Map.of(), false,
                ImportRequest.MaxErrors.parse("0"), "it"), ImportProgress.NONE);
        assertEquals("succeeded", r.status(), r.toString());
        return r;
    }

    /** As in a database migrated from before key ids: no key recorded. */
    private static void forgetTheKey() throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            forgetTheKey(s);
        }
    }

    private static void forgetTheKey(Statement s) throws Exception {
        s.execute("DELETE FROM pii_key_state");
    }

    private static String value(String sql) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

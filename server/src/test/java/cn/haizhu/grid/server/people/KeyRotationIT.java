package cn.haizhu.grid.server.people;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.FormatOne;
import cn.haizhu.grid.data.people.KeyRotationState;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.data.people.Reencryption;
import cn.haizhu.grid.data.users.PasswordHash;
import cn.haizhu.grid.importers.demo.DemoDataset;
import cn.haizhu.grid.importers.load.Dataset;
import cn.haizhu.grid.importers.load.ImportProgress;
import cn.haizhu.grid.importers.load.ImportRequest;
import cn.haizhu.grid.importers.load.ImportResult;
import cn.haizhu.grid.importers.load.Importer;
import cn.haizhu.grid.server.CommandCenter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rotating the personal-data key of a running command center (docs/KEY-ROTATION.md), on the 1%
 * demo district: loaded under key A (some values in format 1, as a database from before key ids
 * holds them), rotated to key B through {@code ./gridctl pii-key}, re-encrypted while the server
 * keeps answering exact lookups and unmasked reads and while rows are edited, then A retired. The
 * server is never restarted. Its own database and data folder (keys), so nothing it rotates touches
 * the shared TestServer.
 */
class KeyRotationIT {
    static final String PASSWORD = "test-Passw0rd";
    static final String WHY = "&purpose=" + URLEncoder.encode("核查来电人身份 #12345", StandardCharsets.UTF_8);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path dataDir;
    static GridConfig config;
    static Database db;
    static CommandCenter center;
    static String keyA;
    static String keyIdA;
    static final List<String> tokens = new ArrayList<>();
    static final AtomicInteger nextToken = new AtomicInteger();

    /** A person as stored before the rotation, in the clear. */
    record Person(long id, String gid, String idNumber, String phone, String name, long version, String house) {
    }

    static Map<String, Person> before;

    @BeforeAll
    static void aDistrictUnderKeyA() throws Exception {
        Path project = TestDatabases.projectDir();
        dataDir = project.resolve("var/test-key-rotation");
        deleteTree(dataDir);
        db = TestDatabases.fresh("it_key_rotation");
        config = GridConfig.load(project, Map.of(
                "GRIDCTL_CONFIG", "/nonexistent",
                "GRIDCTL_DATA_DIR", dataDir.toString(),
                "GRIDCTL_HTTP_PORT", "1",
                "GRIDCTL_DEMO_SCALE", "0.01")).withHttpPort(0).withDatabase(db.url(), db.user(), db.password());
        PersonalDataCipher a = PersonalDataKey.cipher(config);   // generated into the data folder, as on a first start
        keyA = Files.readString(dataDir.resolve("secrets/pii.key")).trim();
        keyIdA = a.keyId();
        // the demo files are the shared test set's; the keys are this test's own
        new DemoDataset(0.01, config.demoSeed(), project.resolve("var/test-data")).ensureLoaded(db, a);
        storeSomeInFormatOne();
        before = persons(a);
        users();
        center = CommandCenter.start(config, db, () -> PersonalDataKey.existing(config));
        for (int i = 0; i < 12; i++) {
            tokens.add(token("rotation-reader-" + i));
        }
    }

    @AfterAll
    static void stop() {
        if (center != null) {
            center.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void rotatesTheKeyWhileTheServerServes() throws Exception {
        List<Person> sample = sample(40);
        for (Person p : sample.subList(0, 3)) {
            assertEquals(p.gid(), lookup(p.idNumber()), "before the rotation");
        }

        // rotate: B is current in the data folder, A retired; the running server follows without a restart
        assertEquals(0, pii("rotate"));
        PersonalDataCipher ring = PersonalDataKey.cipher(config);
        String keyIdB = ring.keyId();
        assertEquals(List.of(keyIdA), ring.retiredKeyIds());
        awaitServerKey(keyIdB);
        assertEquals(List.of(keyIdA), center.keys().retiredKeyIds(), "the server reads A still");
        assertEquals(sample.get(3).gid(), lookup(sample.get(3).idNumber()), "rows under A are found by a server writing with B");

        refusesToImportPersonsUntilReencrypted(ring);
        assertEquals(2, pii("retire"), "A is in use: retire refuses");
        aServerThatCannotFollowHoldsTheReencryptionBack(ring);
        thePersonStoredTwiceStopsTheRunWhichThenResumes(ring);

        // re-encrypt in small batches, with readers and writers at work
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger lookupsDuring = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread readers = new Thread(() -> {
            int i = 0;
            while (running.get()) {
                Person p = sample.get(i++ % sample.size());
                try {
                    // the lookup budget is 20 an hour per user: leave some for the checks after the run
                    String found = lookupsDuring.get() < 100 ? lookup(p.idNumber()) : null;
                    if (found != null) {
                        lookupsDuring.incrementAndGet();
                        if (!found.equals(p.gid())) {
                            failures.add("lookup of " + p.id() + " found " + found);
                        }
                    }
                    String unmasked = unmaskedIdNumber(p);
                    if (!p.idNumber().equals(unmasked)) {
                        failures.add("unmasked read of person " + p.id() + " gave " + unmasked);
                    }
                    Thread.sleep(20);
                } catch (Exception | AssertionError e) {
                    failures.add("person " + p.id() + ": " + e);
                }
            }
        }, "rotation-readers");
        Edits edits = new Edits(ring, sample);
        long changesBefore = count("SELECT count(*) FROM change_log_record WHERE table_name = 'person'");
        readers.start();
        Reencryption.Result result;
        try {
            result = new Reencryption(db, ring, 300, Duration.ofSeconds(30), edits).run();
        } finally {
            running.set(false);
            readers.join();
        }
        assertEquals(List.of(), List.copyOf(failures), "every lookup and unmasked read succeeded during the re-encryption");
        assertTrue(lookupsDuring.get() >= 10, "lookups ran during the re-encryption: " + lookupsDuring.get());
        assertTrue(edits.checkpoints >= 3, "reads at checkpoints inside the run: " + edits.checkpoints);
        assertTrue(result.changedMeanwhile() >= 1, "the row edited under the run's feet was left to the next pass: " + result);
        assertTrue(result.passes() >= 2, "the value written under A meanwhile was taken up by another pass: " + result);

        everyValueOpensUnderBAlone(keyIdB, edits);
        onlyTheEditsWroteChanges(edits, changesBefore);
        try (Connection c = db.connection()) {
            KeyRotationState.State state = KeyRotationState.read(c).orElseThrow();
            assertEquals(keyIdB, state.currentKeyId());
            assertFalse(state.reencrypting());
        }
        for (Person p : sample) {
            assertEquals(p.gid(), lookup(p.idNumber()), "after the re-encryption");
        }
        importsPersonsAgainWithoutDuplicates(ring);

        // retire A: nothing uses it; the server drops it, and still reads everything
        assertEquals(0, pii("retire"));
        assertEquals(List.of(), PersonalDataKey.cipher(config).retiredKeyIds());
        assertFalse(Files.exists(dataDir.resolve("secrets/pii.key.retired")));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!center.keys().retiredKeyIds().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), center.keys().retiredKeyIds(), "the server let go of A");
        for (Person p : sample.subList(0, 5)) {
            assertEquals(p.gid(), lookup(p.idNumber()));
            assertEquals(p.idNumber(), unmaskedIdNumber(p));
        }
        assertEquals(0, pii("status"));
        assertEquals(0, pii("retire"), "nothing left to retire");
    }

    /** Between rotate and reencrypt the stored hashes are A's: an import hashing under B would add each person again. */
    private void refusesToImportPersonsUntilReencrypted(PersonalDataCipher ring) throws Exception {
        long persons = count("SELECT count(*) FROM person");
        Importer.ImportRefused refused = assertThrows(Importer.ImportRefused.class,
                () -> new Importer(db, ring).run(personsFile(3, null), ImportProgress.NONE));
        assertTrue(refused.getMessage().contains("./gridctl pii-key reencrypt"), refused.getMessage());
        assertEquals(persons, count("SELECT count(*) FROM person"));
        // a process still on the old key alone is refused too, once the database has moved on (below)
    }

    /**
     * A second server whose key is pinned (as one with GRIDCTL_PII_KEY in its environment would be)
     * cannot follow the rotation: the re-encryption names it and changes nothing.
     */
    private void aServerThatCannotFollowHoldsTheReencryptionBack(PersonalDataCipher ring) throws Exception {
        PersonalDataCipher onlyA = PersonalDataCipher.fromBase64(keyA);
        try (CommandCenter pinned = CommandCenter.start(config, db, onlyA)) {
            awaitHolders(2);
            Reencryption.Refused refused = assertThrows(Reencryption.Refused.class,
                    () -> new Reencryption(db, ring, 300, Duration.ofSeconds(2), new Reencryption.Listener() { }).run());
            assertTrue(refused.getMessage().contains("key " + keyIdA), refused.getMessage());
            assertTrue(refused.getMessage().contains("restart"), refused.getMessage());
            assertEquals(0, count("SELECT count(*) FROM person WHERE substring(id_number_enc FROM 2 FOR 4) = decode('"
                    + ring.keyId() + "', 'hex')"), "nothing was re-encrypted");
            assertTrue(pinned.port() > 0);
        }
        awaitHolders(1);
    }

    /**
     * A person imported a second time under B while still stored under A (what the import rule
     * prevents; a database could hold it from before): the unique index stops the batch, the run
     * names both rows and stops, imports wait, and once one row is gone the next run resumes.
     */
    private void thePersonStoredTwiceStopsTheRunWhichThenResumes(PersonalDataCipher ring) throws Exception {
        List<Person> all = new ArrayList<>(before.values());
        all.sort((x, y) -> Long.compare(x.id(), y.id()));
        Person twice = all.get(2000);
        long copy;
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO person (id_number_enc, id_number_hash, id_number_masked, name, gender, birth_date, household_type,
                                    house_code, grid_code, community_code, street_code)
                SELECT ?, ?, id_number_masked, name, gender, birth_date, household_type, house_code, grid_code, community_code, street_code
                FROM person WHERE id = ? RETURNING id""")) {
            ps.setBytes(1, ring.encrypt(twice.idNumber()));
            ps.setBytes(2, ring.hash(twice.idNumber()));
            ps.setLong(3, twice.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                copy = rs.getLong(1);
            }
        }
        Reencryption.Refused refused = assertThrows(Reencryption.Refused.class,
                () -> new Reencryption(db, ring, 300, Duration.ofSeconds(10), new Reencryption.Listener() { }).run());
        assertTrue(refused.getMessage().contains("person id " + twice.id() + " and person id " + copy), refused.getMessage());
        long moved = count("SELECT count(*) FROM person WHERE substring(id_number_enc FROM 2 FOR 4) = decode('" + ring.keyId() + "', 'hex')");
        assertTrue(moved > 1000 && moved < before.size() / 2, "the batches before it are done, the rest waits: " + moved);
        Importer.ImportRefused waits = assertThrows(Importer.ImportRefused.class,
                () -> new Importer(db, ring).run(personsFile(3, null), ImportProgress.NONE));
        assertTrue(waits.getMessage().contains("being re-encrypted"), waits.getMessage());
        try (Connection c = db.connection()) {
            update(c, "DELETE FROM person WHERE id = " + copy);
        }
    }

    /**
     * What happens to the data while the run goes on, at its first progress reports: one person
     * renamed, one given a new phone by a process still writing under A (to be caught by a later
     * pass), one given a new phone under B, and one edited in a transaction the run's batch has to
     * wait for, and which then leaves the run's read of it stale. Plus reads at a few checkpoints.
     */
    final class Edits implements Reencryption.Listener {
        final PersonalDataCipher ring;
        final PersonalDataCipher underA = PersonalDataCipher.fromBase64(keyA);
        final List<Person> sample;
        final Person renamed;
        final Person staleWriter;
        final Person newPhone;
        final Person lockedWhileRead;
        final Map<Long, String> phones = new HashMap<>();
        int batches;
        int checkpoints;
        Thread locker;

        Edits(PersonalDataCipher ring, List<Person> sample) {
            this.ring = ring;
            this.sample = sample;
            List<Person> all = new ArrayList<>(before.values());
            all.sort((x, y) -> Long.compare(x.id(), y.id()));
            int n = all.size();
            renamed = all.get(100);                 // in the first batch
            staleWriter = all.get(150);             // in the first batch, written again under A after it
            newPhone = all.get(n - 100);            // late in the pass
            lockedWhileRead = all.get(n / 2);       // mid-pass: the run reads it, then waits for the edit's lock
        }

        @Override
        public void progress(Reencryption.Progress p) {
            if (!p.table().equals("person") || p.pass() != 1) {
                return;
            }
            batches++;
            try (Connection c = db.connection()) {
                if (batches == 1) {
                    update(c, "UPDATE person SET name = name || '改' WHERE id = " + renamed.id());
                    writePhone(c, staleWriter, "13900000001", underA);
                    writePhone(c, newPhone, "13900000002", ring);
                    lockBeforeTheRunReads();
                }
                if (batches % 12 == 1) {
                    // a read inside the run: one person already moved to B, one not yet
                    checkpoints++;
                    for (Person q : List.of(renamed, newPhone)) {
                        assertEquals(q.gid(), lookup(q.idNumber()), "at batch " + batches);
                        assertEquals(q.idNumber(), unmaskedIdNumber(q), "at batch " + batches);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /**
         * Another transaction holds {@code lockedWhileRead} with a new phone (under B) uncommitted; the
         * run's batch reads the old values and blocks on the row; the edit commits once the run waits,
         * so the run's conditional update finds the row changed and leaves it to the next pass.
         */
        private void lockBeforeTheRunReads() throws Exception {
            AtomicBoolean locked = new AtomicBoolean();
            locker = new Thread(() -> {
                try (Connection c = db.connection()) {
                    c.setAutoCommit(false);
                    writePhone(c, lockedWhileRead, "13900000003", ring);
                    locked.set(true);
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    // a row lock wait (not a reader's advisory lock): the run's update of this row
                    while (count(c, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            + " AND wait_event_type = 'Lock' AND wait_event IN ('transactionid', 'tuple')") == 0
                            && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    c.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "rotation-locker");
            locker.start();
            while (!locked.get()) {
                Thread.sleep(10);
            }
        }

        private void writePhone(Connection c, Person p, String phone, PersonalDataCipher under) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("UPDATE person SET phone_enc = ?, phone_hash = ? WHERE id = ?")) {
                ps.setBytes(1, under.encrypt(phone));
                ps.setBytes(2, under.hash(phone));
                ps.setLong(3, p.id());
                assertEquals(1, ps.executeUpdate());
            }
            phones.put(p.id(), phone);
        }
    }

    private void everyValueOpensUnderBAlone(String keyIdB, Edits edits) throws Exception {
        edits.locker.join();
        PersonalDataCipher onlyB = PersonalDataCipher.fromBase64(Files.readString(dataDir.resolve("secrets/pii.key")).trim());
        assertEquals(keyIdB, onlyB.keyId());
        Map<String, Person> after = persons(onlyB);
        assertEquals(before.keySet(), after.keySet(), "no person lost or added");
        for (Person was : before.values()) {
            Person is = after.get(was.gid());
            assertEquals(was.idNumber(), is.idNumber());
            assertEquals(edits.phones.getOrDefault(was.id(), was.phone()), is.phone(), "person " + was.id());
            assertEquals(was.id() == edits.renamed.id() ? was.name() + "改" : was.name(), is.name());
        }
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id_number_enc, id_number_hash, phone_enc, phone_hash FROM person")) {
            int rows = 0;
            while (rs.next()) {
                rows++;
                assertEquals(keyIdB, PersonalDataCipher.keyIdOfSealed(rs.getBytes(1)));
                assertArrayEquals(onlyB.hash(onlyB.decrypt(rs.getBytes(1))), rs.getBytes(2), "ID hash under B");
                if (rs.getBytes(3) != null) {
                    assertEquals(keyIdB, PersonalDataCipher.keyIdOfSealed(rs.getBytes(3)));
                    assertArrayEquals(onlyB.hash(onlyB.decrypt(rs.getBytes(3))), rs.getBytes(4), "phone hash under B");
                }
            }
            assertEquals(before.size(), rows);
        }
        assertEquals(before.size(), count("SELECT count(DISTINCT id_number_hash) FROM person"), "no person twice");
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT phone_enc, phone_hash FROM grid_worker")) {
            int workers = 0;
            while (rs.next()) {
                workers++;
                assertArrayEquals(onlyB.hash(onlyB.decrypt(rs.getBytes(1))), rs.getBytes(2), "grid worker phone under B");
            }
            assertTrue(workers > 0);
        }
    }

    /** Re-encryption is no change of the record: only the test's own edits bumped a version or wrote the change log. */
    private void onlyTheEditsWroteChanges(Edits edits, long changesBefore) throws Exception {
        Set<Long> edited = Set.of(edits.renamed.id(), edits.staleWriter.id(), edits.newPhone.id(), edits.lockedWhileRead.id());
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT gid, version FROM person")) {
            while (rs.next()) {
                Person was = before.get(rs.getString(1));
                assertEquals(was.version() + (edited.contains(was.id()) ? 1 : 0), rs.getLong(2), "version of person " + was.id());
            }
        }
        assertEquals(changesBefore + edited.size(), count("SELECT count(*) FROM change_log_record WHERE table_name = 'person'"),
                "one change-log record per edit, none for the re-encryption");
    }

    /** Once the database is under B, the same persons imported again are updated in place, never added twice. */
    private void importsPersonsAgainWithoutDuplicates(PersonalDataCipher ring) throws Exception {
        long persons = count("SELECT count(*) FROM person");
        ImportResult r = new Importer(db, ring).run(personsFile(3, "13911112222"), ImportProgress.NONE);
        assertEquals("succeeded", r.status(), r.toString());
        assertEquals(0, r.inserted(), r.toString());
        assertEquals(1, r.updated(), "the one with a new phone: " + r);
        assertEquals(2, r.unchanged(), r.toString());
        assertEquals(persons, count("SELECT count(*) FROM person"));
        // and a process still holding only A is refused, now that the database is under B
        Importer.ImportRefused stale = assertThrows(Importer.ImportRefused.class,
                () -> new Importer(db, PersonalDataCipher.fromBase64(keyA)).run(personsFile(3, null), ImportProgress.NONE));
        assertTrue(stale.getMessage().contains("does not hold"), stale.getMessage());
    }

    // ---- set-up and helpers ----

    /** A quarter of the persons and half the workers as every database from before key ids stored them. */
    private static void storeSomeInFormatOne() throws Exception {
        PersonalDataCipher a = PersonalDataCipher.fromBase64(keyA);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT id, id_number_enc, phone_enc FROM person WHERE id % 4 = 0");
                 PreparedStatement ps = c.prepareStatement("UPDATE person SET id_number_enc = ?, phone_enc = ? WHERE id = ?")) {
                while (rs.next()) {
                    ps.setBytes(1, FormatOne.seal(keyA, a.decrypt(rs.getBytes(2))));
                    ps.setBytes(2, rs.getBytes(3) == null ? null : FormatOne.seal(keyA, a.decrypt(rs.getBytes(3))));
                    ps.setLong(3, rs.getLong(1));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, phone_enc FROM grid_worker WHERE id % 2 = 0");
                 PreparedStatement ps = c.prepareStatement("UPDATE grid_worker SET phone_enc = ? WHERE id = ?")) {
                while (rs.next()) {
                    ps.setBytes(1, FormatOne.seal(keyA, a.decrypt(rs.getBytes(2))));
                    ps.setLong(2, rs.getLong(1));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
        assertTrue(count("SELECT count(*) FROM person WHERE get_byte(id_number_enc, 0) = 1") > 100);
    }

    private static Map<String, Person> persons(PersonalDataCipher ring) throws Exception {
        Map<String, Person> out = new HashMap<>();
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id, gid, id_number_enc, phone_enc, name, version, house_code FROM person")) {
            while (rs.next()) {
                out.put(rs.getString(2), new Person(rs.getLong(1), rs.getString(2), ring.decrypt(rs.getBytes(3)),
                        ring.decrypt(rs.getBytes(4)), rs.getString(5), rs.getLong(6), rs.getString(7)));
            }
        }
        return out;
    }

    /** Persons spread over the id range (some in format 1). */
    private static List<Person> sample(int n) {
        List<Person> all = new ArrayList<>(before.values());
        all.sort((x, y) -> Long.compare(x.id(), y.id()));
        List<Person> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(all.get(7 + i * (all.size() - 20) / n));
        }
        return out;
    }

    /** Admin users to read with: the lookup budget is per user. */
    private static void users() throws Exception {
        String hash = PasswordHash.hash(PASSWORD);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO app_user (username, display_name, password_hash, role, scope_kind, scope_code)
                VALUES (?, ?, ?, 'admin', 'district', '440105')""")) {
            for (int i = 0; i < 12; i++) {
                ps.setString(1, "rotation-reader-" + i);
                ps.setString(2, "rotation reader " + i);
                ps.setString(3, hash);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String token(String username) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/auth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", username).put("password", PASSWORD).encode())));
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body()).getString("token");
    }

    private static String base() {
        return "http://localhost:" + center.port();
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return HTTP.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String path) {
        // the lookup budget is per user and hour: spread the reads over the test's users
        String token = tokens.get(Math.floorMod(nextToken.getAndIncrement(), tokens.size()));
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token).GET());
    }

    /** The gid the server finds by exact lookup of an ID number, or null when every user's budget is spent. */
    static String lookup(String idNumber) {
        for (int tries = 0; tries < tokens.size(); tries++) {
            HttpResponse<String> r = get("/api/v1/persons/lookup?id_number=" + idNumber + WHY);
            if (r.statusCode() == 429) {
                continue;
            }
            assertEquals(200, r.statusCode(), r.body());
            return new JsonObject(r.body()).getString("id");
        }
        return null;
    }

    /** The person's ID number as the unmasked list of their house shows it. */
    static String unmaskedIdNumber(Person p) {
        HttpResponse<String> r = get("/api/v1/persons?house=" + p.house() + "&unmask=true&limit=200" + WHY);
        assertEquals(200, r.statusCode(), r.body());
        JsonArray items = new JsonObject(r.body()).getJsonArray("items");
        for (int i = 0; i < items.size(); i++) {
            if (items.getJsonObject(i).getString("id").equals(p.gid())) {
                return items.getJsonObject(i).getString("idNumber");
            }
        }
        return null;
    }

    /** The first {@code rows} persons of the demo file, the first of them with {@code newPhone} when given. */
    private static ImportRequest personsFile(int rows, String newPhone) throws Exception {
        Path demo = new DemoDataset(0.01, config.demoSeed(), TestDatabases.projectDir().resolve("var/test-data")).filesDir();
        List<String> lines = Files.readAllLines(demo.resolve("persons.csv"));
        List<String> out = new ArrayList<>(lines.subList(0, rows + 1));
        if (newPhone != null) {
            String[] f = out.get(1).split(",", -1);
            f[5] = newPhone;
            out.set(1, String.join(",", f));
        }
        Path file = dataDir.resolve("persons-" + rows + "-" + newPhone + ".csv");
        Files.write(file, out);
        return new ImportRequest(Dataset.PERSONS, file, StandardCharsets.UTF_8, null, null, Map.of(), false,
                ImportRequest.MaxErrors.parse("0"), "key-rotation-it");
    }

    /** Runs {@code ./gridctl pii-key ARGS} against this test's configuration; its exit code. */
    private static int pii(String... args) {
        return PiiKeyCommand.create(() -> config).execute(args);
    }

    private static void awaitServerKey(String keyId) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean advertised;
            try (Connection c = db.connection()) {
                advertised = Reencryption.holders(c).stream().allMatch(h -> keyId.equals(h.keyId()));
            }
            if (center.keys().keyId().equals(keyId) && advertised) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server did not take up key " + keyId + "; it writes with " + center.keys().keyId());
    }

    private static void awaitHolders(int n) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Connection c = db.connection()) {
                List<Reencryption.Holder> holders = Reencryption.holders(c);
                if (holders.size() == n && holders.stream().allMatch(h -> h.keyId() != null)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + n + " key listeners");
    }

    static long count(String sql) throws SQLException {
        try (Connection c = db.connection()) {
            return count(c, sql);
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate(sql));
        }
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

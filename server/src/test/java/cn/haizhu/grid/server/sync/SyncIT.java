package cn.haizhu.grid.server.sync;

import static cn.haizhu.grid.server.sync.SyncNetwork.DISTRICT;
import static cn.haizhu.grid.server.sync.SyncNetwork.STREET_1;
import static cn.haizhu.grid.server.sync.SyncNetwork.HTTP;
import static cn.haizhu.grid.server.sync.SyncNetwork.STREET_2;
import static cn.haizhu.grid.server.sync.SyncNetwork.bind;
import static cn.haizhu.grid.server.sync.SyncNetwork.bytes;
import static cn.haizhu.grid.server.sync.SyncNetwork.count;
import static cn.haizhu.grid.server.sync.SyncNetwork.cursorAt;
import static cn.haizhu.grid.server.sync.SyncNetwork.first;
import static cn.haizhu.grid.server.sync.SyncNetwork.row;
import static cn.haizhu.grid.server.sync.SyncNetwork.send;
import static cn.haizhu.grid.server.sync.SyncNetwork.update;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.server.CommandCenter;
import cn.haizhu.grid.server.sync.SyncNetwork.Node;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exchange between three real nodes talking over real HTTP ({@link SyncNetwork}: the Haizhu
 * district, which alone loads the demo data, and two of its streets, which get theirs by pulling its
 * feed). Nothing is mocked: every check below watches a change travel.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class SyncIT {
    /** A round of the exchange, at most: a puller a partition left failing waits up to its backoff (30 s) before it pulls again. */
    static final Duration ROUND = Duration.ofSeconds(45);

    static SyncNetwork network;
    static Node district;
    static Node street1;
    static Node street2;
    static FaultProxy street2Upstream;

    @BeforeAll
    static void startTheNetwork() throws Exception {
        GridCounts.everyMillis = 1_000;   // the walls' counts follow within a round, not two minutes
        network = SyncNetwork.start("sync", true);
        district = network.district;
        street1 = network.street1;
        street2 = network.street2;
        street2Upstream = network.street2Upstream;
    }

    @AfterAll
    static void stop() {
        if (network != null) {
            network.close();
        }
    }

    // ── the checks ──

    @Test
    void aStreetNeverReceivesARecordOutsideItsStreet() throws Exception {
        for (Node s : List.of(street1, street2)) {
            for (String table : List.of("grid", "house", "person", "enterprise")) {
                assertEquals(0, count(s, "SELECT count(*) FROM " + table + " WHERE street_code <> ?", s.code()),
                        table + " outside " + s.code() + " at " + s.code());
            }
            assertEquals(0, count(s, "SELECT count(*) FROM admin_area WHERE level <> 'district' AND street_code <> ?", s.code()));
        }
        // and its persons are sealed under its own key: the district's hash of an ID number is not the street's
        String[] p = row(street1, "SELECT gid::text, id_number_enc, id_number_hash FROM person ORDER BY gid LIMIT 1");
        String id = street1.cipher().decrypt(bytes(street1, "SELECT id_number_enc FROM person WHERE gid = ?::uuid", p[0]));
        assertEquals(id, district.cipher().decrypt(bytes(district, "SELECT id_number_enc FROM person WHERE gid = ?::uuid", p[0])));
        assertTrue(java.util.Arrays.equals(street1.cipher().hash(id),
                bytes(street1, "SELECT id_number_hash FROM person WHERE gid = ?::uuid", p[0])));
        assertFalse(java.util.Arrays.equals(district.cipher().hash(id),
                bytes(street1, "SELECT id_number_hash FROM person WHERE gid = ?::uuid", p[0])));
        // every person sent was audited, purpose sync:<peer>
        assertTrue(count(district, "SELECT coalesce(sum(row_count), 0) FROM pii_audit WHERE purpose = ?", "sync:" + STREET_1)
                >= count(street1, "SELECT count(*) FROM person"));
    }

    @Test
    void aHouseEditedAtAStreetReachesTheDistrictAndNeverComesBack() throws Exception {
        String house = first(street1, "SELECT code FROM house ORDER BY code LIMIT 1");
        String before = cursorAt(district);
        update(street1, "UPDATE house SET address = '赤岗街道测试路1号' WHERE code = ?", house);
        String[] atStreet = row(street1, "SELECT version, origin FROM house WHERE code = ?", house);
        assertEquals(STREET_1, atStreet[1]);
        eventually(ROUND, "the street's edit at the district", () -> "赤岗街道测试路1号".equals(
                first(district, "SELECT address FROM house WHERE code = ?", house)));
        assertEquals(List.of(atStreet), List.of(row(district, "SELECT version, origin FROM house WHERE code = ?", house)),
                "the district keeps the street's version and origin");
        // the district's feed, read with the street's key, never hands the street its own change back
        JsonObject feed = changes(district, street1.peerKey(), before);
        String gid = first(district, "SELECT gid::text FROM house WHERE code = ?", house);
        for (Object o : feed.getJsonArray("changes")) {
            assertNotEquals(gid, ((JsonObject) o).getString("gid"), "the street's own change came back: " + o);
        }
        assertEquals(1, count(street1, "SELECT count(*) FROM change_log_record WHERE record_gid = ?::uuid AND version = ?",
                gid, Long.parseLong(atStreet[0])), "the street logged its edit once, and applied nothing back");
    }

    @Test
    void aDistrictEditOfAStreetsHouseAppliesThereWhileTheStreetsVersionHasNotMoved() throws Exception {
        String house = first(street1, "SELECT code FROM house ORDER BY code OFFSET 1 LIMIT 1");
        update(district, "UPDATE house SET building = 'B栋' WHERE code = ?", house);
        String[] atDistrict = row(district, "SELECT version, origin FROM house WHERE code = ?", house);
        eventually(ROUND, "the district's edit at the street", () -> "B栋".equals(first(street1, "SELECT building FROM house WHERE code = ?", house)));
        assertEquals(List.of(atDistrict), List.of(row(street1, "SELECT version, origin FROM house WHERE code = ?", house)));
        assertEquals(0, count(street1, "SELECT count(*) FROM sync_conflict"
                + " WHERE record_gid = (SELECT gid FROM house WHERE code = ?)", house));
    }

    @Test
    void aDistrictEditOfAHouseTheStreetChangedMeanwhileIsAConflictTheStreetsOfficerDecides() throws Exception {
        String house = first(street1, "SELECT code FROM house ORDER BY code OFFSET 2 LIMIT 1");
        String gid = first(street1, "SELECT gid::text FROM house WHERE code = ?", house);
        // the street edits the house and holds it locked: the district's edit, made meanwhile, can only arrive after
        holdingLocked(street1, "UPDATE house SET room = '街道改' WHERE code = ?", house,
                () -> update(district, "UPDATE house SET room = '区里改' WHERE code = ?", house));
        eventually(ROUND, "the conflict at the street", () -> count(street1,
                "SELECT count(*) FROM sync_conflict WHERE record_gid = ?::uuid AND decided_at IS NULL", gid) == 1);
        // the owner's copy stands, and replaces the district's request there too
        assertEquals("街道改", first(street1, "SELECT room FROM house WHERE code = ?", house));
        eventually(ROUND, "the owner's copy back at the district", () -> "街道改".equals(first(district,
                "SELECT room FROM house WHERE code = ?", house)));
        String[] owners = row(street1, "SELECT version, origin FROM house WHERE code = ?", house);
        assertEquals(STREET_1, owners[1]);
        eventually(ROUND, "the same version at both", () -> List.of(owners).equals(java.util.Arrays.asList(row(district,
                "SELECT version, origin FROM house WHERE code = ?", house))));

        // the street's data officer sees it (冲突待处理) and takes the district's request
        String officer = officerToken(street1);
        JsonObject list = new JsonObject(send(street1, "GET", "/api/v1/sync/conflicts", officer, null).body());
        JsonObject conflict = list.getJsonArray("items").stream().map(JsonObject.class::cast)
                .filter(x -> gid.equals(x.getString("gid"))).findFirst().orElseThrow();
        assertEquals(DISTRICT, conflict.getJsonObject("request").getString("origin"));
        assertEquals("区里改", conflict.getJsonObject("request").getJsonObject("record").getString("room"));
        // a peer's key is no officer
        assertEquals(403, send(district, "GET", "/api/v1/sync/conflicts", street1.peerKey(), null).statusCode());
        HttpResponse<String> decided = send(street1, "POST", "/api/v1/sync/conflicts/" + conflict.getLong("id") + "/decide", officer,
                new JsonObject().put("keep", "request"));
        assertEquals(204, decided.statusCode(), decided.body());
        assertEquals(409, send(street1, "POST", "/api/v1/sync/conflicts/" + conflict.getLong("id") + "/decide", officer,
                new JsonObject().put("keep", "owner")).statusCode(), "decided once");
        assertEquals("区里改", first(street1, "SELECT room FROM house WHERE code = ?", house));
        eventually(ROUND, "the decision at the district", () -> "区里改".equals(first(district, "SELECT room FROM house WHERE code = ?", house)));
    }

    @Test
    void aPersonMovedFromOneStreetToTheOtherLeavesTheFirstAndArrivesAtTheSecond() throws Exception {
        String person = first(street1, "SELECT gid::text FROM person ORDER BY gid LIMIT 1");
        String[] target = row(district, "SELECT code, grid_code, community_code, street_code FROM house WHERE street_code = ? ORDER BY code LIMIT 1",
                STREET_2);
        String id = district.cipher().decrypt(bytes(district, "SELECT id_number_enc FROM person WHERE gid = ?::uuid", person));
        update(district, "UPDATE person SET house_code = ?, grid_code = ?, community_code = ?, street_code = ? WHERE gid = ?::uuid",
                target[0], target[1], target[2], target[3], person);
        eventually(ROUND, "the resident at street 2", () -> count(street2, "SELECT count(*) FROM person WHERE gid = ?::uuid", person) == 1);
        eventually(ROUND, "the resident gone from street 1", () -> count(street1, "SELECT count(*) FROM person WHERE gid = ?::uuid", person) == 0);
        assertEquals(id, street2.cipher().decrypt(bytes(street2, "SELECT id_number_enc FROM person WHERE gid = ?::uuid", person)));
        // a scope exit drops the copy; it is no tombstone: the record lives on at the district
        assertEquals(1, count(district, "SELECT count(*) FROM person WHERE gid = ?::uuid", person));
    }

    @Test
    void aDeleteAtTheOwnerPropagates() throws Exception {
        String person = first(street2, "SELECT gid::text FROM person ORDER BY gid DESC LIMIT 1");
        assertEquals(1, count(district, "SELECT count(*) FROM person WHERE gid = ?::uuid", person));
        update(street2, "DELETE FROM person WHERE gid = ?::uuid", person);
        eventually(ROUND, "the delete at the district", () -> count(district, "SELECT count(*) FROM person WHERE gid = ?::uuid", person) == 0);
    }

    @Test
    void aRecordChangedTwiceInOneBatchCarriesTheBaseOfEachChange() throws Exception {
        // one change per record in a batch, with the base of its first entry; the owner's answer to a request can be
        // a later one (ApplyRule), so the later bases go along
        String house = first(street1, "SELECT code FROM house ORDER BY code OFFSET 3 LIMIT 1");
        String gid = first(street1, "SELECT gid::text FROM house WHERE code = ?", house);
        String[] v0 = row(street1, "SELECT version, origin FROM house WHERE code = ?", house);
        String before = cursorAt(street1);
        update(street1, "UPDATE house SET unit = '1单元' WHERE code = ?", house);
        String[] v1 = row(street1, "SELECT version, origin FROM house WHERE code = ?", house);
        update(street1, "UPDATE house SET unit = '2单元' WHERE code = ?", house);
        JsonObject change = changeOf(changes(street1, keyOfTheDistrictFor(STREET_1), before), gid);
        assertEquals(Long.parseLong(v0[0]) + 2, change.getLong("version"), "the record as it is now");
        assertEquals(Long.parseLong(v0[0]), change.getLong("base"));
        assertEquals(v0[1], change.getString("baseOrigin"));
        assertEquals(new JsonArray().add(new JsonObject().put("version", Long.parseLong(v1[0])).put("origin", v1[1])),
                change.getJsonArray("laterBases"));
    }

    @Test
    void anEditThenADeleteGoOutAsADeleteMadeFromTheVersionBeforeTheEdit() throws Exception {
        // the edit is not sent (the record is gone); the delete is, made from what the owner held: it applies there
        String person = first(district, "SELECT gid::text FROM person WHERE street_code = ? ORDER BY gid OFFSET 5 LIMIT 1", STREET_2);
        String[] v0 = row(district, "SELECT version, origin FROM person WHERE gid = ?::uuid", person);
        String before = cursorAt(district);
        update(district, "UPDATE person SET name = '先改后删' WHERE gid = ?::uuid", person);
        update(district, "DELETE FROM person WHERE gid = ?::uuid", person);
        JsonObject change = changeOf(changes(district, street2.peerKey(), before), person);
        assertEquals("delete", change.getString("op"));
        assertEquals("deleted", change.getString("reason"));
        assertEquals(Long.parseLong(v0[0]), change.getLong("base"));
        assertEquals(v0[1], change.getString("baseOrigin"));
        eventually(ROUND, "the delete at the street", () -> count(street2, "SELECT count(*) FROM person WHERE gid = ?::uuid", person) == 0);
        assertEquals(0, count(street2, "SELECT count(*) FROM sync_conflict WHERE record_gid = ?::uuid", person));
        assertEquals(0, count(district, "SELECT count(*) FROM person WHERE gid = ?::uuid", person));
    }

    @Test
    void anEditWhoseDeleteIsStillAboveTheFenceWaitsToGoOutWithIt() throws Exception {
        // the feed reads a record as it is now: an edit of a record deleted since cannot be sent. Its delete, above the
        // fence while an older transaction is open, must not go out later alone, with the edit's version as its base (a
        // version the owner never received: a conflict where the request should apply). The feed waits for it instead.
        String person = first(district, "SELECT gid::text FROM person WHERE street_code = ? ORDER BY gid OFFSET 9 LIMIT 1", STREET_2);
        String[] v0 = row(district, "SELECT version, origin FROM person WHERE gid = ?::uuid", person);
        String before = cursorAt(district);
        update(district, "UPDATE person SET name = '改后即删' WHERE gid = ?::uuid", person);
        String edited = cursorAt(district);
        try (Connection open = district.db().connection()) {
            open.setAutoCommit(false);
            try (PreparedStatement ps = open.prepareStatement("SELECT pg_current_xact_id()")) {
                ps.executeQuery().close();   // a transaction with an id, older than the delete: the fence stays below it
            }
            update(district, "DELETE FROM person WHERE gid = ?::uuid", person);
            JsonObject held = changes(district, street2.peerKey(), before);
            assertTrue(held.getJsonArray("changes").stream().noneMatch(c -> person.equals(((JsonObject) c).getString("gid"))), held.encode());
            assertTrue(precedes(held.getString("next"), edited),
                    "the feed does not move past the edit: " + held.getString("next") + " (the edit at " + edited + ")");
            open.commit();
        }
        JsonObject change = changeOf(changes(district, street2.peerKey(), before), person);
        assertEquals("delete", change.getString("op"));
        assertEquals(Long.parseLong(v0[0]), change.getLong("base"));
        assertEquals(v0[1], change.getString("baseOrigin"));
        eventually(ROUND, "the delete at the street", () -> count(street2, "SELECT count(*) FROM person WHERE gid = ?::uuid", person) == 0);
        assertEquals(0, count(street2, "SELECT count(*) FROM sync_conflict WHERE record_gid = ?::uuid", person));
    }

    @Test
    void aDeleteAtTheDistrictOfARecordTheStreetChangedMeanwhileWaitsAtTheStreetAsAConflict() throws Exception {
        String gid = first(street2, "SELECT gid::text FROM enterprise ORDER BY gid LIMIT 1");
        // the street cannot read the district for a moment; the district deletes the street's enterprise (a request) and
        // holds it locked: the street's edit, made meanwhile, reaches the district after the delete. It does not bring the
        // record back there: the district's delete waits for the owner's answer, as an edit would (once it did, an edit
        // at the district then folded the delete away in its feed, and the delete was lost: ConvergenceIT)
        street2Upstream.partition(true);
        try {
            holdingLocked(district, "DELETE FROM enterprise WHERE gid = ?::uuid", gid,
                    () -> update(street2, "UPDATE enterprise SET legal_person = '街道改' WHERE gid = ?::uuid", gid));
            String edit = first(street2, "SELECT txid::text || ':' || id || ':0' FROM change_log WHERE record_gid = ?::uuid"
                    + " ORDER BY txid DESC, id DESC LIMIT 1", gid);
            eventually(ROUND, "the street's edit pulled by the district", () -> !precedes(first(district,
                    "SELECT cursor FROM sync_checkpoint WHERE peer_code = ?", STREET_2), edit));
            assertEquals(0, count(district, "SELECT count(*) FROM enterprise WHERE gid = ?::uuid", gid),
                    "the owner's edit made before it saw the delete does not bring the record back at the district");
        } finally {
            street2Upstream.partition(false);
        }
        // the delete still reaches the street, which keeps its version and the request for its officers
        eventually(ROUND, "the delete request as a conflict at the street", () -> count(street2, "SELECT count(*) FROM sync_conflict"
                + " WHERE record_gid = ?::uuid AND request_op = 'delete' AND decided_at IS NULL", gid) == 1);
        String[] owners = row(street2, "SELECT version, origin, legal_person FROM enterprise WHERE gid = ?::uuid", gid);
        assertEquals(List.of(STREET_2, "街道改"), List.of(owners[1], owners[2]));
        // until it arrives the district has no such row (nulls: Arrays.asList, which takes them)
        eventually(ROUND, "the owner's version at the district", () -> List.of(owners).equals(java.util.Arrays.asList(row(district,
                "SELECT version, origin, legal_person FROM enterprise WHERE gid = ?::uuid", gid))));
    }

    @Test
    void aResidentMovedEditedOrInsertedIntoAHouseItsStreetDeletesStopsNoLinkAndWaitsAsAConflictAtTheStreet() throws Exception {
        // street 2 deletes a house and the residents it knows of, while it cannot read the district; the district meanwhile
        // moves a resident of another house of street 2 into it, edits one of its residents, and inserts one (a resident
        // of street 1's copied: a valid sealed ID number). Without a rule both links stopped on that for good
        String[] house = row(street2, "SELECT h.code, h.gid::text FROM house h WHERE EXISTS (SELECT 1 FROM person p WHERE p.house_code = h.code)"
                + " ORDER BY h.code OFFSET 7 LIMIT 1");
        String known = first(street2, "SELECT gid::text FROM person WHERE house_code = ? ORDER BY gid LIMIT 1", house[0]);
        String[] moved = row(street2, "SELECT gid::text, house_code, version, origin FROM person WHERE house_code <> ? AND street_code = ?"
                + " ORDER BY gid OFFSET 11 LIMIT 1", house[0], STREET_2);
        String otherHouse = first(street2, "SELECT gid::text FROM house WHERE code <> ? AND code <> ? ORDER BY code OFFSET 3 LIMIT 1",
                house[0], moved[1]);
        street2Upstream.partition(true);
        String inserted;
        try {
            update(district, "UPDATE person p SET house_code = h.code, grid_code = h.grid_code, community_code = h.community_code,"
                    + " street_code = h.street_code FROM house h WHERE h.code = ? AND p.gid = ?::uuid", house[0], moved[0]);
            update(district, "UPDATE person SET name = '区里改' WHERE gid = ?::uuid", known);
            inserted = first(district, "INSERT INTO person (id_number_enc, id_number_hash, id_number_masked, name, gender, birth_date,"
                    + " household_type, house_code, grid_code, community_code, street_code) SELECT p.id_number_enc,"
                    + " sha256(gen_random_uuid()::text::bytea), p.id_number_masked, '区里新增', p.gender, p.birth_date, p.household_type,"
                    + " h.code, h.grid_code, h.community_code, h.street_code FROM person p, house h WHERE p.street_code = ? AND h.code = ?"
                    + " ORDER BY p.gid LIMIT 1 RETURNING gid::text", STREET_1, house[0]);
            update(street2, "DELETE FROM person WHERE house_code = ?", house[0]);
            update(street2, "DELETE FROM house WHERE code = ?", house[0]);
            // the district cannot drop the house while its residents' answers are on their way: the delete waits there,
            // and the link goes on past it
            update(street2, "UPDATE house SET unit = '删后再改' WHERE gid = ?::uuid", otherHouse);
            eventually(ROUND, "street 2's later edit at the district", () -> "删后再改".equals(first(district,
                    "SELECT unit FROM house WHERE gid = ?::uuid", otherHouse)));
            assertEquals(1, count(district, "SELECT count(*) FROM sync_deferred WHERE record_gid = ?::uuid AND peer_code = ?",
                    house[1], STREET_2));
        } finally {
            street2Upstream.partition(false);
        }
        // street 2 answers each request as a conflict: the moved resident stays where street 2 has it, the edited and the
        // inserted one are deleted again above the request; then the district can take the house's delete
        eventually(ROUND, "the house's delete at the district", () -> count(district, "SELECT count(*) FROM house WHERE code = ?",
                house[0]) == 0);
        for (String gid : List.of(moved[0], known, inserted)) {
            assertEquals(1, count(street2, "SELECT count(*) FROM sync_conflict WHERE record_gid = ?::uuid AND request_op = 'upsert'"
                    + " AND decided_at IS NULL", gid), "the request waits at the street: " + gid);
        }
        assertEquals(moved[1], first(street2, "SELECT house_code FROM person WHERE gid = ?::uuid", moved[0]));
        eventually(ROUND, "the street's version of the moved resident at the district", () -> java.util.Arrays.asList(row(street2,
                "SELECT house_code, version, origin FROM person WHERE gid = ?::uuid", moved[0])).equals(java.util.Arrays.asList(row(district,
                "SELECT house_code, version, origin FROM person WHERE gid = ?::uuid", moved[0]))));
        eventually(ROUND, "the edited and the inserted resident gone at the district", () -> count(district,
                "SELECT count(*) FROM person WHERE gid IN (?::uuid, ?::uuid)", known, inserted) == 0);
        assertEquals(0, count(street2, "SELECT count(*) FROM person WHERE gid IN (?::uuid, ?::uuid)", known, inserted));
        assertEquals(0, count(district, "SELECT count(*) FROM sync_deferred"));
        assertEquals(0, count(street2, "SELECT count(*) FROM sync_deferred"));
        for (Node n : List.of(district, street2)) {
            eventually(ROUND, "every link of " + n.code() + " up", () -> count(n, "SELECT count(*) FROM sync_checkpoint WHERE NOT link_up") == 0);
        }
    }

    @Test
    void aDeleteAtTheDistrictOfAHouseTheStreetGaveANewResidentMeanwhileIsAConflictAndTheHouseComesBack() throws Exception {
        // the other side: the district deletes a house of street 2 with the residents it knows (a request); street 2 has
        // meanwhile placed a resident there (moved from another house): the delete cannot take the house at its owner
        String[] house = row(street2, "SELECT h.code, h.gid::text FROM house h WHERE EXISTS (SELECT 1 FROM person p WHERE p.house_code = h.code)"
                + " ORDER BY h.code OFFSET 9 LIMIT 1");
        String moved = first(street2, "SELECT gid::text FROM person WHERE house_code <> ? ORDER BY gid OFFSET 13 LIMIT 1", house[0]);
        street2Upstream.partition(true);
        try {
            update(district, "DELETE FROM person WHERE house_code = ?", house[0]);
            update(district, "DELETE FROM house WHERE code = ?", house[0]);
            update(street2, "UPDATE person p SET house_code = h.code, grid_code = h.grid_code, community_code = h.community_code,"
                    + " street_code = h.street_code FROM house h WHERE h.code = ? AND p.gid = ?::uuid", house[0], moved);
            // the district cannot place the street's resident in a house it deleted (its request is on its way): it waits
            eventually(ROUND, "the moved resident waiting at the district", () -> count(district,
                    "SELECT count(*) FROM sync_deferred WHERE record_gid = ?::uuid", moved) == 1);
        } finally {
            street2Upstream.partition(false);
        }
        eventually(ROUND, "the delete request as a conflict at the street", () -> count(street2, "SELECT count(*) FROM sync_conflict"
                + " WHERE record_gid = ?::uuid AND request_op = 'delete' AND decided_at IS NULL", house[1]) == 1);
        assertEquals(1, count(street2, "SELECT count(*) FROM house WHERE code = ?", house[0]));
        eventually(ROUND, "the house and its new resident back at the district", () -> count(district,
                "SELECT count(*) FROM person WHERE gid = ?::uuid AND house_code = ?", moved, house[0]) == 1);
        assertEquals(List.of(row(street2, "SELECT version, origin FROM house WHERE code = ?", house[0])),
                List.of(row(district, "SELECT version, origin FROM house WHERE code = ?", house[0])));
        assertEquals(0, count(district, "SELECT count(*) FROM sync_deferred"));
    }

    @Test
    void ofTwoTombstonesInOneBatchTheHigherGoesOutWhicheverComesFirst() throws Exception {
        // an apply at street 2 that began before street 2 deleted a record, and then wrote street 2's delete again above a
        // request (ChangeApply), commits after that delete: its tombstone is the higher, and comes first in the log
        String[] record = row(street2, "SELECT gid::text, version FROM enterprise ORDER BY gid DESC LIMIT 1");
        String gid = record[0];
        long version = Long.parseLong(record[1]);
        String before = cursorAt(street2);
        try (Connection apply = street2.db().connection()) {
            apply.setAutoCommit(false);
            NodeDatabase.rows(apply, "SELECT pg_current_xact_id()::text");   // its transaction id, below the delete's
            update(street2, "DELETE FROM enterprise WHERE gid = ?::uuid", gid);
            try (PreparedStatement ps = apply.prepareStatement("INSERT INTO change_log (table_name, record_gid, op, version, origin,"
                    + " base_version, base_origin, street_code) VALUES ('enterprise', ?::uuid, 'D', ?, ?, ?, ?, ?)")) {
                NodeDatabase.bind(ps, gid, version + 5, STREET_2, version + 4, DISTRICT, STREET_2);
                ps.executeUpdate();
            }
            apply.commit();
        }
        JsonObject change = changeOf(changes(street2, keyOfTheDistrictFor(STREET_2), before), gid);
        assertEquals("delete", change.getString("op"));
        assertEquals(version + 5, change.getLong("version"));
        eventually(ROUND, "the delete at the district", () -> count(district, "SELECT count(*) FROM enterprise WHERE gid = ?::uuid", gid) == 0);
    }

    @Test
    void aRegistrationTheNetworkDeliversLateDoesNotLockTheDistrictOut() throws Exception {
        // street 2 registers again (its upstream lost the key): the first attempt is held on the way and its caller
        // cut off, the retry gets through, then the held attempt arrives, last
        street2Upstream.timing(0, 300).next(FaultProxy.Fault.REORDER, "POST /api/v1/sync/register");
        try {
            update(street2, "UPDATE sync_peer SET registered_at = NULL WHERE code = ?", DISTRICT);
            // news for street 2 ends the long-poll in flight: its puller goes round again, and registers first
            update(district, "UPDATE grid SET name = name || '·' WHERE code = (SELECT min(code) FROM grid WHERE street_code = ?)",
                    STREET_2);
            eventually(ROUND, "street 2 registered again", () -> count(street2,
                    "SELECT count(*) FROM sync_peer WHERE code = ? AND registered_at IS NOT NULL", DISTRICT) == 1);
            assertEquals(1L, street2Upstream.injected().get(FaultProxy.Fault.REORDER));
            Thread.sleep(1000);   // the held attempt reaches the district after the retry
        } finally {
            street2Upstream.quiet();
        }
        // the key the district reads street 2 with is one that street 2 has not retired, and it still reads it
        byte[] held = MessageDigest.getInstance("SHA-256").digest(keyOfTheDistrictFor(STREET_2).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (Connection c = street2.db().connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM sync_peer_key WHERE peer_code = ? AND key_hash = ? AND retired_at IS NULL")) {
            ps.setString(1, DISTRICT);
            ps.setBytes(2, held);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getLong(1), "the district holds a key street 2 retired");
            }
        }
        String gid = first(street2, "SELECT gid::text FROM enterprise ORDER BY gid OFFSET 1 LIMIT 1");
        update(street2, "UPDATE enterprise SET industry = '重新登记' WHERE gid = ?::uuid", gid);
        eventually(ROUND, "street 2's edit at the district", () -> "重新登记".equals(first(district,
                "SELECT industry FROM enterprise WHERE gid = ?::uuid", gid)));
    }

    @Test
    void reDeliveringABatchChangesNothing() throws Exception {
        // quiet first: what the street holds, and its log
        String digest = eventuallyStable(street1);
        long logged = count(street1, "SELECT count(*) FROM change_log");
        String checkpoint = first(street1, "SELECT cursor FROM sync_checkpoint WHERE peer_code = ?", DISTRICT);
        // the district's first thousand changes again, as a puller that crashed before its commit gets them once more
        // (the checkpoint stays where it is)
        JsonObject batch = changes(district, street1.peerKey(), "0:0:0").put("next", checkpoint);
        assertFalse(batch.getJsonArray("changes").isEmpty());
        for (int round = 0; round < 2; round++) {
            try (Connection c = street1.db().connection()) {
                ChangeApply.Outcome outcome = new ChangeApply(STREET_1, street1.cipher()).apply(c, DISTRICT, batch, 0, 0);
                assertEquals(0, outcome.applied(), "a batch held already applies nothing");
                assertEquals(0, outcome.conflicts());
            }
        }
        assertEquals(digest, digest(street1), "the records are as they were");
        assertEquals(logged, count(street1, "SELECT count(*) FROM change_log"), "and nothing was written");
    }

    @Test
    void aPeerKeyOpensTheSyncRoutesOnlyAndOnlyItsScope() throws Exception {
        HttpResponse<String> hello = send(district, "GET", "/api/v1/sync/hello", street1.peerKey(), null);
        assertEquals(200, hello.statusCode(), hello.body());
        JsonObject me = new JsonObject(hello.body());
        assertEquals("street:" + STREET_1, me.getJsonObject("caller").getString("scope"));
        assertEquals("district", me.getJsonObject("node").getString("level"));
        // no other route of the node: 403, whatever the scope of the record asked for
        assertEquals(403, send(district, "GET", "/api/v1/persons?grid=" + first(district,
                "SELECT code FROM grid WHERE street_code = ? LIMIT 1", STREET_1), street1.peerKey(), null).statusCode());
        assertEquals(403, send(district, "GET", "/api/v1/houses/" + first(district,
                "SELECT code FROM house WHERE street_code = ? LIMIT 1", STREET_2), street1.peerKey(), null).statusCode());
        // the feed holds no record of another street
        JsonObject feed = changes(district, street1.peerKey(), "0:0:0");
        for (Object o : feed.getJsonArray("changes")) {
            JsonObject record = ((JsonObject) o).getJsonObject("record");
            if (record != null && record.getString("street_code") != null) {
                assertEquals(STREET_1, record.getString("street_code"), "a record of another street in the feed: " + o);
            }
        }
        // a street's key is no key at the other street; bad parameters are a 400, never a 500
        assertEquals(401, send(street2, "GET", "/api/v1/sync/hello", street1.peerKey(), null).statusCode());
        assertEquals(400, send(district, "GET", "/api/v1/sync/changes?after=nope", street1.peerKey(), null).statusCode());
        assertEquals(400, send(district, "GET", "/api/v1/sync/changes?wait=600", street1.peerKey(), null).statusCode());
        // a plain-http URL off loopback is refused at registration
        HttpResponse<String> register = send(district, "POST", "/api/v1/sync/register", street1.peerKey(),
                new JsonObject().put("key", "sync_x").put("url", "http://street-1.example"));
        assertEquals(422, register.statusCode(), register.body());
    }

    @Test
    void issuingAPeerAgainMovesItsUrlAndReplacesItsKey() throws Exception {
        String street3 = "440105003";
        Vertx vertx = Vertx.vertx();
        Pool owner = PgBuilder.pool().connectingTo(CommandCenter.ownerOptions(district.db())).using(vertx).build();
        try {
            SyncPeers peers = new SyncPeers(owner, owner, DISTRICT, TestDatabases.projectDir().resolve("var/test-sync/district"));
            String first = peers.issue(street3, "http://127.0.0.1:1").await().key();
            // as ./gridctl federation up does again at its next run: the ports may have moved
            String second = peers.issue(street3, "http://127.0.0.1:2").await().key();
            assertNotEquals(first, second);
            assertEquals("http://127.0.0.1:2", peers.peer(street3).await().orElseThrow().url());
            assertEquals(1L, count(district, "SELECT count(*) FROM sync_peer_key WHERE peer_code = ? AND retired_at IS NULL", street3));
            assertEquals(401, send(district, "GET", "/api/v1/sync/hello", first, null).statusCode(), "the old key is retired");
            HttpResponse<String> hello = send(district, "GET", "/api/v1/sync/hello", second, null);
            assertEquals(200, hello.statusCode(), hello.body());
            assertEquals("street:" + street3, new JsonObject(hello.body()).getJsonObject("caller").getString("scope"));
        } finally {
            update(district, "DELETE FROM sync_peer_key WHERE peer_code = ?", street3);
            update(district, "DELETE FROM sync_peer WHERE code = ?", street3);
            owner.close().await();
            vertx.close().await();
        }
    }

    @Test
    void statusShowsEachLinkUp() throws Exception {
        eventually(ROUND, "every link up", () -> count(district, "SELECT count(*) FROM sync_checkpoint WHERE link_up") == 2
                && count(street1, "SELECT count(*) FROM sync_checkpoint WHERE link_up AND peer_code = ?", DISTRICT) == 1);
        assertEquals(0, count(district, "SELECT count(*) FROM sync_checkpoint WHERE last_error IS NOT NULL AND link_up IS false"));
    }

    @Test
    void aStreetCountsWhatItHoldsForItsWall() throws Exception {
        // derived data does not flow: the counts per grid are the street's own, made after its first sync
        for (Node s : List.of(street1, street2)) {
            eventually(ROUND, "grid counts at " + s.code(), () ->
                    count(s, "SELECT coalesce(sum(person_count), 0) FROM grid_stats") == count(s, "SELECT count(*) FROM person")
                    && count(s, "SELECT coalesce(sum(house_count), 0) FROM grid_stats") == count(s, "SELECT count(*) FROM house")
                    && count(s, "SELECT count(*) FROM grid_stats") == count(s, "SELECT count(*) FROM grid"));
        }
    }

    @Test
    void aSnapshotHoldsTheCallersStreetOnlyAndRefusesAnother() throws Exception {
        HttpResponse<String> r = send(district, "GET", "/api/v1/sync/snapshot", street1.peerKey(), null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Sync-Cursor").orElse("").matches("\\d+:0:0"), r.headers().toString());
        String[] lines = r.body().split("\n", -1);
        assertEquals(SnapshotStream.MAGIC, lines[0]);
        assertEquals("cursor " + r.headers().firstValue("Sync-Cursor").orElseThrow(), lines[1]);
        java.util.Map<String, Long> rows = new java.util.HashMap<>();
        String table = null;
        long all = 0;
        for (int i = 2; i < lines.length; i++) {
            String l = lines[i];
            if (l.startsWith("table ")) {
                table = l.split(" ")[1];
            } else if (l.equals("\\.")) {
                table = null;
            } else if (l.startsWith("end ")) {
                assertEquals("end " + all, l);
                assertEquals("", lines[i + 1], "nothing after the end line");
                break;
            } else {
                assertTrue(table != null, "a row outside a section: " + l);
                rows.merge(table, 1L, Long::sum);
                all++;
                if (!table.equals("admin_area")) {
                    String[] f = l.split("\t", -1);
                    int street = SyncTables.snapshotSent(table).indexOf("street_code");
                    assertEquals(STREET_1, f[street], "a " + table + " of another street in the street's snapshot");
                }
            }
        }
        for (String t : List.of("grid", "house", "person", "enterprise")) {
            assertEquals(count(district, "SELECT count(*) FROM " + t + " WHERE street_code = ?", STREET_1), rows.getOrDefault(t, 0L), t);
        }
        assertTrue(count(district, "SELECT count(*) FROM pii_audit WHERE purpose = ? AND subject LIKE 'sync snapshot%'",
                "sync:" + STREET_1) >= 1, "the persons of a snapshot are audited");
        assertEquals(403, send(district, "GET", "/api/v1/sync/snapshot?street=" + STREET_2, street1.peerKey(), null).statusCode());
        assertEquals(400, send(district, "GET", "/api/v1/sync/snapshot?street=44010500x", street1.peerKey(), null).statusCode());
        assertEquals(401, send(district, "GET", "/api/v1/sync/snapshot", "sync_not-a-key", null).statusCode());
    }

    @Test
    void aResyncRebuildsAStreetsDamagedCopiesAndLeavesItsOwnRecords() throws Exception {
        String grid = first(street1, "SELECT code FROM grid ORDER BY code LIMIT 1");
        String gridName = first(street1, "SELECT name FROM grid WHERE code = ?", grid);
        String enterprise = first(street1, "SELECT gid::text FROM enterprise ORDER BY gid LIMIT 1");
        String[] house = row(street1, "SELECT gid::text, code, grid_code, community_code, ST_AsEWKT(geom) FROM house ORDER BY code LIMIT 1");
        String before = eventuallyStable(street1);
        // damage behind the change log's back: a copy's content changed, a record lost, a stray copy the district never had,
        // and a record of the street's own the district has not seen (on its way up)
        behindTheLog(street1, "UPDATE grid SET name = '损坏的网格' WHERE code = ?", grid);
        behindTheLog(street1, "DELETE FROM enterprise WHERE gid = ?::uuid", enterprise);
        String stray = java.util.UUID.randomUUID().toString();
        String own = java.util.UUID.randomUUID().toString();
        behindTheLog(street1, "INSERT INTO grid (gid, code, name, community_code, street_code, geom, version, origin)"
                + " SELECT ?::uuid, community_code || '99', '多余的网格', community_code, street_code, geom, 1, ? FROM grid WHERE code = ?",
                stray, DISTRICT, grid);
        behindTheLog(street1, "INSERT INTO house (gid, code, address, use, geom, grid_code, community_code, street_code, version, origin)"
                + " VALUES (?::uuid, '99999999999999', '自有测试房屋', '住宅', ST_GeomFromEWKT(?), ?, ?, ?, 1, ?)",
                own, house[4], house[2], house[3], STREET_1, STREET_1);
        String checkpoint = first(street1, "SELECT cursor FROM sync_checkpoint WHERE peer_code = ?", DISTRICT);
        SnapshotLoad.Outcome o;
        try (Connection c = street1.db().connection()) {
            o = new SnapshotLoad(STREET_1, street1.cipher()).pull(HTTP, new PeerPuller.Target(district.url(), street1.peerKey()),
                    DISTRICT, c, STREET_1);
        }
        assertEquals(gridName, first(street1, "SELECT name FROM grid WHERE code = ?", grid), "the damaged copy is rebuilt");
        assertEquals(1, count(street1, "SELECT count(*) FROM enterprise WHERE gid = ?::uuid", enterprise), "the lost record is back");
        assertEquals(0, count(street1, "SELECT count(*) FROM grid WHERE gid = ?::uuid", stray), "the stray copy is gone");
        assertEquals(1, count(street1, "SELECT count(*) FROM house WHERE gid = ?::uuid", own), "the street's own record stays");
        assertTrue(o.written() >= 2 && o.deleted() >= 1, o.toString());
        String after = first(street1, "SELECT cursor FROM sync_checkpoint WHERE peer_code = ?", DISTRICT);
        assertTrue(after.equals(checkpoint) || after.equals(o.cursor().toString()), after);
        behindTheLog(street1, "DELETE FROM house WHERE gid = ?::uuid", own);
        assertEquals(before, digest(street1), "everything else as it was");
    }

    @Test
    void aSnapshotCutAnywhereAppliesNothing() throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(district.url() + "/api/v1/sync/snapshot?street=" + STREET_1))
                .header("Authorization", "Bearer " + street1.peerKey()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        byte[] whole = r.body();
        String grid = first(street1, "SELECT code FROM grid ORDER BY code DESC LIMIT 1");
        behindTheLog(street1, "UPDATE grid SET name = '损坏的网格' WHERE code = ?", grid);
        String before = digest(street1) + first(street1, "SELECT cursor FROM sync_checkpoint WHERE peer_code = ?", DISTRICT);
        for (int cut : new int[] {whole.length / 3, whole.length * 2 / 3, whole.length - 3}) {
            try (Connection c = street1.db().connection()) {
                var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () ->
                        new SnapshotLoad(STREET_1, street1.cipher()).apply(c, DISTRICT,
                                new java.io.ByteArrayInputStream(java.util.Arrays.copyOf(whole, cut)), STREET_1));
                assertTrue(e.getMessage().contains("cut"), e.getMessage());
            }
            assertEquals(before, digest(street1) + first(street1, "SELECT cursor FROM sync_checkpoint WHERE peer_code = ?", DISTRICT));
            assertEquals("损坏的网格", first(street1, "SELECT name FROM grid WHERE code = ?", grid));
        }
        try (Connection c = street1.db().connection()) {
            new SnapshotLoad(STREET_1, street1.cipher()).apply(c, DISTRICT, new java.io.ByteArrayInputStream(whole), STREET_1);
        }
        assertNotEquals("损坏的网格", first(street1, "SELECT name FROM grid WHERE code = ?", grid), "the whole stream repairs it");
    }

    /** A write no trigger sees: no version bump, no change-log entry (damage, as a disk or a hand would do it). */
    private static void behindTheLog(Node n, String sql, Object... args) throws SQLException {
        try (Connection c = n.db().connection()) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                s.execute("SET LOCAL session_replication_role = replica");
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, args);
                ps.executeUpdate();
            }
            c.commit();
        }
    }

    // ── helpers ──

    private static String officerToken(Node n) throws Exception {
        byte[] raw = new byte[32];
        new java.security.SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        update(n, """
                INSERT INTO app_user (username, display_name, password_hash, role, scope_kind, scope_code)
                VALUES ('sync-officer', '数据管理员', 'pbkdf2-sha256$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA', 'officer', 'street', ?)
                ON CONFLICT (username) DO NOTHING""", n.code());
        try (Connection c = n.db().connection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO auth_token (token_hash, user_id, kind, expires_at)
                SELECT ?, id, 'api', now() + interval '1 hour' FROM app_user WHERE username = 'sync-officer'""")) {
            ps.setBytes(1, MessageDigest.getInstance("SHA-256").digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(1, ps.executeUpdate());
        }
        return token;
    }

    /** Something done at another node while a record is held locked here. */
    @FunctionalInterface
    private interface Meanwhile {
        void run() throws Exception;
    }

    /**
     * Writes one record at {@code n} with {@code sql} (its one parameter {@code arg}) and holds it locked while
     * {@code meanwhile} changes it elsewhere and that change reaches {@code n}, where its apply waits for the lock;
     * then commits: the change made meanwhile lands after this one.
     */
    private static void holdingLocked(Node n, String sql, String arg, Meanwhile meanwhile) throws Exception {
        try (Connection c = n.db().connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                assertEquals(1, ps.executeUpdate());
            }
            meanwhile.run();
            Thread.sleep(1500);   // the change made meanwhile reaches this node and waits for the lock
            c.commit();
        }
    }

    /** The one change of record {@code gid} in a batch. */
    /** Whether cursor {@code a} (txid:id:seq) comes before {@code b} in the log. */
    private static boolean precedes(String a, String b) {
        String[] x = a.split(":");
        String[] y = b.split(":");
        for (int i = 0; i < 3; i++) {
            int c = Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]));
            if (c != 0) {
                return c < 0;
            }
        }
        return false;
    }

    private static JsonObject changeOf(JsonObject batch, String gid) {
        List<JsonObject> of = batch.getJsonArray("changes").stream().map(JsonObject.class::cast)
                .filter(c -> gid.equals(c.getString("gid"))).toList();
        assertEquals(1, of.size(), "one change per record in a batch: " + of);
        return of.get(0);
    }

    /** The key the district reads a street's feed with, which the street registered there. */
    private static String keyOfTheDistrictFor(String street) throws java.io.IOException {
        return cn.haizhu.grid.data.config.SecretFiles.read(TestDatabases.projectDir()
                .resolve("var/test-sync/district/secrets/sync/" + street + ".key"));
    }

    private static JsonObject changes(Node n, String key, String after) {
        HttpResponse<String> r = send(n, "GET", "/api/v1/sync/changes?after=" + after + "&limit=1000", key, null);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    /** The digest of what a node holds once it has stopped changing. */
    private static String eventuallyStable(Node n) throws Exception {
        String[] last = {digest(n)};
        eventually(Duration.ofSeconds(60), "a quiet moment at " + n.code(), () -> {
            Thread.sleep(1500);
            String now = digest(n);
            boolean same = now.equals(last[0]);
            last[0] = now;
            return same;
        });
        return last[0];
    }

    private static String digest(Node n) throws SQLException {
        List<String> parts = new ArrayList<>();
        for (String table : List.of("admin_area", "grid", "house", "person", "enterprise")) {
            parts.add(first(n, "SELECT count(*) || '/' || coalesce(sum(version), 0) || '/' || coalesce(md5(string_agg(gid::text || origin || version,"
                    + " ',' ORDER BY gid)), '') FROM " + table));
        }
        return String.join(" ", parts);
    }

    private static void eventually(Duration within, String what, Callable<Boolean> done) throws Exception {
        network.eventually(within, what, done);
    }
}

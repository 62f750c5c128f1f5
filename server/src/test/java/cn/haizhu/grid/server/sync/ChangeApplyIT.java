package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batches that ConvergenceIT's faults and races produced, applied by {@link ChangeApply} on real
 * PostGIS databases of a district (440105) and of its street 440105001, each as the feed hands them
 * out: a person placed before its house, a street's edit of a record the district has moved out of
 * that street, an edit of a record its owner deleted meanwhile.
 */
class ChangeApplyIT {
    static final String DISTRICT = "440105";
    static final String STREET_1 = "440105001";
    static final String STREET_2 = "440105002";
    static Database district;
    static Database street;
    static final PersonalDataCipher KEYS = PersonalDataCipher.fromBase64(PersonalDataCipher.newKey());

    @BeforeAll
    static void databases() throws SQLException {
        district = database("it_change_apply_district", DISTRICT);
        street = database("it_change_apply_street", STREET_1);
        for (Database db : List.of(district, street)) {
            try (Connection c = db.connection()) {
                // the district's area tree and a grid in each of two streets, as the district's own records
                NodeDatabase.update(c, "SET gridctl.origin = '" + DISTRICT + "'");
                NodeDatabase.update(c, """
                        INSERT INTO admin_area (code, level, name, parent_code, street_code, geom) VALUES
                          ('440105', 'district', '海珠区', NULL, NULL, ST_Multi(ST_MakeEnvelope(113.2, 23.0, 113.5, 23.2, 4326))),
                          ('440105001', 'street', '赤岗街道', '440105', '440105001', ST_Multi(ST_MakeEnvelope(113.30, 23.05, 113.35, 23.10, 4326))),
                          ('440105001001', 'community', '一社区', '440105001', '440105001', ST_Multi(ST_MakeEnvelope(113.30, 23.05, 113.35, 23.10, 4326))),
                          ('440105002', 'street', '新港街道', '440105', '440105002', ST_Multi(ST_MakeEnvelope(113.35, 23.05, 113.40, 23.10, 4326))),
                          ('440105002001', 'community', '二社区', '440105002', '440105002', ST_Multi(ST_MakeEnvelope(113.35, 23.05, 113.40, 23.10, 4326)));
                        INSERT INTO grid (code, name, community_code, street_code, geom) VALUES
                          ('44010500100101', '一01', '440105001001', '440105001', ST_Multi(ST_MakeEnvelope(113.30, 23.05, 113.35, 23.10, 4326))),
                          ('44010500200101', '二01', '440105002001', '440105002', ST_Multi(ST_MakeEnvelope(113.35, 23.05, 113.40, 23.10, 4326)));""");
                NodeDatabase.update(c, "RESET gridctl.origin");
            }
        }
        // the peer each takes batches from (its checkpoint refers to it): the street below the district, the district above the street
        try (Connection c = district.connection()) {
            NodeDatabase.update(c, "INSERT INTO sync_peer (code, level, direction, scope_kind, scope_code)"
                    + " VALUES (?, 'street', 'down', 'street', ?)", STREET_1, STREET_1);
        }
        try (Connection c = street.connection()) {
            NodeDatabase.update(c, "INSERT INTO sync_peer (code, level, direction, scope_kind, scope_code)"
                    + " VALUES (?, 'district', 'up', 'street', ?)", DISTRICT, STREET_1);
        }
    }

    private static Database database(String name, String code) {
        EmbeddedPostgres pg = TestDatabases.cluster();
        pg.dropDatabase(name);
        pg.start(name);
        return Database.at(pg.jdbcUrl(name), EmbeddedPostgres.SUPERUSER, pg.password(), code);
    }

    @AfterAll
    static void close() {
        district.close();
        street.close();
    }

    @Test
    void aPersonPlacedBeforeItsHouseIsAppliedAfterIt() throws Exception {
        // the feed places a record where it first appeared in the batch, as it is now: a resident edited while in
        // the street, then moved (with the house it now lives in, new here) appears before that house
        String houseGid = UUID.randomUUID().toString();
        String personGid = UUID.randomUUID().toString();
        JsonObject house = house(houseGid, "44010500100101000001", 1, DISTRICT);
        JsonObject person = person(personGid, "44010500100101000001", 1, DISTRICT);
        JsonObject batch = batch(upsert("person", person, null), upsert("house", house, null));
        try (Connection c = street.connection()) {
            ChangeApply.Outcome outcome = new ChangeApply(STREET_1, KEYS).apply(c, DISTRICT, batch, 0, 0);
            assertEquals(2, outcome.applied());
            assertEquals(1L, NodeDatabase.count(c, "SELECT count(*) FROM person WHERE gid = ?::uuid AND house_code = ?", personGid,
                    "44010500100101000001"));
            assertEquals("1:2:3", NodeDatabase.rows(c, "SELECT cursor FROM sync_checkpoint WHERE peer_code = ?", DISTRICT).get(0)[0]);
        }
    }

    @Test
    void aStreetsEditOfARecordTheDistrictMovedOutOfThatStreetChangesNothing() throws Exception {
        String gid = UUID.randomUUID().toString();
        try (Connection c = district.connection()) {
            // at the district: a house of street 1 (v1), moved to street 2 there (v2, a move: authoritative)
            holds(c, house(gid, "44010500100101000002", 1, DISTRICT));
            NodeDatabase.update(c, "UPDATE house SET street_code = ?, grid_code = '44010500200101', community_code = '440105002001'"
                    + " WHERE gid = ?::uuid", STREET_2, gid);
            // street 1 edited it twice before the move reached it (v3 made from v2 of its own): a higher version
            JsonObject stale = house(gid, "44010500100101000002", 3, STREET_1).put("room", "街道改");
            ChangeApply.Outcome outcome = new ChangeApply(DISTRICT, KEYS).apply(c, STREET_1,
                    batch(upsert("house", stale, new JsonObject().put("base", 1).put("baseOrigin", DISTRICT))), 0, 0);
            assertEquals(0, outcome.applied());
            assertEquals(List.of(STREET_2 + "|2|" + DISTRICT), NodeDatabase.rows(c,
                    "SELECT street_code || '|' || version || '|' || origin FROM house WHERE gid = ?::uuid", gid).stream().map(r -> r[0]).toList(),
                    "the move stands");
        }
    }

    @Test
    void anEditOfARecordTheStreetDeletedIsAConflictThereAndTheDeleteGoesOutAgain() throws Exception {
        String gid = UUID.randomUUID().toString();
        try (Connection c = street.connection()) {
            // the street's house (v1), deleted there (its tombstone: v2)
            deletedAfter(c, house(gid, "44010500100101000003", 1, STREET_1));
            // meanwhile the district edited it (v2 made from v1): the request arrives after the delete
            JsonObject edit = house(gid, "44010500100101000003", 2, DISTRICT).put("room", "区里改");
            JsonObject batch = batch(upsert("house", edit, new JsonObject().put("base", 1).put("baseOrigin", STREET_1)));
            for (int delivery = 0; delivery < 2; delivery++) {   // kept once, however often it comes
                assertEquals(0, new ChangeApply(STREET_1, KEYS).apply(c, DISTRICT, batch, 0, 0).applied());
            }
            assertEquals(0L, NodeDatabase.count(c, "SELECT count(*) FROM house WHERE gid = ?::uuid", gid), "the record stays deleted");
            assertEquals(List.of("2|" + STREET_1 + "|2|" + DISTRICT + "|区里改"), NodeDatabase.rows(c, "SELECT owner_version || '|' ||"
                    + " owner_origin || '|' || request_version || '|' || request_origin || '|' || (request_record->>'room')"
                    + " FROM sync_conflict WHERE record_gid = ?::uuid AND decided_at IS NULL", gid).stream().map(r -> r[0]).toList(),
                    "the request waits for the street's officers");
            // the delete again, above the request and made from it, for every peer: the district drops its copy
            assertEquals(List.of("D|3|" + STREET_1 + "|2|" + DISTRICT + "|" + STREET_1), NodeDatabase.rows(c, "SELECT op || '|' || version"
                    + " || '|' || origin || '|' || base_version || '|' || base_origin || '|' || street_code FROM change_log"
                    + " WHERE record_gid = ?::uuid AND from_peer IS NULL AND version = 3", gid).stream().map(r -> r[0]).toList());
        }
    }

    @Test
    void theOwnersEditMadeBeforeItSawADeleteRequestedAtTheDistrictDoesNotBringTheRecordBackThere() throws Exception {
        String gid = UUID.randomUUID().toString();
        try (Connection c = district.connection()) {
            // the district's copy of street 1's house (v1), deleted at the district: a request to the street (its tombstone v2)
            deletedAfter(c, house(gid, "44010500100101000004", 1, STREET_1));
            assertEquals(List.of("D|2|" + DISTRICT), NodeDatabase.rows(c, "SELECT op || '|' || version || '|' || origin FROM change_log"
                    + " WHERE record_gid = ?::uuid AND version = 2", gid).stream().map(r -> r[0]).toList());
            // the street edited it twice before the request reached it (v2, v3 of its own, folded into one change made
            // from v1): they arrive at the district after its delete. Taking them brought the record back there, an
            // edit at the district then folded the delete away in its feed, and the delete was lost (ConvergenceIT)
            JsonObject streets = house(gid, "44010500100101000004", 3, STREET_1).put("room", "街道改");
            JsonObject before = batch(upsert("house", streets, new JsonObject().put("base", 1).put("baseOrigin", STREET_1)
                    .put("laterBases", new JsonArray().add(new JsonObject().put("version", 2).put("origin", STREET_1)))));
            for (int delivery = 0; delivery < 2; delivery++) {
                assertEquals(0, new ChangeApply(DISTRICT, KEYS).apply(c, STREET_1, before, 0, 0).applied());
            }
            assertEquals(0L, NodeDatabase.count(c, "SELECT count(*) FROM house WHERE gid = ?::uuid", gid),
                    "the delete waits for the street's answer");
            // the street's answer: the request was a conflict there, its copy again above it and made from it
            JsonObject answer = house(gid, "44010500100101000004", 4, STREET_1).put("room", "街道改");
            assertEquals(1, new ChangeApply(DISTRICT, KEYS).apply(c, STREET_1, batch(upsert("house", answer,
                    new JsonObject().put("base", 2).put("baseOrigin", DISTRICT))), 0, 0).applied());
            assertEquals(List.of("4|" + STREET_1 + "|街道改"), NodeDatabase.rows(c, "SELECT version || '|' || origin || '|' || room"
                    + " FROM house WHERE gid = ?::uuid", gid).stream().map(r -> r[0]).toList(), "the owner kept its record");
        }
    }

    // ── batches as the feed writes them ──

    private static JsonObject batch(JsonObject... changes) {
        return new JsonObject().put("changes", new JsonArray(List.of((Object[]) changes))).put("next", "1:2:3");
    }

    private static JsonObject upsert(String table, JsonObject record, JsonObject base) {
        JsonObject change = new JsonObject().put("table", table).put("gid", record.getString("gid")).put("op", "upsert")
                .put("version", record.getLong("version")).put("origin", record.getString("origin")).put("record", record)
                .put("at", "2026-12-07T08:00:00Z");
        return base == null ? change.put("base", null).put("baseOrigin", null) : change.mergeIn(base);
    }

    /** A house of street 1 on the wire. */
    private static JsonObject house(String gid, String code, long version, String origin) throws SQLException {
        String point;
        try (Connection c = district.connection()) {
            point = NodeDatabase.rows(c, "SELECT ST_AsHexEWKB(ST_PointOnSurface(geom)) FROM grid WHERE code = '44010500100101'")
                    .get(0)[0];
        }
        return new JsonObject().put("gid", gid).put("code", code).put("address", "测试路1号").put("building", null).put("unit", null)
                .put("floor", 3).put("room", "301").put("use", "住宅").put("geom", point).put("grid_code", "44010500100101")
                .put("community_code", "440105001001").put("street_code", STREET_1).put("version", version).put("origin", origin);
    }

    private static JsonObject person(String gid, String houseCode, long version, String origin) {
        String first17 = "44010519800101" + String.format("%03d", Math.floorMod(gid.hashCode(), 1000));
        return new JsonObject().put("gid", gid).put("name", "测试").put("gender", "M").put("birth_date", "1980-01-01")
                .put("household_type", "registered").put("tags", new JsonArray()).put("house_code", houseCode)
                .put("grid_code", "44010500100101").put("community_code", "440105001001").put("street_code", STREET_1)
                .put("id_number", first17 + IdNumber.checkChar(first17)).put("phone", null).put("version", version).put("origin", origin);
    }

    /** The house held at a node, then deleted there by the node itself (its own tombstone, one version above). */
    private static void deletedAfter(Connection c, JsonObject wire) throws SQLException {
        holds(c, wire);
        NodeDatabase.update(c, "DELETE FROM house WHERE gid = ?::uuid", wire.getString("gid"));
    }

    /** The house held at a node, as the apply writes it. */
    private static void holds(Connection c, JsonObject wire) throws SQLException {
        ChangeApply.upsert(c, "house", new ChangeApply(DISTRICT, KEYS).stored("house", wire,
                new cn.haizhu.grid.data.sync.ApplyRule.Version(wire.getLong("version"), wire.getString("origin"))));
    }
}

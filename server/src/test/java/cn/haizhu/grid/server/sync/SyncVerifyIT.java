package cn.haizhu.grid.server.sync;

import static cn.haizhu.grid.server.sync.SyncNetwork.DISTRICT;
import static cn.haizhu.grid.server.sync.SyncNetwork.STREET_1;
import static cn.haizhu.grid.server.sync.SyncNetwork.STREET_2;
import static cn.haizhu.grid.server.sync.SyncNetwork.count;
import static cn.haizhu.grid.server.sync.SyncNetwork.first;
import static cn.haizhu.grid.server.sync.SyncNetwork.row;
import static cn.haizhu.grid.server.sync.SyncNetwork.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.server.CommandCenter;
import cn.haizhu.grid.server.http.ApiError;
import cn.haizhu.grid.server.sync.SyncNetwork.Node;
import cn.haizhu.grid.server.sync.Verification.Bucket;
import cn.haizhu.grid.server.sync.Verification.Difference;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./gridctl sync verify} between real nodes ({@link SyncNetwork}): equal everywhere after the
 * first sync; then a record changed and one deleted behind the change log (as a restore from a backup
 * or a hand-made repair would) are exactly what it reports, from either side of the link. In order:
 * the later checks break what the first one found equal.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncVerifyIT {
    static SyncNetwork network;
    static Vertx vertx;
    static final Map<String, Pool> OWNERS = new HashMap<>();
    /** The house changed behind the log at street 1, and the enterprise deleted behind it at the district. */
    static String changedHouse;
    static String deletedEnterprise;

    @BeforeAll
    static void startTheNetwork() throws Exception {
        network = SyncNetwork.start("verify");
        vertx = Vertx.vertx();
        for (Node n : nodes()) {
            OWNERS.put(n.code(), PgBuilder.pool().connectingTo(CommandCenter.ownerOptions(n.db())).using(vertx).build());
        }
    }

    @AfterAll
    static void stop() {
        OWNERS.values().forEach(p -> p.close().await());
        if (vertx != null) {
            vertx.close().await();
        }
        if (network != null) {
            network.close();
        }
    }

    private static List<Node> nodes() {
        return List.of(network.district, network.street1, network.street2);
    }

    /** What {@code from} finds comparing itself with {@code to}, reached as the command line reaches it. */
    private static Verification verify(Node from, Node to, String table, String street) {
        Pool owner = OWNERS.get(from.code());
        PeerPuller.Target target = SyncVerify.target(from.config(), new SyncPeers(owner, owner, from.code(), from.config().dataDir()), to.code());
        return new SyncVerify(owner, from.code(), SyncNetwork.HTTP).verify(to.code(), target, table, street, 20);
    }

    private static Verification verify(Node from, Node to) {
        return verify(from, to, null, null);
    }

    @Test
    @Order(1)
    void afterTheFirstSyncEveryTableAndStreetIsEqualFromBothSidesOfEveryLink() throws Exception {
        List<Verification> all = new ArrayList<>();
        network.eventually(Duration.ofSeconds(60), "verify equal on every link", () -> {
            all.clear();
            for (Node street : List.of(network.street1, network.street2)) {
                all.add(verify(street, network.district));
                all.add(verify(network.district, street));
            }
            // digests equal, not just equal once a change in flight has arrived: the first sync has ended
            return all.stream().allMatch(v -> v.buckets().stream().allMatch(Bucket::digestsEqual));
        });
        for (Verification v : all) {
            assertTrue(v.equal());
            String street = v.node().length() == 9 ? v.node() : v.peer();
            assertEquals("street:" + street, v.scope());
            // the common scope: the street's own buckets, and the district's outline; nothing of the other street
            for (Bucket b : v.buckets()) {
                assertTrue(b.street().equals(street) || b.street().equals(DISTRICT) && b.table().equals("admin_area"), "a bucket " + b);
                assertEquals(b.here(), b.there());
            }
            for (String table : List.of("grid", "house", "person", "enterprise")) {
                Bucket b = bucket(v, table, street);
                assertEquals(count(network.district, "SELECT count(*) FROM " + table + " WHERE street_code = ?", street), b.here(),
                        table + " of " + street + " as " + v.node() + " counts it");
                assertTrue(b.here() > 0, table + " of " + street + " holds records");
            }
            assertEquals(1, bucket(v, "admin_area", DISTRICT).here(), "the district's outline");
        }
    }

    @Test
    @Order(2)
    void aRecordChangedBehindTheLogIsTheOneDifferenceFromEitherSide() throws Exception {
        Node street1 = network.street1;
        changedHouse = first(street1, "SELECT gid::text FROM house ORDER BY code OFFSET 3 LIMIT 1");
        String[] before = row(street1, "SELECT version, origin FROM house WHERE gid = ?::uuid", changedHouse);
        long logged = count(street1, "SELECT count(*) FROM change_log");
        behindTheLog(street1, "UPDATE house SET address = address || '（备份恢复）' WHERE gid = ?::uuid", changedHouse);
        assertEquals(logged, count(street1, "SELECT count(*) FROM change_log"), "nothing logged: the change does not travel");
        assertEquals(List.of(before), List.of(row(street1, "SELECT version, origin FROM house WHERE gid = ?::uuid", changedHouse)));

        for (Verification v : List.of(verify(street1, network.district), verify(network.district, street1))) {
            assertFalse(v.equal());
            assertEquals(List.of("house/" + STREET_1), v.differing().stream().map(b -> b.table() + "/" + b.street()).toList(), v.toString());
            Bucket b = v.differing().get(0);
            assertEquals(b.here(), b.there(), "as many houses at both");
            assertEquals(1, b.listing().differing());
            Difference d = b.listing().listed().get(0);
            assertEquals(changedHouse, d.gid());
            assertEquals("same version, other content", d.kind());
            assertEquals(Long.parseLong(before[0]), d.here().version());
            assertEquals(before[1], d.there().origin());
        }
        assertTrue(verify(street1, network.district, "person", null).equal(), "the persons are not touched");
        assertTrue(verify(network.street2, network.district).equal(), "nor the other street");
    }

    @Test
    @Order(3)
    void aRecordDeletedBehindTheLogIsMissingOnThatSide() throws Exception {
        Node district = network.district;
        deletedEnterprise = first(district, "SELECT gid::text FROM enterprise WHERE street_code = ? ORDER BY gid DESC LIMIT 1", STREET_1);
        behindTheLog(district, "DELETE FROM enterprise WHERE gid = ?::uuid", deletedEnterprise);
        assertEquals(1, count(network.street1, "SELECT count(*) FROM enterprise WHERE gid = ?::uuid", deletedEnterprise),
                "the delete did not travel");

        Verification atDistrict = verify(district, network.street1);
        assertEquals(List.of("house/" + STREET_1, "enterprise/" + STREET_1),
                atDistrict.differing().stream().map(b -> b.table() + "/" + b.street()).toList());
        Bucket enterprises = atDistrict.differing().get(1);
        assertEquals(enterprises.there() - 1, enterprises.here());
        Difference d = enterprises.listing().listed().get(0);
        assertEquals(deletedEnterprise, d.gid());
        assertEquals("missing here", d.kind());
        assertNull(d.here());

        Verification atStreet = verify(network.street1, district, "enterprise", STREET_1);
        assertEquals(List.of("enterprise/" + STREET_1), atStreet.buckets().stream().map(b -> b.table() + "/" + b.street()).toList(),
                "--table and --street: that bucket only");
        assertEquals("missing there", atStreet.differing().get(0).listing().listed().get(0).kind());

        // the command line at the district: the buckets, their counts, the records and their kinds; exit code 1
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(1, command(district, STREET_1, out));
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        assertTrue(printed.contains(deletedEnterprise) && printed.contains("missing here") && printed.contains(changedHouse)
                && printed.contains("2 of " + atDistrict.buckets().size() + " tables and streets differ, 2 record(s)"), printed);
        // at the other street nothing changed: exit code 0; a code that is no peer: 2
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        assertEquals(0, command(network.street2, DISTRICT, quiet));
        assertTrue(quiet.toString(StandardCharsets.UTF_8).contains("all 6 tables and streets equal"), quiet.toString(StandardCharsets.UTF_8));
        assertEquals(2, command(network.street2, STREET_1, new ByteArrayOutputStream()));
    }

    /** {@code ./gridctl sync verify PEER} run at {@code at}, as the launcher runs it there: its exit code. */
    private static int command(Node at, String peer, ByteArrayOutputStream out) {
        SyncCommand.Verify verify = new SyncCommand.Verify();
        verify.peer = peer;
        verify.list = 20;
        String name = at.code().equals(DISTRICT) ? "it_verify_district" : "it_verify_" + at.code();
        EmbeddedPostgres pg = TestDatabases.cluster();
        return verify.run(at.config().withDatabase(pg.jdbcUrl(name), EmbeddedPostgres.SUPERUSER, pg.password()),
                new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @Test
    @Order(4)
    void aPeerThatIsNoneUnknownDownOrRefusingTheKeyIsAClearError() throws Exception {
        Node street1 = network.street1;
        Pool owner = OWNERS.get(street1.code());
        SyncVerify verify = new SyncVerify(owner, street1.code(), SyncNetwork.HTTP);
        ApiError none = assertThrows(ApiError.class, () -> verify.verify(STREET_2, new PeerPuller.Target(network.street2.url(),
                street1.peerKey()), null, null, 20));
        assertEquals("unknown_peer", none.code());
        ApiError refused = assertThrows(ApiError.class, () -> verify.verify(DISTRICT, new PeerPuller.Target(network.district.url(),
                "sync_not-a-key-anyone-issued"), null, null, 20));
        assertEquals("peer_refused_key", refused.code());
        assertTrue(refused.getMessage().contains("refused this node's key (HTTP 401"), refused.getMessage());
        String nowhere = "http://127.0.0.1:" + SyncNetwork.freePort();
        ApiError down = assertThrows(ApiError.class, () -> verify.verify(DISTRICT, new PeerPuller.Target(nowhere, street1.peerKey()),
                null, null, 20));
        assertEquals("peer_unreachable", down.code());
        assertTrue(down.getMessage().contains(nowhere), down.getMessage());
        // no peer, or a street the district has not added: the command line says so before calling anyone
        ApiError noNeighbour = assertThrows(ApiError.class, () -> SyncVerify.target(street1.config(),
                new SyncPeers(owner, owner, STREET_1, street1.config().dataDir()), STREET_2));
        assertTrue(noNeighbour.getMessage().contains("is no peer of this node"), noNeighbour.getMessage());
        Pool districtOwner = OWNERS.get(DISTRICT);
        ApiError unknown = assertThrows(ApiError.class, () -> SyncVerify.target(network.district.config(),
                new SyncPeers(districtOwner, districtOwner, DISTRICT, network.district.config().dataDir()), "440105003"));
        assertEquals("unknown_peer", unknown.code());
    }

    @Test
    @Order(5)
    void theDigestRoutesAnswerAPeerInItsScopeOnly() throws Exception {
        Node district = network.district;
        String key = network.street1.peerKey();
        HttpResponse<String> list = send(district, "GET", "/api/v1/sync/digest/person?street=" + STREET_1, key, null);
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.headers().firstValue("Content-Type").orElse("").startsWith("text/tab-separated-values"));
        List<String> lines = list.body().lines().toList();
        assertEquals(SyncDigests.HEADER, lines.get(0));
        assertEquals(count(district, "SELECT count(*) FROM person WHERE street_code = ?", STREET_1), lines.size() - 1);
        assertEquals(first(district, "SELECT gid::text FROM person WHERE street_code = ? ORDER BY gid LIMIT 1", STREET_1),
                lines.get(1).split("\t")[0], "in gid order");
        assertFalse(list.body().contains(first(district, "SELECT id_number_masked FROM person WHERE street_code = ? LIMIT 1", STREET_1)),
                "digests only, no content");
        // another street's bucket does not exist for this key; its digests are none of this key's business either
        assertEquals(404, send(district, "GET", "/api/v1/sync/digest/person?street=" + STREET_2, key, null).statusCode());
        HttpResponse<String> other = send(district, "GET", "/api/v1/sync/digest?street=" + STREET_2, key, null);
        assertEquals(200, other.statusCode());
        assertTrue(new JsonObject(other.body()).getJsonArray("buckets").isEmpty(), other.body());
        // both are documented
        JsonObject api = new JsonObject(send(district, "GET", "/api/v1/openapi.json", key, null).body());
        for (String path : List.of("/api/v1/sync/digest", "/api/v1/sync/digest/{table}")) {
            assertTrue(api.getJsonObject("paths").containsKey(path), path + " in the OpenAPI document");
        }
        // bad parameters: a 400 in the one error format, never a 500
        for (String path : List.of("/api/v1/sync/digest/person", "/api/v1/sync/digest/app_user?street=" + STREET_1,
                "/api/v1/sync/digest/person?street=44010500x", "/api/v1/sync/digest?table=app_user", "/api/v1/sync/digest?street=1")) {
            HttpResponse<String> r = send(district, "GET", path, key, null);
            assertEquals(400, r.statusCode(), path + ": " + r.body());
            assertTrue(r.body().contains("\"invalid_parameter\""), r.body());
        }
    }

    private static Bucket bucket(Verification v, String table, String street) {
        return v.buckets().stream().filter(b -> b.table().equals(table) && b.street().equals(street)).findFirst()
                .orElseThrow(() -> new AssertionError("no bucket " + table + "/" + street + " in " + v));
    }

    /** Runs {@code sql} with the triggers off: no version bump, no change log; the peers never hear of it. */
    private static void behindTheLog(Node n, String sql, String gid) throws SQLException {
        try (Connection c = n.db().connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement off = c.prepareStatement("SET LOCAL session_replication_role = replica");
                 PreparedStatement ps = c.prepareStatement(sql)) {
                off.execute();
                ps.setString(1, gid);
                assertEquals(1, ps.executeUpdate());
            }
            c.commit();
        }
    }
}

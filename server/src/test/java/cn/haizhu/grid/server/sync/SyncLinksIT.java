package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.demo.DemoDataset;
import cn.haizhu.grid.server.CommandCenter;
import cn.haizhu.grid.server.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * GET /api/v1/sync/links between two real nodes over real HTTP, as in {@link SyncIT} but briefly: the
 * Haizhu district (the demo at 1%) and its street 440105001, which registers there and is pulled back.
 * The district knows two more streets as peers that never come (440105002, 440105003). What the
 * route says is what the pullers wrote: each link's state, its honest lag and the alarm of the
 * "1+18" network; then the street stops, and its link goes down with the error its puller met.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SyncLinksIT {
    static final String DISTRICT = "440105";
    static final String STREET = "440105001";
    static final String NEVER_COMES = "440105002";
    static final String LONG_AWAITED = "440105003";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Node(String code, Database db, CommandCenter center) {
        String url() {
            return "http://127.0.0.1:" + center.port();
        }
    }

    static Node district;
    static Node street;
    static boolean streetStopped;
    static String command;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        Path project = TestDatabases.projectDir();
        GridConfig base = GridConfig.load(project, Map.of("GRIDCTL_CONFIG", "/nonexistent", "GRIDCTL_DEMO_SCALE", "0.01",
                "GRIDCTL_DEMO_LOAD", "false"));
        int streetPort = FreePorts.one();
        GridConfig districtConfig = base.withDataDir(project.resolve("var/test-links/district")).withHttpPort(0);
        Database districtDb = TestDatabases.fresh("it_links_district", DISTRICT);
        PersonalDataCipher districtKeys = PersonalDataCipher.fromBase64(PersonalDataCipher.newKey());
        new DemoDataset(0.01, base.demoSeed(), districtConfig.dataDir()).ensureLoaded(districtDb, districtKeys);
        String streetKey;
        Vertx vertx = Vertx.vertx();
        Pool owner = PgBuilder.pool().connectingTo(CommandCenter.ownerOptions(districtDb)).using(vertx).build();
        try {
            SyncPeers peers = new SyncPeers(owner, owner, DISTRICT, districtConfig.dataDir());
            streetKey = peers.add(STREET, "http://127.0.0.1:" + streetPort).await().key();
            peers.add(NEVER_COMES, null).await();
            peers.add(LONG_AWAITED, null).await();
        } finally {
            owner.close().await();
            vertx.close().await();
        }
        district = new Node(DISTRICT, districtDb, CommandCenter.start(districtConfig, districtDb, districtKeys));
        GridConfig streetConfig = base.withDataDir(project.resolve("var/test-links/" + STREET))
                .withNode(STREET, new GridConfig.Upstream(district.url(), streetKey)).withHttpPort(streetPort);
        Database streetDb = TestDatabases.fresh("it_links_" + STREET, STREET);
        street = new Node(STREET, streetDb, CommandCenter.start(streetConfig, streetDb,
                PersonalDataCipher.fromBase64(PersonalDataCipher.newKey())));
        command = token(district, "links-command", "command", "district", DISTRICT);
    }

    @AfterAll
    static void stop() {
        for (Node n : new Node[] {street, district}) {
            if (n != null) {
                if (n != street || !streetStopped) {
                    n.center().close();
                }
                n.db().close();
            }
        }
    }

    @Test
    @Order(1)
    void eachLinkOfTheDistrictAsItsPullersFindIt() throws Exception {
        JsonObject links = eventually("the street's link up and current at the district",
                () -> links(district, command), l -> "current".equals(downstream(l, STREET).getString("state")));
        assertEquals(DISTRICT, links.getJsonObject("node").getString("code"));
        // the district's own upstream, the city, is configured nowhere here: not connected, no alarm
        JsonObject city = links.getJsonObject("upstream");
        assertEquals("440100", city.getString("code"));
        assertEquals("广州市", city.getString("name"));
        assertEquals("not_connected", city.getString("state"));
        assertNull(city.getValue("alarm"));

        JsonArray below = links.getJsonArray("downstream");
        assertEquals(18, below.size(), "one link per street of the district: " + below);
        JsonObject s = downstream(links, STREET);
        assertEquals("赤岗街道", s.getString("name"));
        assertEquals("down", s.getString("direction"));
        assertTrue(s.getBoolean("up") && s.getBoolean("everConnected"));
        assertTrue(s.getDouble("lagSeconds") < 10, "a current link is not behind: " + s);
        assertNotNull(s.getString("lastSuccessAt"));
        assertNull(s.getValue("alarm"));
        assertFalse(s.containsKey("url") || s.containsKey("cursor"), "no address, no cursor on the wall: " + s);
        // a street given a key a moment ago that never came: down since it was configured, no alarm yet
        JsonObject waiting = downstream(links, NEVER_COMES);
        assertEquals("down", waiting.getString("state"));
        assertFalse(waiting.getBoolean("everConnected"));
        assertNull(waiting.getValue("lagSeconds"));
        assertNull(waiting.getValue("alarm"));
        // the other fifteen: not connected (未接入), never an alarm
        long notConnected = below.stream().map(JsonObject.class::cast).filter(l -> "not_connected".equals(l.getString("state"))).count();
        assertEquals(15, notConnected);
        assertEquals(new JsonObject().put("current", 1).put("lagging", 0).put("down", 2).put("notConnected", 16).put("alarms", 0),
                links.getJsonObject("summary"));

        // the street sees its district above it, up, and nothing below
        String streetCommand = token(street, "links-command", "command", "street", STREET);
        JsonObject atStreet = eventually("the district's link up at the street", () -> links(street, streetCommand),
                l -> "current".equals(l.getJsonObject("upstream").getString("state")));
        assertEquals("street", atStreet.getJsonObject("node").getString("level"));
        assertEquals(DISTRICT, atStreet.getJsonObject("upstream").getString("code"));
        assertEquals("海珠区", atStreet.getJsonObject("upstream").getString("name"));
        assertEquals(0, atStreet.getJsonArray("downstream").size());

        // a street's user at the district sees its own street's link and the one above, no other street's
        JsonObject own = links(district, token(district, "links-street-2", "command", "street", NEVER_COMES));
        assertEquals(List.of(NEVER_COMES), own.getJsonArray("downstream").stream().map(o -> ((JsonObject) o).getString("code")).toList());
        assertEquals("440100", own.getJsonObject("upstream").getString("code"));
        // who does not watch the wall may not: a grid worker, a peer platform's account, a peer's sync key
        assertEquals(403, get(district, "/api/v1/sync/links", token(district, "links-peer", "peer", "district", DISTRICT)).statusCode());
        assertEquals(403, get(district, "/api/v1/sync/links", token(district, "links-worker", "worker", "street", STREET)).statusCode());
        HttpResponse<String> keyed = get(district, "/api/v1/sync/links", streetKeyAtDistrict());
        assertEquals(403, keyed.statusCode(), keyed.body());
        assertEquals(401, get(district, "/api/v1/sync/links", "not-a-token").statusCode());
    }

    @Test
    @Order(2)
    void aStoppedStreetGoesDownWithItsErrorAndAlarmsOnlyAfterFiveMinutes() throws Exception {
        street.center().close();
        streetStopped = true;
        JsonObject links = eventually("the street's link down at the district", () -> links(district, command),
                l -> "down".equals(downstream(l, STREET).getString("state")));
        JsonObject s = downstream(links, STREET);
        assertTrue(s.getBoolean("everConnected"));
        assertFalse(s.getBoolean("up"));
        assertNotNull(s.getString("lastError"), "the puller's error is shown: " + s);
        assertNotNull(s.getString("downSince"));
        assertNull(s.getValue("alarm"), "down a moment: no alarm yet");

        // as if the street had been down five minutes and a second: the puller, retrying, keeps the first failure
        update("UPDATE sync_checkpoint SET down_since = now() - interval '5 minutes 1 second',"
                + " last_contact_at = now() - interval '5 minutes 2 seconds' WHERE peer_code = ?", STREET);
        // a street that never came although it got its key six minutes ago
        update("UPDATE sync_peer SET created_at = now() - interval '6 minutes' WHERE code = ?", LONG_AWAITED);
        // a link whose puller last succeeded 90 s ago and says up: as the puller wrote it then (0.5 s behind)
        update("""
                INSERT INTO sync_checkpoint (peer_code, cursor, applied_at, link_up, last_contact_at, lag_changes, lag_seconds)
                VALUES (?, '0:0:0', now() - interval '90 seconds', true, now() - interval '90 seconds', 0, 0.5)""", NEVER_COMES);
        links = links(district, command);

        JsonObject down = downstream(links, STREET);
        assertEquals("down", down.getJsonObject("alarm").getString("reason"));
        assertEquals(OffsetDateTime.parse(down.getString("downSince")).toInstant(),
                OffsetDateTime.parse(down.getJsonObject("alarm").getString("since")).toInstant());
        assertTrue(down.getDouble("lagSeconds") >= 302, "a link down is as far behind as its silence: " + down);

        JsonObject awaited = downstream(links, LONG_AWAITED);
        assertEquals("down", awaited.getString("state"));
        assertEquals("never_connected", awaited.getJsonObject("alarm").getString("reason"));

        JsonObject silent = downstream(links, NEVER_COMES);
        assertEquals("lagging", silent.getString("state"));
        assertTrue(silent.getDouble("lagSeconds") >= 90, "not the 0.5 s it last reported: " + silent);
        assertEquals("lag", silent.getJsonObject("alarm").getString("reason"));
        assertEquals(3, links.getJsonObject("summary").getInteger("alarms"));

        // the same link fresh again: its small lag stands
        update("UPDATE sync_checkpoint SET last_contact_at = now(), applied_at = now() WHERE peer_code = ?", NEVER_COMES);
        JsonObject fresh = downstream(links(district, command), NEVER_COMES);
        assertEquals("current", fresh.getString("state"));
        assertEquals(0.5, fresh.getDouble("lagSeconds"));
        assertNull(fresh.getValue("alarm"));
    }

    // ── helpers ──

    static JsonObject downstream(JsonObject links, String code) {
        return links.getJsonArray("downstream").stream().map(JsonObject.class::cast).filter(l -> code.equals(l.getString("code")))
                .findFirst().orElseThrow(() -> new AssertionError("no link " + code + " in " + links));
    }

    static JsonObject links(Node n, String token) {
        HttpResponse<String> r = get(n, "/api/v1/sync/links", token);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    static HttpResponse<String> get(Node n, String path, String token) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(n.url() + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonObject eventually(String what, java.util.concurrent.Callable<JsonObject> read, Predicate<JsonObject> done) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonObject last = read.call();
        while (!done.test(last)) {
            if (System.nanoTime() > until) {
                throw new AssertionError(what + ": not within 90 s; last answer " + last);
            }
            Thread.sleep(200);
            last = read.call();
        }
        return last;
    }

    /** A token of a user of {@code role} and scope at node {@code n}, written as sign-in would (its hash only). */
    static String token(Node n, String username, String role, String scopeKind, String scopeCode) throws Exception {
        byte[] raw = new byte[32];
        new java.security.SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Object[] args = {username, username, role, scopeKind, scopeCode,
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8))};
        try (Connection c = n.db().connection(); PreparedStatement ps = c.prepareStatement("""
                WITH u AS (INSERT INTO app_user (username, display_name, password_hash, role, scope_kind, scope_code)
                           VALUES (?, ?, 'pbkdf2-sha256$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA', ?, ?, ?) RETURNING id)
                INSERT INTO auth_token (token_hash, user_id, kind, expires_at) SELECT ?, id, 'api', now() + interval '1 hour' FROM u""")) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            assertEquals(1, ps.executeUpdate());
        }
        return token;
    }

    /** A live sync key of a street peer at the district, as {@code ./gridctl sync peer rotate} prints it. */
    static String streetKeyAtDistrict() {
        Vertx vertx = Vertx.vertx();
        Pool owner = PgBuilder.pool().connectingTo(CommandCenter.ownerOptions(district.db())).using(vertx).build();
        try {
            return new SyncPeers(owner, owner, DISTRICT, TestDatabases.projectDir().resolve("var/test-links/district"))
                    .rotate(NEVER_COMES).await();
        } finally {
            owner.close().await();
            vertx.close().await();
        }
    }

    static void update(String sql, String arg) throws Exception {
        try (Connection c = district.db().connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            assertEquals(1, ps.executeUpdate(), sql);
        }
    }
}

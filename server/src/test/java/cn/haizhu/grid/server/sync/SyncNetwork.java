package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.demo.DemoDataset;
import cn.haizhu.grid.server.CommandCenter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Three real nodes in this JVM, each with its own database in the test cluster and its own port,
 * talking over real HTTP: the Haizhu district (440105), which alone loads the demo data, and two of
 * its streets (440105001, 440105002), which get theirs by pulling its feed. Nothing is mocked: the
 * streets register with the district, and the district pulls them back. {@link #start} returns once
 * the first sync has brought each street its houses and persons. For the ITs of the exchange; the
 * static helpers read and write a node's database and call its routes.
 */
final class SyncNetwork implements AutoCloseable {
    static final String DISTRICT = "440105";
    static final String STREET_1 = "440105001";
    static final String STREET_2 = "440105002";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One running node; {@code peerKey} is the key the district issued it (null for the district). */
    record Node(String code, Database db, PersonalDataCipher cipher, CommandCenter center, String peerKey, GridConfig config) {
        String url() {
            return "http://127.0.0.1:" + center.port();
        }
    }

    final Node district;
    final Node street1;
    final Node street2;

    private SyncNetwork(Node district, Node street1, Node street2) {
        this.district = district;
        this.street1 = street1;
        this.street2 = street2;
    }

    /**
     * Starts the three nodes on databases {@code it_<name>_<district|code>} and data folders {@code
     * var/test-<name>/}, and waits for the first sync of both streets.
     */
    static SyncNetwork start(String name) throws Exception {
        Path project = TestDatabases.projectDir();
        GridConfig base = GridConfig.load(project, Map.of("GRIDCTL_CONFIG", "/nonexistent", "GRIDCTL_DEMO_SCALE", "0.01",
                "GRIDCTL_DEMO_LOAD", "false"));
        int port1 = freePort();
        int port2 = freePort();
        // the district first: the demo data, and the two streets as its peers (their keys printed once, as the CLI does)
        GridConfig districtConfig = base.withDataDir(project.resolve("var/test-" + name + "/district")).withHttpPort(0);
        Database districtDb = database("it_" + name + "_district", DISTRICT);
        PersonalDataCipher districtKeys = PersonalDataCipher.fromBase64(PersonalDataCipher.newKey());
        new DemoDataset(0.01, base.demoSeed(), districtConfig.dataDir()).ensureLoaded(districtDb, districtKeys);
        String key1;
        String key2;
        Vertx vertx = Vertx.vertx();
        Pool owner = PgBuilder.pool().connectingTo(CommandCenter.ownerOptions(districtDb)).using(vertx).build();
        try {
            SyncPeers peers = new SyncPeers(owner, owner, DISTRICT, districtConfig.dataDir());
            key1 = peers.add(STREET_1, "http://127.0.0.1:" + port1).await().key();
            key2 = peers.add(STREET_2, "http://127.0.0.1:" + port2).await().key();
        } finally {
            owner.close().await();
            vertx.close().await();
        }
        Node district = new Node(DISTRICT, districtDb, districtKeys, CommandCenter.start(districtConfig, districtDb, districtKeys), null,
                districtConfig);
        SyncNetwork network = new SyncNetwork(district, street(base, project, name, district, STREET_1, port1, key1),
                street(base, project, name, district, STREET_2, port2, key2));
        try {
            network.firstSync();
        } catch (Exception | AssertionError e) {
            network.close();
            throw e;
        }
        return network;
    }

    private static Node street(GridConfig base, Path project, String name, Node district, String code, int port, String key) throws Exception {
        GridConfig config = base.withDataDir(project.resolve("var/test-" + name + "/" + code))
                .withNode(code, new GridConfig.Upstream(district.url(), key)).withHttpPort(port);
        Database db = database("it_" + name + "_" + code, code);
        PersonalDataCipher cipher = PersonalDataCipher.fromBase64(PersonalDataCipher.newKey());
        return new Node(code, db, cipher, CommandCenter.start(config, db, cipher), key, config);
    }

    /** The first sync: each street holds its own street's houses and persons, as many as the district has there. */
    private void firstSync() throws Exception {
        for (Node s : List.of(street1, street2)) {
            long houses = count(district, "SELECT count(*) FROM house WHERE street_code = ?", s.code());
            long persons = count(district, "SELECT count(*) FROM person WHERE street_code = ?", s.code());
            assertTrue(houses > 0 && persons > 0, "the demo has houses and persons in " + s.code());
            long t0 = System.nanoTime();
            eventually(Duration.ofSeconds(120), "the first sync of " + s.code(),
                    () -> count(s, "SELECT count(*) FROM house") == houses && count(s, "SELECT count(*) FROM person") == persons);
            System.out.printf("first sync of %s: %d houses, %d persons in %.1f s%n", s.code(), houses, persons, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static Database database(String name, String code) {
        EmbeddedPostgres pg = TestDatabases.cluster();
        pg.dropDatabase(name);
        pg.start(name);
        return Database.at(pg.jdbcUrl(name), EmbeddedPostgres.SUPERUSER, pg.password(), code);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Node n : new Node[] {street2, street1, district}) {
            if (n != null) {
                n.center().close();
                n.db().close();
            }
        }
    }

    /** Waits until {@code done}; fails naming {@code what} and the state of every link. */
    void eventually(Duration within, String what, Callable<Boolean> done) throws Exception {
        long until = System.nanoTime() + within.toNanos();
        while (!Boolean.TRUE.equals(done.call())) {
            if (System.nanoTime() > until) {
                throw new AssertionError(what + ": not within " + within.toSeconds() + " s; district links: " + links(district)
                        + " (log tail " + cursorAt(district) + ")"
                        + ", street 1: " + links(street1) + ", street 2: " + links(street2));
            }
            Thread.sleep(100);
        }
    }

    private static String links(Node n) throws SQLException {
        if (n == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        try (Connection c = n.db().connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT peer_code, link_up, cursor, last_error FROM sync_checkpoint ORDER BY peer_code");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.append(rs.getString(1)).append(rs.getBoolean(2) ? " up " : " down ").append(rs.getString(3))
                        .append(rs.getString(4) == null ? "" : " (" + rs.getString(4) + ")").append("; ");
            }
        }
        return out.toString();
    }

    /** The cursor of the last entry of a node's change log. */
    static String cursorAt(Node n) throws SQLException {
        String[] r = row(n, "SELECT txid::text, id, coalesce(cardinality(record_gids), 1) FROM change_log ORDER BY txid DESC, id DESC LIMIT 1");
        return r[0] + ":" + r[1] + ":" + r[2];
    }

    static HttpResponse<String> send(Node n, String method, String path, String token, JsonObject body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.url() + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void update(Node n, String sql, Object... args) throws SQLException {
        try (Connection c = n.db().connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        }
    }

    static long count(Node n, String sql, Object... args) throws SQLException {
        return Long.parseLong(first(n, sql, args));
    }

    static String first(Node n, String sql, Object... args) throws SQLException {
        return row(n, sql, args)[0];
    }

    static String[] row(Node n, String sql, Object... args) throws SQLException {
        try (Connection c = n.db().connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new String[] {null, null, null, null};
                }
                String[] out = new String[rs.getMetaData().getColumnCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = rs.getString(i + 1);
                }
                return out;
            }
        }
    }

    static byte[] bytes(Node n, String sql, Object... args) throws SQLException {
        try (Connection c = n.db().connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "no row for " + sql);
                return rs.getBytes(1);
            }
        }
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}

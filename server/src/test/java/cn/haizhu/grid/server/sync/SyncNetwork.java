package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.demo.DemoDataset;
import cn.haizhu.grid.server.CommandCenter;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.PreparedStatement;
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
    /** The proxy street 2 reaches the district through, or null (quiet unless a check drives it). */
    final FaultProxy street2Upstream;

    private SyncNetwork(Node district, Node street1, Node street2, FaultProxy street2Upstream) {
        this.district = district;
        this.street1 = street1;
        this.street2 = street2;
        this.street2Upstream = street2Upstream;
    }

    /**
     * Starts the three nodes on databases {@code it_<name>_<district|code>} and data folders {@code
     * var/test-<name>/}, and waits for the first sync of both streets.
     */
    static SyncNetwork start(String name) throws Exception {
        return start(name, false);
    }

    /** As {@link #start(String)}; with {@code proxyStreet2}, street 2 reaches the district through a {@link FaultProxy}. */
    static SyncNetwork start(String name, boolean proxyStreet2) throws Exception {
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
        String key1 = SyncNodes.issueKey(districtDb, DISTRICT, districtConfig.dataDir(), STREET_1, "http://127.0.0.1:" + port1);
        String key2 = SyncNodes.issueKey(districtDb, DISTRICT, districtConfig.dataDir(), STREET_2, "http://127.0.0.1:" + port2);
        Node district = new Node(DISTRICT, districtDb, districtKeys, CommandCenter.start(districtConfig, districtDb, districtKeys), null,
                districtConfig);
        FaultProxy proxy = proxyStreet2 ? new FaultProxy(STREET_2 + ">" + DISTRICT, district.center().port(), 1) : null;
        SyncNetwork network = new SyncNetwork(district, street(base, project, name, district.url(), STREET_1, port1, key1),
                street(base, project, name, proxy == null ? district.url() : proxy.url(), STREET_2, port2, key2), proxy);
        try {
            network.firstSync();
        } catch (Exception | AssertionError e) {
            network.close();
            throw e;
        }
        return network;
    }

    private static Node street(GridConfig base, Path project, String name, String upstream, String code, int port, String key)
            throws Exception {
        GridConfig config = base.withDataDir(project.resolve("var/test-" + name + "/" + code))
                .withNode(code, new GridConfig.Upstream(upstream, key)).withHttpPort(port);
        Database db = database("it_" + name + "_" + code, code);
        PersonalDataCipher cipher = PersonalDataCipher.fromBase64(PersonalDataCipher.newKey());
        return new Node(code, db, cipher, CommandCenter.start(config, db, cipher), key, config);
    }

    /** The first sync: each street holds its own street's houses, persons and enterprises, as many as the district has there. */
    private void firstSync() throws Exception {
        for (Node s : List.of(street1, street2)) {
            long houses = count(district, "SELECT count(*) FROM house WHERE street_code = ?", s.code());
            long persons = count(district, "SELECT count(*) FROM person WHERE street_code = ?", s.code());
            long enterprises = count(district, "SELECT count(*) FROM enterprise WHERE street_code = ?", s.code());
            assertTrue(houses > 0 && persons > 0 && enterprises > 0, "the demo has houses, persons and enterprises in " + s.code());
            long t0 = System.nanoTime();
            eventually(Duration.ofSeconds(120), "the first sync of " + s.code(),
                    () -> count(s, "SELECT count(*) FROM house") == houses && count(s, "SELECT count(*) FROM person") == persons
                            && count(s, "SELECT count(*) FROM enterprise") == enterprises);
            System.out.printf("first sync of %s: %d houses, %d persons in %.1f s%n", s.code(), houses, persons, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static Database database(String name, String code) {
        return SyncNodes.database(name, code);
    }

    static int freePort() throws Exception {
        return SyncNodes.freePort();
    }

    @Override
    public void close() {
        for (Node n : new Node[] {street2, street1, district}) {
            if (n != null) {
                n.center().close();
                n.db().close();
            }
        }
        if (street2Upstream != null) {
            street2Upstream.close();
        }
    }

    /** Waits until {@code done}; fails naming {@code what} and the state of every link. */
    void eventually(Duration within, String what, Callable<Boolean> done) throws Exception {
        SyncNodes.eventually(within, what, done, () -> {
            try {
                return "district links: " + links(district) + " (log tail " + cursorAt(district) + ")"
                        + ", street 1: " + links(street1) + ", street 2: " + links(street2);
            } catch (SQLException e) {
                return e.getMessage();
            }
        });
    }

    private static String links(Node n) {
        return n == null ? "-" : SyncNodes.links(n.db());
    }

    /** The cursor of the last entry of a node's change log. */
    static String cursorAt(Node n) throws SQLException {
        return SyncNodes.logTail(n.db());
    }

    static HttpResponse<String> send(Node n, String method, String path, String token, JsonObject body) {
        return SyncNodes.send(n.url(), method, path, token, body);
    }

    static void update(Node n, String sql, Object... args) throws SQLException {
        SyncNodes.update(n.db(), sql, args);
    }

    static long count(Node n, String sql, Object... args) throws SQLException {
        return SyncNodes.count(n.db(), sql, args);
    }

    static String first(Node n, String sql, Object... args) throws SQLException {
        return SyncNodes.first(n.db(), sql, args);
    }

    static String[] row(Node n, String sql, Object... args) throws SQLException {
        return SyncNodes.row(n.db(), sql, args);
    }

    static byte[] bytes(Node n, String sql, Object... args) throws SQLException {
        return SyncNodes.bytes(n.db(), sql, args);
    }

    static void bind(PreparedStatement ps, Object... args) throws SQLException {
        SyncNodes.bind(ps, args);
    }
}

package cn.haizhu.grid.server;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.people.PersonalDataKey;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A command center of another level than the {@link TestServer}'s district: a street (440105001) or
 * the city (440100), started as {@code ./gridctl run} starts one (Main.Serve.prepare: its area tree,
 * its demo logins, no records of its own) on a database of its own in the test cluster, at the
 * {@link TestServer}'s demo scale and password. One per code in the JVM; stopped at exit.
 */
public final class NodeServer {
    private static final Map<String, NodeServer> RUNNING = new HashMap<>();

    public final GridConfig config;
    public final Database db;
    public final CommandCenter center;

    private NodeServer(GridConfig config, Database db, CommandCenter center) {
        this.config = config;
        this.db = db;
        this.center = center;
    }

    public static synchronized NodeServer get(String nodeCode) {
        return RUNNING.computeIfAbsent(nodeCode, code -> {
            NodeServer node = start(code, "node_" + code, "test-data-" + code, c -> c);
            Runtime.getRuntime().addShutdownHook(new Thread(node::close, "node-server-stop-" + code));
            return node;
        });
    }

    /**
     * A node of its own, for a test class that wires nodes together (an upstream, fixed ports): started
     * as {@link #get} starts one, on the database {@code it_<name>} and the data folder {@code
     * var/test-<name>}, both made afresh, with {@code adjust} applied to its configuration. Not shared:
     * the caller closes it.
     */
    public static NodeServer start(String nodeCode, String name, UnaryOperator<GridConfig> adjust) {
        return start(nodeCode, name, "test-" + name, adjust);
    }

    private static NodeServer start(String nodeCode, String name, String dataDir, UnaryOperator<GridConfig> adjust) {
        try {
            Path project = TestDatabases.projectDir();
            GridConfig config = adjust.apply(GridConfig.load(project, Map.of(
                    "GRIDCTL_CONFIG", "/nonexistent",
                    "GRIDCTL_DATA_DIR", project.resolve("var/" + dataDir).toString(),
                    "GRIDCTL_HTTP_PORT", "1",
                    "GRIDCTL_NODE_CODE", nodeCode,
                    "GRIDCTL_DEMO_SCALE", Double.toString(TestServer.SCALE),
                    "GRIDCTL_DEMO_PASSWORD", TestServer.PASSWORD)).withHttpPort(0));
            EmbeddedPostgres pg = TestDatabases.cluster();
            String database = "it_" + name;
            pg.dropDatabase(database);
            pg.start(database);
            Database db = Database.at(pg.jdbcUrl(database), EmbeddedPostgres.SUPERUSER, pg.password(), nodeCode);
            PersonalDataCipher cipher = PersonalDataKey.cipher(config);
            Main.Serve.prepare(config, db, cipher);
            return new NodeServer(config, db, CommandCenter.start(config, db, cipher));
        } catch (Exception e) {
            throw new IllegalStateException("node " + nodeCode + " did not start: " + e.getMessage(), e);
        }
    }

    /** Stops the server (its pullers included), keeping its database open for {@link #startAgain}. */
    public void stop() {
        center.close();
    }

    /** The stopped node started again on its database and configuration, as a restart of the server starts it. */
    public NodeServer startAgain() {
        return new NodeServer(config, db, CommandCenter.start(config, db, PersonalDataKey.cipher(config)));
    }

    /** Stops the server and closes its database. */
    public void close() {
        center.close();
        db.close();
    }

    public String baseUrl() {
        return "http://localhost:" + center.port();
    }

    /** A bearer token of a demo login of this node. */
    public String token(String username) {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/auth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(new io.vertx.core.json.JsonObject().put("username", username)
                        .put("password", TestServer.PASSWORD).encode())).build());
        if (r.statusCode() != 201) {
            throw new AssertionError("sign-in of " + username + " at " + config.nodeCode() + ": " + r.statusCode() + " " + r.body());
        }
        return new io.vertx.core.json.JsonObject(r.body()).getString("token");
    }

    /** GET path with the bearer token, as JSON (a status other than 200 fails). */
    public io.vertx.core.json.JsonObject getJson(String path, String token) {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + token).GET().build());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " at " + config.nodeCode() + ": " + r.statusCode() + " " + r.body());
        }
        return new io.vertx.core.json.JsonObject(r.body());
    }

    /** A counting query straight in this node's database. */
    public long count(String sql, Object... args) throws java.sql.SQLException {
        return TestServer.count(db, sql, args);
    }
}

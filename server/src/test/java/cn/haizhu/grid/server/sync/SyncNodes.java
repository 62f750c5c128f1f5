package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.EmbeddedPostgres;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.server.CommandCenter;
import cn.haizhu.grid.server.FreePorts;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
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
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * What the tests of nodes talking to each other share (SyncIT, WorkOrderExchangeIT): a database and a
 * port for a node, a peer's key issued as {@code ./gridctl sync peer add} does, queries straight in a
 * node's database, HTTP with a bearer credential, and waiting for a change to travel.
 */
final class SyncNodes {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SyncNodes() {
    }

    /** A fresh database {@code name} in the test cluster for the node {@code code}. */
    static Database database(String name, String code) {
        EmbeddedPostgres pg = TestDatabases.cluster();
        pg.dropDatabase(name);
        pg.start(name);
        return Database.at(pg.jdbcUrl(name), EmbeddedPostgres.SUPERUSER, pg.password(), code);
    }

    static int freePort() {
        return FreePorts.one();
    }

    /**
     * The key the node {@code code} (serving at {@code url}) calls the node of {@code db} with, issued
     * there as {@code ./gridctl sync peer add} issues it (shown once, its hash kept).
     */
    static String issueKey(Database db, String nodeCode, Path dataDir, String code, String url) {
        Vertx vertx = Vertx.vertx();
        Pool owner = PgBuilder.pool().connectingTo(CommandCenter.ownerOptions(db)).using(vertx).build();
        try {
            return new SyncPeers(owner, owner, nodeCode, dataDir).add(code, url).await().key();
        } finally {
            owner.close().await();
            vertx.close().await();
        }
    }

    /** A request to the server at {@code baseUrl} with a bearer credential and an optional JSON body. */
    static HttpResponse<String> send(String baseUrl, String method, String path, String token, JsonObject body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60))
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

    /** Waits until {@code done}, failing with {@code what} and the state of the links after {@code within}. */
    static void eventually(Duration within, String what, Callable<Boolean> done, Supplier<String> links) throws Exception {
        long until = System.nanoTime() + within.toNanos();
        while (!Boolean.TRUE.equals(done.call())) {
            if (System.nanoTime() > until) {
                throw new AssertionError(what + ": not within " + within.toSeconds() + " s; " + links.get());
            }
            Thread.sleep(100);
        }
    }

    /** Each link of the node of {@code db} as its checkpoint says: peer, up or down, cursor, last error. */
    static String links(Database db) {
        StringBuilder out = new StringBuilder();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT peer_code, link_up, cursor, last_error FROM sync_checkpoint ORDER BY peer_code");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.append(rs.getString(1)).append(rs.getBoolean(2) ? " up " : " down ").append(rs.getString(3))
                        .append(rs.getString(4) == null ? "" : " (" + rs.getString(4) + ")").append("; ");
            }
        } catch (SQLException e) {
            out.append("(").append(e.getMessage()).append(")");
        }
        return out.toString();
    }

    /** The position after the last entry of the node's change log, as a cursor. */
    static String logTail(Database db) throws SQLException {
        String[] r = row(db, "SELECT txid::text, id, coalesce(cardinality(record_gids), 1) FROM change_log ORDER BY txid DESC, id DESC LIMIT 1");
        return r[0] + ":" + r[1] + ":" + r[2];
    }

    static void update(Database db, String sql, Object... args) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        }
    }

    static long count(Database db, String sql, Object... args) throws SQLException {
        return Long.parseLong(first(db, sql, args));
    }

    static String first(Database db, String sql, Object... args) throws SQLException {
        return row(db, sql, args)[0];
    }

    /** The first row as text; a row of nulls when there is none. */
    static String[] row(Database db, String sql, Object... args) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
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

    static byte[] bytes(Database db, String sql, Object... args) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
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

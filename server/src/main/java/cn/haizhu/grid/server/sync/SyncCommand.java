package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.Gridctl;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.server.CommandCenter;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./gridctl sync peer add|rotate|retire|list}, {@code ./gridctl sync status} and {@code
 * ./gridctl sync verify PEER}: the peers of this node and their keys, the state of each link, and
 * whether a peer holds what this node holds, from the shell of the server, as the database owner,
 * through the same {@link SyncPeers} the server uses.
 */
@Command(name = "sync", description = "The three-level exchange (docs/SYNC.md): peers and their keys, the state of each link,"
        + " what a peer holds compared with this node, rebuilding one street's copy from a peer.",
        subcommands = {SyncCommand.Peer.class, SyncCommand.Status.class, SyncCommand.Verify.class, SyncCommand.Resync.class})
public final class SyncCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("gridctl sync: peer add CODE [--url URL] | peer rotate CODE | peer retire CODE | peer list | status"
                + " | verify PEER [--table T] [--street CODE] [--list N] | resync PEER --street CODE");
        return 2;
    }

    /** Runs {@code work} with the peers of the configured node, on an owner's pool; a refusal is one line and exit code 2. */
    static int withPeers(Function<SyncPeers, Integer> work) {
        try {
            return withPeersOf(Gridctl.config(), work);
        } catch (ApiError e) {
            System.err.println("gridctl sync: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Runs {@code work} with the peers of the node {@code config} describes, on an owner's pool of its
     * database (opened, and migrated, for the call): the CLI on this node, the federation's wiring on
     * each of its nodes.
     */
    static <T> T withPeersOf(GridConfig config, Function<SyncPeers, T> work) {
        return withOwnerPool(config, (pool, peers, db) -> work.apply(peers));
    }

    /** What a command does with its node: the owner's pool, the peers on it, and the node's database for JDBC work. */
    @FunctionalInterface
    interface NodeWork<T> {
        T apply(Pool pool, SyncPeers peers, Database db);
    }

    /** {@link #withPeersOf}, with the owner's pool the peers run on and the database, for work that reads or writes the node's records too. */
    static <T> T withOwnerPool(GridConfig config, NodeWork<T> work) {
        try (Database db = Database.open(config)) {
            Vertx vertx = Vertx.vertx();
            Pool pool = PgBuilder.pool().connectingTo(CommandCenter.ownerOptions(db)).using(vertx).build();
            try {
                return work.apply(pool, new SyncPeers(pool, pool, config.nodeCode(), config.dataDir()), db);
            } finally {
                pool.close().await();
                vertx.close().await();
            }
        }
    }

    @Command(name = "peer", description = "add CODE [--url URL] (prints the key, once) | rotate CODE | retire CODE | list")
    static final class Peer implements Callable<Integer> {
        @Parameters(index = "0", description = "add | rotate | retire | list")
        String action;

        @Parameters(index = "1", arity = "0..1", description = "the peer's code: a street (440105001), district (440105) or city (440100)")
        String code;

        @Option(names = "--url", description = "add: where the peer's own feed is served (https://…; http:// on loopback only)")
        String url;

        @Override
        public Integer call() {
            if (!java.util.Set.of("add", "rotate", "retire", "list").contains(action) || (code == null) != action.equals("list")
                    || url != null && !action.equals("add")) {
                System.err.println("gridctl sync peer: add CODE [--url URL] | rotate CODE | retire CODE | list");
                return 2;
            }
            return withPeers(peers -> switch (action) {
                case "add" -> {
                    SyncPeers.Issued issued = peers.add(code, url).await();
                    System.out.printf("peer %s (%s, %s) added: it reads and writes %s here.%n", code,
                            issued.relation().peerLevel().label().en(), issued.relation().direction().code(), issued.relation().scope());
                    System.out.println("Its key, shown this once (only a hash is kept); configure it there as sync.upstream.key:");
                    System.out.println(issued.key());
                    yield 0;
                }
                case "rotate" -> {
                    String key = peers.rotate(code).await();
                    System.out.println("A second key for " + code + ", shown this once; the old one works until"
                            + " ./gridctl sync peer retire " + code + ":");
                    System.out.println(key);
                    yield 0;
                }
                case "retire" -> {
                    int n = peers.retire(code).await();
                    System.out.println(n == 0 ? code + " has no older key to retire"
                            : "retired " + n + " older key(s) of " + code + ": they stop working within seconds on every server");
                    yield n == 0 ? 1 : 0;
                }
                default -> {
                    System.out.printf("%-10s %-9s %-5s %-20s %-5s %-30s %s%n", "peer", "level", "dir", "scope", "keys", "registered", "url");
                    for (Object o : peers.list().await()) {
                        JsonObject p = (JsonObject) o;
                        System.out.printf("%-10s %-9s %-5s %-20s %-5d %-30s %s%n", p.getString("code"), p.getString("level"),
                                p.getString("direction"), p.getString("scope"), p.getLong("liveKeys"),
                                Objects.toString(p.getString("registeredAt"), "-"), Objects.toString(p.getString("url"), "-"));
                    }
                    yield 0;
                }
            });
        }
    }

    @Command(name = "status", description = "Per peer: link up or down, its alarm (down over 5 min, never reached, lag over 1 min),"
            + " lag in changes and seconds, last error, conflicts waiting.")
    static final class Status implements Callable<Integer> {
        @Override
        public Integer call() {
            return withPeers(peers -> {
                System.out.printf("%-10s %-5s %-5s %-16s %-9s %-9s %-10s %-28s %s%n", "peer", "dir", "link", "alarm", "lag", "lag (s)",
                        "conflicts", "last contact", "last error");
                for (Object o : peers.list().await()) {
                    JsonObject p = (JsonObject) o;
                    String error = p.getString("lastError");
                    JsonObject alarm = p.getJsonObject("alarm");
                    System.out.printf("%-10s %-5s %-5s %-16s %-9s %-9s %-10d %-28s %s%n", p.getString("code"), p.getString("direction"),
                            Boolean.TRUE.equals(p.getBoolean("up")) ? "up" : "down", alarm == null ? "-" : alarm.getString("reason"),
                            Objects.toString(p.getLong("lagChanges"), "-"),
                            p.getDouble("lagSeconds") == null ? "-" : String.format("%.1f", p.getDouble("lagSeconds")),
                            p.getLong("conflictsWaiting"), Objects.toString(p.getString("lastContactAt"), "-"),
                            error == null ? "-" : error + " (" + p.getString("lastErrorAt") + ")");
                }
                return 0;
            });
        }
    }

    @Command(name = "verify", description = "Compares this node and PEER per table and street of their common scope: a count and an"
            + " order-independent digest of (gid, version, content) at each side; lists the records that differ."
            + " Exit code 0 when all is equal, 1 when anything differs, 2 when the peer cannot be asked.")
    static final class Verify implements Callable<Integer> {
        @Parameters(index = "0", description = "the peer's code: this node's upstream or one of its downstream peers")
        String peer;

        @Option(names = "--table", description = "only this table: admin_area, grid, house, person or enterprise")
        String table;

        @Option(names = "--street", description = "only this street (9 digits), or the district (6) for its outline")
        String street;

        @Option(names = "--list", defaultValue = "20", description = "at most this many differing records listed per table and street (default 20)")
        int list;

        @Override
        public Integer call() {
            if (table != null && !cn.haizhu.grid.data.sync.Ownership.TABLES.contains(table)
                    || street != null && !street.matches("\\d{6}|\\d{9}") || list < 0 || list > 10_000) {
                System.err.println("gridctl sync verify: PEER [--table admin_area|grid|house|person|enterprise] [--street CODE] [--list 0..10000]");
                return 2;
            }
            return run(Gridctl.config(), System.out);
        }

        /** The command on the node {@code config} describes, printing to {@code out}: its exit code. */
        int run(GridConfig config, java.io.PrintStream out) {
            try {
                return withOwnerPool(config, (pool, peers, db) -> {
                    PeerPuller.Target target = SyncVerify.target(config, peers, peer);
                    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10))
                            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
                    Verification v = new SyncVerify(pool, config.nodeCode(), http).verify(peer, target, table, street, list);
                    print(v, out);
                    return v.equal() ? 0 : 1;
                });
            } catch (ApiError e) {
                System.err.println("gridctl sync verify: " + e.getMessage());
                return 2;
            }
        }

        /** The verification as a table: per bucket the counts at each side and equal or not, then the records that differ. */
        static void print(Verification v, java.io.PrintStream out) {
            out.printf("%s here, %s there: %s%n", v.node(), v.peer(), v.scope());
            out.printf("%-11s %-10s %10s %10s  %s%n", "table", "street", "here", "there", "");
            for (Verification.Bucket b : v.buckets()) {
                String verdict = b.digestsEqual() ? "equal"
                        : b.equal() ? "equal (a change arrived while verify read)"
                        : "DIFFERS: " + b.listing().differing() + " record(s)";
                out.printf("%-11s %-10s %10d %10d  %s%n", b.table(), b.street(), b.here(), b.there(), verdict);
                if (!b.equal()) {
                    for (Verification.Difference d : b.listing().listed()) {
                        out.printf("    %s  here %-18s there %-18s %s%n", d.gid(), version(d.here()), version(d.there()), d.kind());
                    }
                    long more = b.listing().differing() - b.listing().listed().size();
                    if (more > 0) {
                        out.printf("    … and %d more (--list N)%n", more);
                    }
                }
            }
            List<Verification.Bucket> differing = v.differing();
            out.println(differing.isEmpty() ? "all " + v.buckets().size() + " tables and streets equal"
                    : differing.size() + " of " + v.buckets().size() + " tables and streets differ, "
                            + differing.stream().mapToLong(b -> b.listing().differing()).sum() + " record(s) in all");
        }

        private static String version(Verification.RecordDigest r) {
            return r == null ? "-" : "v" + r.version() + " " + r.origin();
        }
    }

    @Command(name = "resync", description = "Rebuilds this node's copy of one street from PEER's snapshot, while everything keeps running.")
    static final class Resync implements Callable<Integer> {
        @Parameters(index = "0", description = "the peer to rebuild from: its code (440105, 440105001, 440100)")
        String peer;

        @Option(names = "--street", required = true, description = "the street to rebuild (9 digits), within what this node and PEER share")
        String street;

        @Override
        public Integer call() {
            if (!street.matches("\\d{9}")) {
                System.err.println("gridctl sync resync: --street takes a street code of 9 digits, got '" + street + "'");
                return 2;
            }
            GridConfig config = Gridctl.config();
            try {
                return withOwnerPool(config, (pool, peers, db) -> {
                    PeerPuller.Target target = SyncNode.target(config, peers, peer);
                    if (target == null) {
                        System.err.println("gridctl sync resync: " + peer + " is not a peer of this node with a URL and a key"
                                + " (./gridctl sync peer list)");
                        return 2;
                    }
                    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                            .connectTimeout(java.time.Duration.ofSeconds(10)).version(java.net.http.HttpClient.Version.HTTP_1_1).build();
                    try (java.sql.Connection c = db.connection()) {
                        SnapshotLoad.Outcome o = new SnapshotLoad(config.nodeCode(),
                                cn.haizhu.grid.data.people.PersonalDataKey.cipher(config)).pull(http, target, peer, c, street);
                        System.out.printf("street %s rebuilt from %s: %d records received, %d written, %d deleted;"
                                + " the feed of %s continues at %s%n", street, peer, o.received(), o.written(), o.deleted(), peer,
                                o.cursor());
                        return 0;
                    } catch (Exception e) {
                        System.err.println("gridctl sync resync: nothing changed: " + e.getMessage());
                        return 1;
                    }
                });
            } catch (ApiError e) {
                System.err.println("gridctl sync resync: " + e.getMessage());
                return 2;
            }
        }
    }
}

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
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./gridctl sync peer add|rotate|retire|list} and {@code ./gridctl sync status}: the peers of
 * this node and their keys, and the state of each link, from the shell of the server, as the
 * database owner, through the same {@link SyncPeers} the server uses.
 */
@Command(name = "sync", description = "The three-level exchange (docs/SYNC.md): peers and their keys, the state of each link.",
        subcommands = {SyncCommand.Peer.class, SyncCommand.Status.class, SyncCommand.Resync.class})
public final class SyncCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("gridctl sync: peer add CODE [--url URL] | peer rotate CODE | peer retire CODE | peer list | status"
                + " | resync PEER --street CODE");
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
        return withPeersAndDatabase(config, (peers, db) -> work.apply(peers));
    }

    /** As {@link #withPeersOf}, with the node's database for JDBC work beside the peers. */
    static <T> T withPeersAndDatabase(GridConfig config, java.util.function.BiFunction<SyncPeers, Database, T> work) {
        try (Database db = Database.open(config)) {
            Vertx vertx = Vertx.vertx();
            Pool pool = PgBuilder.pool().connectingTo(CommandCenter.ownerOptions(db)).using(vertx).build();
            try {
                return work.apply(new SyncPeers(pool, pool, config.nodeCode(), config.dataDir()), db);
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
                return withPeersAndDatabase(config, (peers, db) -> {
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

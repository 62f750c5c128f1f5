package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.sync.ApplyRule;
import cn.haizhu.grid.data.sync.ApplyRule.Change;
import cn.haizhu.grid.data.sync.ApplyRule.Op;
import cn.haizhu.grid.data.sync.ApplyRule.Verdict;
import cn.haizhu.grid.data.sync.ApplyRule.Version;
import cn.haizhu.grid.data.sync.Ownership;
import cn.haizhu.grid.data.sync.PeerRelation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Applies a batch pulled from a peer (docs/SYNC.md, "Pull, apply, checkpoint"): every change by the
 * rules of {@link ApplyRule}, with the peer's version and origin, and the batch's cursor as the
 * peer's checkpoint, all in ONE transaction: a crash before the commit loses nothing (the batch is
 * pulled again), after it nothing is applied twice. The change log records the peer each change came
 * from ({@code gridctl.sync_peer}), so it is never sent back to it.
 *
 * <p>A person's ID number and phone arrive in clear text and are stored as this node stores them:
 * encrypted under its own key, hashed with its own hash key, masked.
 *
 * <p>The rows of work orders between levels ({@link Ownership#ORDER_TABLES}) go to {@link OrderApply},
 * in the same transaction.
 */
final class ChangeApply {
    private static final String APPLY_FROM = SqlFile.load(ChangeApply.class, "apply_from");
    private static final String CHECKPOINT = SqlFile.load(ChangeApply.class, "checkpoint");
    private static final String ADD_CONFLICT = SqlFile.load(ChangeApply.class, "add_conflict");
    private static final String LOCK_CHECKPOINT = SqlFile.load(ChangeApply.class, "lock_checkpoint");
    private static final String LAST_CHANGE = SqlFile.load(ChangeApply.class, "last_change");
    private static final String TOMBSTONE = SqlFile.load(ChangeApply.class, "tombstone");
    private static final HexFormat HEX = HexFormat.of();
    /** SQLSTATE foreign_key_violation. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final String node;
    private final PersonalDataCipher cipher;
    private final OrderApply orders;

    /** An apply of base records only: a batch with a work order's row is refused. */
    ChangeApply(String node, PersonalDataCipher cipher) {
        this(node, cipher, null);
    }

    ChangeApply(String node, PersonalDataCipher cipher, OrderApply orders) {
        this.node = node;
        this.cipher = cipher;
        this.orders = orders;
    }

    /** What a batch did here. */
    record Outcome(int applied, int skipped, int conflicts) {
    }

    /**
     * Applies {@code batch} (the feed's answer) from {@code peer} and checkpoints its {@code next}, in one
     * transaction. In the feed's order first; if that breaks a reference (a person whose house comes later
     * in the batch: the feed places a record where it first appeared, as it is now), once more in the order
     * of the references ({@link #byReferences}).
     */
    Outcome apply(Connection c, String peer, JsonObject batch, long lagChanges, double lagSeconds)
            throws SQLException, IOException, InterruptedException {
        List<JsonObject> changes = new ArrayList<>();
        batch.getJsonArray("changes").forEach(o -> changes.add((JsonObject) o));
        try {
            return apply(c, peer, changes, batch.getString("next"), lagChanges, lagSeconds);
        } catch (SQLException e) {
            if (!FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            return apply(c, peer, byReferences(changes), batch.getString("next"), lagChanges, lagSeconds);
        }
    }

    private Outcome apply(Connection c, String peer, List<JsonObject> changes, String next, long lagChanges, double lagSeconds)
            throws SQLException, IOException, InterruptedException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            fromPeer(c, peer);
            try (PreparedStatement ps = c.prepareStatement(LOCK_CHECKPOINT)) {
                ps.setString(1, peer);   // first, as a resync of this peer does: they take turns
                ps.executeQuery().close();
            }
            int applied = 0;
            int skipped = 0;
            int conflicts = 0;
            for (JsonObject change : changes) {
                switch (applyOne(c, peer, change)) {
                    case APPLY -> applied++;
                    case SKIP -> skipped++;
                    case CONFLICT -> conflicts++;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(CHECKPOINT)) {
                ps.setString(1, peer);
                ps.setString(2, cn.haizhu.grid.data.changelog.ChangeLogReader.Cursor.parse(next).toString());
                ps.setLong(3, applied);
                ps.setLong(4, lagChanges);
                ps.setDouble(5, lagSeconds);
                ps.executeUpdate();
            }
            c.commit();
            return new Outcome(applied, skipped, conflicts);
        } catch (SQLException | IOException | InterruptedException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /**
     * The changes in the order the references between records need: upserts first, a table before the
     * tables that refer to it (areas, grids, houses, persons, enterprises), then deletes, in the other order
     * (a person leaves its house before the house goes); within each, the feed's order.
     */
    static List<JsonObject> byReferences(List<JsonObject> changes) {
        List<JsonObject> out = new ArrayList<>(changes);
        out.sort(Comparator.comparingInt(w -> {
            int rank = Ownership.TABLES.indexOf(w.getString("table"));
            return "upsert".equals(w.getString("op")) ? rank : 2 * Ownership.TABLES.size() - rank;
        }));
        return out;
    }

    private static void fromPeer(Connection c, String peer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(APPLY_FROM)) {
            ps.setString(1, peer);
            ps.executeQuery().close();
        }
    }

    private Verdict applyOne(Connection c, String peer, JsonObject w) throws SQLException, IOException, InterruptedException {
        String table = w.getString("table");
        if (Ownership.ORDER_TABLES.contains(table)) {
            if (orders == null) {
                throw new IllegalStateException("a work order's row from " + peer + ", and no work orders to apply it to");
            }
            return orders.apply(c, table, w);
        }
        if (!Ownership.TABLES.contains(table)) {
            throw new IllegalArgumentException("a change of table '" + table + "', which the exchange does not carry");
        }
        UUID gid = UUID.fromString(w.getString("gid"));
        Op op = switch (w.getString("op")) {
            case "upsert" -> Op.UPSERT;
            case "delete" -> "left-scope".equals(w.getString("reason")) ? Op.LEFT_SCOPE : Op.DELETE;
            default -> throw new IllegalArgumentException("a change's op is upsert or delete, got " + w.getString("op"));
        };
        Version made = new Version(w.getLong("version"), w.getString("origin"));
        Version base = w.getLong("base") == null ? null : new Version(w.getLong("base"), w.getString("baseOrigin"));
        List<Version> later = new ArrayList<>();
        for (Object o : w.getJsonArray("laterBases", new JsonArray())) {
            JsonObject b = (JsonObject) o;
            later.add(new Version(b.getLong("version"), b.getString("origin")));
        }
        Change change = new Change(op, made, base, later, w.getBoolean("entered", false));
        JsonObject record = op == Op.UPSERT ? stored(table, w.getJsonObject("record"), made) : null;

        Version local = null;
        String localStreet = null;
        try (PreparedStatement ps = c.prepareStatement(SyncTables.local(table))) {
            ps.setObject(1, gid);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    local = new Version(rs.getLong(1), rs.getString(2));
                    localStreet = rs.getString(3);
                }
            }
        }
        if (local != null && movedOutOf(peer, localStreet)) {
            // A change from a street for a record this node has since moved out of that street (a move made here,
            // which is authoritative): the street made it before the move reached it, and has dropped its copy since.
            return Verdict.SKIP;
        }
        String street = localStreet != null ? localStreet
                : record == null ? null : table.equals("admin_area") && record.getString("street_code") == null
                        ? record.getString("code") : record.getString("street_code");
        if (street == null) {
            return Verdict.SKIP;   // a delete of a record never held here
        }
        String owner = Ownership.owner(table, street);
        Version deletedHere = ApplyRule.asksForOwnTombstone(node, owner, local, change) ? tombstoneHere(c, table, gid) : null;
        Verdict verdict = ApplyRule.decide(node, owner, local, deletedHere, change);
        switch (verdict) {
            case APPLY -> write(c, table, gid, op, record);
            case CONFLICT -> conflict(c, peer, table, gid, street, local != null ? local : deletedHere, local == null, change, record);
            case SKIP -> { }
        }
        return verdict;
    }

    /** The tombstone this node wrote when it deleted the record itself (not a sync apply's delete), if that is its last change here. */
    private static Version tombstoneHere(Connection c, String table, UUID gid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(LAST_CHANGE)) {
            ps.setString(1, table);
            ps.setObject(2, gid);
            ps.setObject(3, gid);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString("op").equals("D") && rs.getString("from_peer") == null
                        ? new Version(rs.getLong("version"), rs.getString("origin")) : null;
            }
        }
    }

    /** Whether {@code peer} is a node below this one whose scope no longer holds a record of {@code street} held here. */
    private boolean movedOutOf(String peer, String street) {
        return PeerRelation.between(node, peer).filter(r -> r.direction() == PeerRelation.Direction.DOWN)
                .map(r -> !r.scope().covers(street)).orElse(false);
    }

    private static void write(Connection c, String table, UUID gid, Op op, JsonObject record) throws SQLException {
        if (op == Op.UPSERT) {
            upsert(c, table, record);
            return;
        }
        if (op == Op.LEFT_SCOPE) {
            for (String sql : SyncTables.dependentsLeaving(table)) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setObject(1, gid);
                    ps.executeUpdate();
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(SyncTables.delete(table))) {
            ps.setObject(1, gid);
            ps.executeUpdate();
        }
    }

    static void upsert(Connection c, String table, JsonObject stored) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SyncTables.upsert(table))) {
            ps.setString(1, stored.encode());
            ps.executeUpdate();
        }
    }

    /**
     * Keeps the request for the owner's officers, and gives the owner's copy a version above both, as
     * this node's own write (not from the peer): it goes out to every peer, the requester included,
     * and replaces the request wherever it went. {@code local} is the owner's copy, or, when the owner
     * {@code deleted} it, its tombstone: then the delete goes out again.
     */
    private void conflict(Connection c, String peer, String table, UUID gid, String street, Version local, boolean deleted,
                          Change change, JsonObject record) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(ADD_CONFLICT)) {
            ps.setString(1, table);
            ps.setObject(2, gid);
            ps.setString(3, street.length() == 9 ? street : null);
            ps.setLong(4, local.version());
            ps.setString(5, local.origin());
            ps.setString(6, change.op() == Op.UPSERT ? "upsert" : "delete");
            ps.setLong(7, change.made().version());
            ps.setString(8, change.made().origin());
            ps.setObject(9, change.base() == null ? null : change.base().version(), java.sql.Types.BIGINT);
            ps.setString(10, change.base() == null ? null : change.base().origin());
            ps.setString(11, record == null ? null : record.encode());
            ps.setString(12, peer);
            if (ps.executeUpdate() == 0) {
                return;   // this very request was kept before
            }
        }
        if (deleted) {
            // the owner deleted the record: its delete again, above the request, made from it, goes to every peer
            // and takes the request's copy away wherever it went (a record it no longer holds cannot be deleted
            // again: the tombstone is written as the change capture writes one)
            try (PreparedStatement ps = c.prepareStatement(TOMBSTONE)) {
                ps.setString(1, table);
                ps.setObject(2, gid);
                ps.setLong(3, ApplyRule.reassertedVersion(local, change));
                ps.setLong(4, change.made().version());
                ps.setString(5, change.made().origin());
                ps.setString(6, street);
                ps.executeQuery().close();
            }
            return;
        }
        // two steps in this transaction, the content staying the owner's: first the request's version and
        // origin, then the owner's own version above both, as this node's write (not from the peer), so that
        // its base is the request: the requester sees its request answered (ApplyRule), every peer gets it
        reassert(c, table, gid, change.made().version(), change.made().origin());
        fromPeer(c, "");
        reassert(c, table, gid, ApplyRule.reassertedVersion(local, change), node);
        fromPeer(c, peer);
    }

    private static void reassert(Connection c, String table, UUID gid, long version, String origin) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SyncTables.reassert(table))) {
            ps.setLong(1, version);
            ps.setString(2, origin);
            ps.setObject(3, gid);
            ps.executeUpdate();
        }
    }

    /** The record as this node stores it: the wire's columns with the change's identity; a person's personal data sealed here. */
    JsonObject stored(String table, JsonObject wire, Version made) {
        if (wire == null) {
            throw new IllegalArgumentException("an upsert without its record");
        }
        JsonObject out = new JsonObject();
        for (String col : SyncTables.COLUMNS.get(table)) {
            out.put(col, wire.getValue(col));
        }
        out.put("gid", wire.getString("gid")).put("version", made.version()).put("origin", made.origin());
        if (table.equals("person")) {
            PersonSeal seal = PersonSeal.of(cipher, wire.getString("gid"), wire.getString("id_number"), wire.getString("phone"));
            out.put("id_number_enc", hex(seal.idNumberEnc())).put("id_number_hash", hex(seal.idNumberHash()))
                    .put("id_number_masked", seal.idNumberMasked())
                    .put("phone_enc", hex(seal.phoneEnc())).put("phone_hash", hex(seal.phoneHash()))
                    .put("phone_masked", seal.phoneMasked());
        }
        return out;
    }

    /** bytea as jsonb_populate_record reads it from a JSON string. */
    private static String hex(byte[] b) {
        return b == null ? null : "\\x" + HEX.formatHex(b);
    }
}

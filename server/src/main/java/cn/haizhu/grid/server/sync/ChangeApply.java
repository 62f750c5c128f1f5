package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.data.sync.ApplyRule;
import cn.haizhu.grid.data.sync.ApplyRule.Change;
import cn.haizhu.grid.data.sync.ApplyRule.Op;
import cn.haizhu.grid.data.sync.ApplyRule.Verdict;
import cn.haizhu.grid.data.sync.ApplyRule.Version;
import cn.haizhu.grid.data.sync.Ownership;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
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
    private static final HexFormat HEX = HexFormat.of();

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

    /** Applies {@code batch} (the feed's answer) from {@code peer} and checkpoints its {@code next}, in one transaction. */
    Outcome apply(Connection c, String peer, JsonObject batch, long lagChanges, double lagSeconds)
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
            JsonArray changes = batch.getJsonArray("changes");
            for (int i = 0; i < changes.size(); i++) {
                switch (applyOne(c, peer, changes.getJsonObject(i))) {
                    case APPLY -> applied++;
                    case SKIP -> skipped++;
                    case CONFLICT -> conflicts++;
                }
            }
            try (PreparedStatement ps = c.prepareStatement(CHECKPOINT)) {
                ps.setString(1, peer);
                ps.setString(2, cn.haizhu.grid.data.changelog.ChangeLogReader.Cursor.parse(batch.getString("next")).toString());
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
        Change change = new Change(op, made, base);
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
        String street = localStreet != null ? localStreet
                : record == null ? null : table.equals("admin_area") && record.getString("street_code") == null
                        ? record.getString("code") : record.getString("street_code");
        if (street == null) {
            return Verdict.SKIP;   // a delete of a record never held here
        }
        Verdict verdict = ApplyRule.decide(node, Ownership.owner(table, street), local, change);
        switch (verdict) {
            case APPLY -> write(c, table, gid, op, record);
            case CONFLICT -> conflict(c, peer, table, gid, street, local, change, record);
            case SKIP -> { }
        }
        return verdict;
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
     * and replaces the request wherever it went.
     */
    private void conflict(Connection c, String peer, String table, UUID gid, String street, Version local, Change change,
                          JsonObject record) throws SQLException {
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

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
    private static final String DEFER = SqlFile.load(ChangeApply.class, "defer");
    private static final String DEFERRED = SqlFile.load(ChangeApply.class, "deferred");
    private static final String DEFERRED_DROP = SqlFile.load(ChangeApply.class, "deferred_drop");
    private static final HexFormat HEX = HexFormat.of();
    /** SQLSTATE foreign_key_violation. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    /** SQLSTATE unique_violation: a natural key (a house's code) another gid still holds until a later delete. */
    private static final String UNIQUE_VIOLATION = "23505";

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
     * in the batch: the feed places a record where it first appeared, as it is now) or a natural key (a code
     * deleted and inserted again under another gid), once more in the order of the references
     * ({@link #byReferences}), each change on its own: one that still cannot apply is tried again once the
     * others have, and if it still cannot, it is settled ({@link #settle}): the owner answers it as a
     * conflict, a copy keeps it waiting ({@code sync_deferred}) instead of stopping the link.
     */
    Outcome apply(Connection c, String peer, JsonObject batch, long lagChanges, double lagSeconds)
            throws SQLException, IOException, InterruptedException {
        List<JsonObject> changes = new ArrayList<>();
        batch.getJsonArray("changes").forEach(o -> changes.add((JsonObject) o));
        try {
            return apply(c, peer, changes, false, batch.getString("next"), lagChanges, lagSeconds);
        } catch (SQLException e) {
            if (!onReference(e)) {
                throw e;
            }
            return apply(c, peer, byReferences(changes), true, batch.getString("next"), lagChanges, lagSeconds);
        }
    }

    private static boolean onReference(SQLException e) {
        return FOREIGN_KEY_VIOLATION.equals(e.getSQLState()) || UNIQUE_VIOLATION.equals(e.getSQLState());
    }

    private Outcome apply(Connection c, String peer, List<JsonObject> changes, boolean oneByOne, String next, long lagChanges,
                          double lagSeconds) throws SQLException, IOException, InterruptedException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            fromPeer(c, peer);
            try (PreparedStatement ps = c.prepareStatement(LOCK_CHECKPOINT)) {
                ps.setString(1, peer);   // first, as a resync of this peer does: they take turns
                ps.executeQuery().close();
            }
            List<JsonObject> waiting = deferred(c, peer);
            int[] counts = new int[3];
            List<JsonObject> held = new ArrayList<>();
            for (JsonObject change : changes) {
                if (!waiting.isEmpty()) {
                    dropDeferred(c, peer, change.getString("gid"));   // a later change of the record says more
                }
                if (!oneByOne) {
                    count(counts, applyOne(c, peer, change));
                } else if (!tryOne(c, peer, change, counts)) {
                    held.add(change);
                }
            }
            // what waited for a reference, from earlier batches, and what this batch held back: each again, as
            // long as one of them applies (the one it waited for may be among them)
            for (JsonObject w : waiting) {
                if (changes.stream().noneMatch(x -> w.getString("gid").equals(x.getString("gid")))) {
                    held.add(w);
                }
            }
            boolean progress = true;
            while (progress && !held.isEmpty()) {
                progress = false;
                for (java.util.Iterator<JsonObject> i = held.iterator(); i.hasNext(); ) {
                    JsonObject change = i.next();
                    if (tryOne(c, peer, change, counts)) {
                        i.remove();
                        dropDeferred(c, peer, change.getString("gid"));
                        progress = true;
                    }
                }
            }
            for (JsonObject change : held) {
                count(counts, settle(c, peer, change));
            }
            try (PreparedStatement ps = c.prepareStatement(CHECKPOINT)) {
                ps.setString(1, peer);
                ps.setString(2, cn.haizhu.grid.data.changelog.ChangeLogReader.Cursor.parse(next).toString());
                ps.setLong(3, counts[0]);
                ps.setLong(4, lagChanges);
                ps.setDouble(5, lagSeconds);
                ps.executeUpdate();
            }
            c.commit();
            return new Outcome(counts[0], counts[1], counts[2]);
        } catch (SQLException | IOException | InterruptedException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static void count(int[] counts, Verdict v) {
        counts[switch (v) {
            case APPLY -> 0;
            case SKIP -> 1;
            case CONFLICT -> 2;
        }]++;
    }

    /** One change under a savepoint: false (and nothing written) when a reference or a natural key holds it back. */
    private boolean tryOne(Connection c, String peer, JsonObject change, int[] counts)
            throws SQLException, IOException, InterruptedException {
        java.sql.Savepoint sp = c.setSavepoint();
        try {
            count(counts, applyOne(c, peer, change));
            c.releaseSavepoint(sp);
            return true;
        } catch (SQLException e) {
            if (!onReference(e)) {
                throw e;
            }
            c.rollback(sp);
            change.put("failure", e.getMessage());
            return false;
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

    /** A change of a base record as it arrived, read from the wire. */
    private record Incoming(String table, UUID gid, Change change, JsonObject record) {
        Op op() {
            return change.op();
        }
    }

    private Incoming incoming(JsonObject w) {
        String table = w.getString("table");
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
        return new Incoming(table, gid, change, op == Op.UPSERT ? stored(table, w.getJsonObject("record"), made) : null);
    }

    /** The record held here: its version and street, or null. */
    private record Held(Version version, String street) {
    }

    private static Held held(Connection c, Incoming in) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SyncTables.local(in.table()))) {
            ps.setObject(1, in.gid());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Held(new Version(rs.getLong(1), rs.getString(2)), rs.getString(3)) : null;
            }
        }
    }

    /** The street a change is decided in: the record's here, else the one it names (an area without one: its own code). */
    private static String streetOf(Incoming in, Held local) {
        JsonObject record = in.record();
        return local != null ? local.street() : record == null ? null
                : in.table().equals("admin_area") && record.getString("street_code") == null
                        ? record.getString("code") : record.getString("street_code");
    }

    private Verdict applyOne(Connection c, String peer, JsonObject w) throws SQLException, IOException, InterruptedException {
        String table = w.getString("table");
        if (Ownership.ORDER_TABLES.contains(table)) {
            if (orders == null) {
                throw new IllegalStateException("a work order's row from " + peer + ", and no work orders to apply it to");
            }
            return orders.apply(c, table, w);
        }
        Incoming in = incoming(w);
        Held held = held(c, in);
        Version local = held == null ? null : held.version();
        if (local != null && movedOutOf(peer, held.street())) {
            // A change from a street for a record this node has since moved out of that street (a move made here,
            // which is authoritative): the street made it before the move reached it, and has dropped its copy since.
            return Verdict.SKIP;
        }
        String street = streetOf(in, held);
        if (street == null) {
            return Verdict.SKIP;   // a delete of a record never held here
        }
        String owner = Ownership.owner(table, street);
        Change change = in.change();
        Version deletedHere = ApplyRule.asksForOwnTombstone(node, owner, local, change) ? tombstoneHere(c, table, in.gid()) : null;
        Verdict verdict = ApplyRule.decide(node, owner, local, deletedHere, change);
        switch (verdict) {
            case APPLY -> write(c, table, in.gid(), in.op(), in.record());
            case CONFLICT -> conflict(c, peer, table, in.gid(), street, local != null ? local : deletedHere, local == null, change,
                    in.record());
            case SKIP -> { }
        }
        return verdict;
    }

    /**
     * A change that cannot apply because of a reference (or a natural key), with every other change of its batch
     * and every change that waited applied (docs/SYNC.md, "Pull, apply, checkpoint"). At the owner, a change made
     * elsewhere is answered now, as a conflict kept for its officers ({@link ApplyRule#onReference}): an upsert
     * naming what the owner no longer holds (a resident moved into a house it deleted) gets the owner's version
     * again, or, where the owner holds none, its tombstone above the request; a delete that would leave records
     * here without what they refer to (a house whose residents the requester did not know) gets the owner's copy
     * again. Anything else (a copy, which must take the owner's word) waits in {@code sync_deferred} for the
     * change it needs, which the owner's answers bring, and is tried again after every batch from that peer.
     */
    private Verdict settle(Connection c, String peer, JsonObject w) throws SQLException {
        String failure = (String) w.remove("failure");
        Incoming in = incoming(w);
        Held held = held(c, in);
        String street = streetOf(in, held);
        if (street != null && (held == null || !movedOutOf(peer, held.street()))) {
            String owner = Ownership.owner(in.table(), street);
            Version local = held == null ? null : held.version();
            if (ApplyRule.onReference(node, owner, local, in.change()) == Verdict.CONFLICT) {
                Version owners = local != null ? local : new Version(0, node);   // none here: an insert or an arrival
                conflict(c, peer, in.table(), in.gid(), street, owners, local == null, in.change(), in.record());
                dropDeferred(c, peer, in.gid().toString());
                return Verdict.CONFLICT;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(DEFER)) {
            ps.setString(1, peer);
            ps.setString(2, in.gid().toString());
            ps.setString(3, in.table());
            ps.setString(4, w.encode());
            ps.setString(5, failure == null ? "held back by a reference" : failure);
            ps.executeUpdate();
        }
        return Verdict.SKIP;
    }

    /** The changes from {@code peer} waiting for a reference (usually none: one cheap read per batch). */
    private static List<JsonObject> deferred(Connection c, String peer) throws SQLException {
        List<JsonObject> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(DEFERRED)) {
            ps.setString(1, peer);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new JsonObject(rs.getString(1)));
                }
            }
        }
        return out;
    }

    private static void dropDeferred(Connection c, String peer, String gid) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(DEFERRED_DROP)) {
            ps.setString(1, gid);
            ps.setString(2, peer);
            ps.executeUpdate();
        }
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
            if (out.getValue("id_type") == null) {
                // a peer of the release before the document types (V40) sends none: every number it holds is a 居民身份证
                out.put("id_type", "resident_id");
            }
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

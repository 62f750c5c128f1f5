package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.sync.Ownership;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The base records on the wire, and the one place where the SQL that reads and writes them is
 * built, from fixed column lists (the tables' columns are the same at every node: one schema).
 *
 * <p>A record travels as a JSON object of its own columns: a geometry as hex EWKB (lossless; PostGIS
 * reads it back as it is), generated columns, local ids and {@code updated_at} left out. A person's
 * ID number and phone travel in clear text ({@code id_number}, {@code phone}) between authenticated
 * nodes over TLS; each node stores them encrypted under its own key ({@link ChangeApply}).
 */
final class SyncTables {
    /** The wire columns of each table, in table order; {@code geom} is a geometry. */
    static final Map<String, List<String>> COLUMNS = Map.of(
            "admin_area", List.of("code", "level", "name", "parent_code", "street_code", "geom"),
            "grid", List.of("code", "name", "community_code", "street_code", "geom"),
            "house", List.of("code", "address", "building", "unit", "floor", "room", "use", "geom", "grid_code",
                    "community_code", "street_code"),
            "person", List.of("name", "gender", "birth_date", "household_type", "tags", "house_code", "grid_code",
                    "community_code", "street_code"),
            "enterprise", List.of("credit_code", "name", "industry", "legal_person", "address", "geom", "grid_code",
                    "community_code", "street_code"));
    /** Every record's identity and version. */
    static final List<String> IDENTITY = List.of("gid", "version", "origin");
    /** What a person stores instead of its clear ID number and phone. */
    static final List<String> PERSON_SEALED = List.of("id_number_enc", "id_number_hash", "id_number_masked", "phone_enc",
            "phone_hash", "phone_masked");

    private SyncTables() {
    }

    static void check(String table) {
        if (!COLUMNS.containsKey(table)) {
            throw new IllegalArgumentException("not a table of the exchange: " + table);
        }
    }

    /**
     * The street a record lies in, as the scope sees it: an area without a street (the district's
     * outline) by its own code.
     */
    static String streetExpression(String table) {
        check(table);
        return table.equals("admin_area") ? "coalesce(t.street_code, t.code)" : "t.street_code";
    }

    /**
     * The record of a row {@code t} of {@code table} as the wire carries it, built by {@code builder}
     * ({@code jsonb_build_object} or {@code json_build_object}): its columns, gid, version and origin,
     * and the {@code extra} columns named.
     */
    private static String wire(String table, List<String> extra, String builder) {
        check(table);
        String fields = java.util.stream.Stream.of(COLUMNS.get(table), IDENTITY, extra).flatMap(List::stream)
                .map(c -> "'" + c + "', " + (c.equals("geom") ? "ST_AsHexEWKB(t.geom)" : "t." + c))
                .collect(Collectors.joining(", "));
        return builder + "(" + fields + ")";
    }

    /** The records of one table with the gids $1 (uuid[]), as {@code record} (json), {@code gid} and {@code street}; persons with their sealed values. */
    static String read(String table) {
        String sealed = table.equals("person") ? ", t.id_number_enc, t.phone_enc" : "";
        return "SELECT " + wire(table, List.of(), "jsonb_build_object") + "::text AS record, t.gid, " + streetExpression(table) + " AS street"
                + sealed + " FROM " + table + " t WHERE t.gid = ANY ($1::uuid[])";
    }

    /**
     * Every record of one table as {@code gid}, {@code version}, {@code origin}, {@code street} and
     * {@code md5}, the md5 of its content as the wire carries it (docs/SYNC.md, "Verify"): the same
     * at every node that holds the same record, whatever each stores of its own (local ids,
     * {@code updated_at}, generated columns, its own encryption). A person's clear ID number and phone
     * are not in it: no node can read them in SQL, and a hash of so few digits would give them away;
     * their masked forms are.
     *
     * <p>As {@code json}, not {@code jsonb}: the same text at every node all the same (keys in column
     * order, a date in ISO 8601 whatever the session's DateStyle; no column of the wire is a float or
     * a timestamp, whose text would depend on the session), at less than half the cost: jsonb sorts
     * and parses what json only writes, and the digests of a district go through 1.58 million persons.
     */
    static String digestRows(String table) {
        List<String> masked = table.equals("person") ? List.of("id_number_masked", "phone_masked") : List.of();
        return "SELECT t.gid, t.version, t.origin, " + streetExpression(table) + " AS street, md5("
                + wire(table, masked, "json_build_object") + "::text) AS md5 FROM " + table + " t";
    }

    /** The version, origin and street of the record with gid ? (locked for the apply), for JDBC. */
    static String local(String table) {
        check(table);
        return "SELECT t.version, t.origin, " + streetExpression(table) + " AS street FROM " + table
                + " t WHERE t.gid = ? FOR UPDATE";
    }

    /** Inserts or replaces the record given as one JSON parameter (stored columns, gid, version, origin), for JDBC. */
    static String upsert(String table) {
        check(table);
        List<String> cols = new java.util.ArrayList<>(COLUMNS.get(table));
        if (table.equals("person")) {
            cols.addAll(PERSON_SEALED);
        }
        cols.addAll(IDENTITY);
        String list = String.join(", ", cols);
        String set = cols.stream().filter(c -> !c.equals("gid")).map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " (" + list + ") SELECT " + list + " FROM jsonb_populate_record(NULL::" + table
                + ", ?::jsonb) ON CONFLICT (gid) DO UPDATE SET " + set;
    }

    /** Deletes the record with gid ?, for JDBC. */
    static String delete(String table) {
        check(table);
        return "DELETE FROM " + table + " WHERE gid = ?";
    }

    /** A new version and origin for the record with gid ? (the owner re-asserting its copy after a conflict), for JDBC. */
    static String reassert(String table) {
        check(table);
        return "UPDATE " + table + " SET version = ?, origin = ? WHERE gid = ?";
    }

    /**
     * What leaves with a record that leaves a scope: the persons of a house, and everything in a grid
     * (they lie in it, so they left too; the feed sends their own exits, which then find nothing).
     */
    static List<String> dependentsLeaving(String table) {
        return switch (table) {
            case "house" -> List.of("DELETE FROM person WHERE house_code = (SELECT code FROM house WHERE gid = ?)");
            case "grid" -> List.of(
                    "DELETE FROM person WHERE grid_code = (SELECT code FROM grid WHERE gid = ?)",
                    "DELETE FROM house WHERE grid_code = (SELECT code FROM grid WHERE gid = ?)",
                    "DELETE FROM enterprise WHERE grid_code = (SELECT code FROM grid WHERE gid = ?)");
            default -> List.of();
        };
    }

    // --- snapshots (docs/SYNC.md, "Snapshots"): COPY text, the wire's columns in this order

    /** The columns of a table's section of a snapshot, as sent: the wire columns, the identity, a person's clear values. */
    static List<String> snapshotSent(String table) {
        check(table);
        List<String> cols = new java.util.ArrayList<>(COLUMNS.get(table));
        cols.addAll(IDENTITY);
        if (table.equals("person")) {
            cols.addAll(List.of("id_number", "phone"));
        }
        return cols;
    }

    /** The columns a snapshot's section is stored into here: the wire columns, the identity, a person's sealed values. */
    static List<String> snapshotStored(String table) {
        check(table);
        List<String> cols = new java.util.ArrayList<>(COLUMNS.get(table));
        cols.addAll(IDENTITY);
        if (table.equals("person")) {
            cols.addAll(PERSON_SEALED);
        }
        return cols;
    }

    /**
     * The COPY that sends a table's section: its rows in the transaction's scope (row-level security)
     * and in the street asked for or the caller's scope ({@code gridctl.snapshot_street}: the rule of
     * {@code SyncScope.covers}, so the district's outline lies in every street of it, and a city's other
     * districts in none), a geometry as hex EWKB (its text form), a person's
     * sealed ID number and phone as plain hex for the sender to open.
     */
    static String snapshotCopyOut(String table) {
        check(table);
        String street = streetExpression(table);
        String cols = COLUMNS.get(table).stream().map(c -> "t." + c).collect(Collectors.joining(", "))
                + ", t.gid, t.version, t.origin"
                + (table.equals("person") ? ", encode(t.id_number_enc, 'hex'), encode(t.phone_enc, 'hex')" : "");
        return "COPY (SELECT " + cols + " FROM " + table + " t WHERE starts_with(" + street + ", current_setting('gridctl.snapshot_street'))"
                + " OR starts_with(current_setting('gridctl.snapshot_street'), " + street + ")) TO STDOUT";
    }

    /** COPY text into {@code target} (the table, or its staging table) with the stored columns, for pgjdbc's CopyManager. */
    static String snapshotCopyIn(String table, String target) {
        return "COPY " + target + " (" + String.join(", ", snapshotStored(table)) + ") FROM STDIN";
    }

    /** The staging table of a section: the stored columns with the table's own types, dropped at commit. */
    static String snapshotStage(String table) {
        return "CREATE TEMP TABLE " + stageOf(table) + " ON COMMIT DROP AS SELECT " + String.join(", ", snapshotStored(table))
                + " FROM " + table + " WITH NO DATA";
    }

    static String stageOf(String table) {
        check(table);
        return "sync_snapshot_" + table;
    }

    /** Whether this node ($1, its code) owns the record {@code t} (Ownership: a street its records, the district its areas and grids). */
    private static String ownedHere(String table) {
        return STREET_OWNED.contains(table) ? "t.street_code = $1" : "left(" + streetExpression(table) + ", 6) = $1";
    }

    private static final java.util.Set<String> STREET_OWNED = java.util.Set.of("house", "person", "enterprise");

    /**
     * Merges a staged section into the table (JDBC, ? = this node's code): every record not held here is
     * inserted; a copy (a record this node does not own) takes the snapshot's version when it is higher,
     * or when {@link #snapshotMarkDamaged} marked it. The owner's records keep the owner's version: a
     * snapshot never overwrites an owner. Answers how many rows it wrote.
     */
    static String snapshotMerge(String table) {
        List<String> cols = snapshotStored(table);
        String set = cols.stream().filter(c -> !c.equals("gid")).map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
        return "INSERT INTO " + table + " AS t (" + String.join(", ", cols) + ") SELECT " + String.join(", ", cols) + " FROM "
                + stageOf(table) + " ON CONFLICT (gid) DO UPDATE SET " + set + " WHERE NOT (" + ownedHere(table).replace("$1", "?")
                + ") AND (EXCLUDED.version > t.version OR t.origin = '')";
    }

    /**
     * A resync's first step (JDBC, ? = this node's code, twice): the copies whose content differs from the
     * snapshot's at the same version (damaged, or the same version made at two places) get an empty origin,
     * so that the merge replaces them. Two steps because the version bump would count a rewrite at the same
     * version and origin as a new edit here; a changed origin it keeps as written (the conflict's
     * re-assertion takes the same two steps). Not one made here: that is an edit on its way to the owner.
     */
    static String snapshotMarkDamaged(String table) {
        return "UPDATE " + table + " t SET origin = '' FROM " + stageOf(table) + " s WHERE s.gid = t.gid AND s.version = t.version"
                + " AND NOT (" + ownedHere(table).replace("$1", "?") + ") AND t.origin <> ? AND ("
                + COLUMNS.get(table).stream().map(c -> "t." + c).collect(Collectors.joining(", ")) + ", t.origin) IS DISTINCT FROM ("
                + COLUMNS.get(table).stream().map(c -> "s." + c).collect(Collectors.joining(", ")) + ", s.origin)";
    }

    /**
     * A resync's deletes: the copies in the street rebuilt (? = the street, twice) that the snapshot does not
     * hold (deleted at the peer, or moved out of the street), this node's own records left alone (? = its code).
     */
    static String snapshotDeleteMissing(String table) {
        String street = streetExpression(table);
        return "DELETE FROM " + table + " t WHERE (starts_with(" + street + ", ?) OR starts_with(?, " + street + "))"
                + " AND NOT (" + ownedHere(table).replace("$1", "?") + ") AND NOT EXISTS (SELECT 1 FROM " + stageOf(table)
                + " s WHERE s.gid = t.gid)";
    }

    static {
        if (!COLUMNS.keySet().equals(java.util.Set.copyOf(Ownership.TABLES))) {
            throw new IllegalStateException("SyncTables and Ownership.TABLES disagree");
        }
    }
}

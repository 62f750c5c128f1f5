package cn.haizhu.grid.data.sync;

import java.util.Set;

/**
 * Who owns a base record (docs/SYNC.md, "What flows, and who owns it"): a street its houses,
 * persons and enterprises; the district its grids and its area tree. The owner decides; every other
 * node holds a copy.
 */
public final class Ownership {
    /** The base records the feed carries, in the order a node first needs them (a person needs its house). */
    public static final java.util.List<String> TABLES = java.util.List.of("admin_area", "grid", "house", "person", "enterprise");
    /**
     * The rows of work orders between levels (docs/SYNC.md, "Work orders between levels"): cases and their
     * history, carried by the same feed but not by street: a peer receives the cases it sent to this node
     * or that this node sent to it, and their history rows it did not make. The originating level owns the
     * order, its deadline and its evaluation; the handling level owns the handling. Each side writes only
     * its own steps, so these rows are never edit requests and never conflicts.
     */
    public static final java.util.List<String> ORDER_TABLES = java.util.List.of("civic_case", "case_event");
    private static final Set<String> STREET_OWNED = Set.of("house", "person", "enterprise");

    private Ownership() {
    }

    /**
     * The code of the node that owns a record of {@code table} lying in {@code streetCode} (for an
     * area: its street, or its own code for the district's outline).
     */
    public static String owner(String table, String streetCode) {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("not a base record the exchange carries: " + table);
        }
        if (streetCode == null || streetCode.length() < 6) {
            throw new IllegalArgumentException("a " + table + " record without a street has no owner");
        }
        return STREET_OWNED.contains(table) ? streetCode : streetCode.substring(0, 6);
    }
}

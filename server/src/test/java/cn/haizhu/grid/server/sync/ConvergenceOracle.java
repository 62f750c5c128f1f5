package cn.haizhu.grid.server.sync;

import cn.haizhu.grid.data.sync.Ownership;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the nodes hold, compared the way {@code sync verify} is meant to (docs/SYNC.md, "Operations")
 * but written here on its own, so that it does not share a mistake with the code it checks: per
 * table and per street, a count and an order-independent digest of (gid, version, origin, content),
 * the content being the record as the wire carries it ({@link SyncTables#COLUMNS}, a geometry as hex
 * EWKB, a person without its sealed columns, which every node seals under its own key). Where two
 * digests differ, the records that differ are listed.
 */
final class ConvergenceOracle {
    private ConvergenceOracle() {
    }

    /** The record's content as text (jsonb: keys in one order, so equal content is equal text). */
    static String content(String table) {
        return "jsonb_build_object(" + Stream.concat(SyncTables.COLUMNS.get(table).stream(), SyncTables.IDENTITY.stream())
                .map(c -> "'" + c + "', " + (c.equals("geom") ? "ST_AsHexEWKB(t.geom)" : "t." + c))
                .collect(Collectors.joining(", ")) + ")::text";
    }

    /** Per street (an area without one: its own code, as the scope sees it): "count:digest". */
    static Map<String, String> digests(Connection c, String table) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        for (String[] r : NodeDatabase.rows(c, "SELECT street, count(*) || ':' || md5(string_agg(digest, '' ORDER BY gid))"
                + " FROM (SELECT " + SyncTables.streetExpression(table) + " AS street, t.gid, md5(" + content(table) + ") AS digest"
                + " FROM " + table + " t) x GROUP BY street")) {
            out.put(r[0], r[1]);
        }
        return out;
    }

    /** The records of one street: gid → "version/origin/digest of the content". */
    static Map<String, String> records(Connection c, String table, String street) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        for (String[] r : NodeDatabase.rows(c, "SELECT t.gid::text, t.version || '/' || t.origin || '/' || md5(" + content(table) + ")"
                + " FROM " + table + " t WHERE " + SyncTables.streetExpression(table) + " = ?", street)) {
            out.put(r[0], r[1]);
        }
        return out;
    }

    /** One node's digests of every table: table → street → "count:digest". */
    static Map<String, Map<String, String>> digests(Connection c) throws SQLException {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (String table : Ownership.TABLES) {
            out.put(table, digests(c, table));
        }
        return out;
    }

    /**
     * Where a copy differs from what its source holds of the streets {@code streets} (null: every
     * street the source holds): one line per table and street, with the records that differ, empty
     * when they agree.
     */
    static List<String> differences(String sourceName, Connection source, Map<String, Map<String, String>> sourceDigests,
                                    String copyName, Connection copy, Map<String, Map<String, String>> copyDigests,
                                    Set<String> streets) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String table : Ownership.TABLES) {
            Set<String> groups = new TreeSet<>(streets != null ? streets : sourceDigests.get(table).keySet());
            for (String street : groups) {
                String a = sourceDigests.get(table).get(street);
                String b = copyDigests.get(table).get(street);
                if (a == null && b == null || a != null && a.equals(b)) {
                    continue;
                }
                out.add(table + " of " + street + ": " + sourceName + " " + a + ", " + copyName + " " + b
                        + records(source, copy, table, street, sourceName, copyName));
            }
        }
        return out;
    }

    private static String records(Connection source, Connection copy, String table, String street, String sourceName,
                                  String copyName) throws SQLException {
        Map<String, String> a = records(source, table, street);
        Map<String, String> b = records(copy, table, street);
        StringBuilder out = new StringBuilder();
        int shown = 0;
        Set<String> gids = new TreeSet<>(a.keySet());
        gids.addAll(b.keySet());
        int differing = 0;
        for (String gid : gids) {
            if (!java.util.Objects.equals(a.get(gid), b.get(gid))) {
                differing++;
                if (shown++ < 8) {
                    out.append("\n    ").append(gid).append(": ").append(sourceName).append(' ').append(a.get(gid))
                            .append(", ").append(copyName).append(' ').append(b.get(gid));
                }
            }
        }
        return " (" + differing + " records differ)" + out;
    }
}

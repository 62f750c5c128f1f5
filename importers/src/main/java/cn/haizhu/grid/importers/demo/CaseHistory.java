package cn.haizhu.grid.importers.demo;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.cases.CaseCategory;
import cn.haizhu.grid.data.cases.CategoryCatalogue;
import cn.haizhu.grid.data.cases.Urgency;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Three years of closed-loop history for the KPI panels and their benchmark: about a million
 * 12345 work orders and patrol reports spread evenly up to today, at real houses of the demo
 * district, with the mix a district sees (about 6% not filed, 1% suspended, 6% reworked, 4%
 * extended, 88% of closures on time; the last ten days still open). Only the case rows and
 * their KPI facts are made, not each case's event history: the KPIs read the facts the workflow
 * keeps on the case. Deterministic for a seed; made in PostgreSQL in one statement.
 *
 * <p>Historical cases are numbered {@code HZ<date>H<serial>}, apart from live ones
 * ({@code HZ<date><serial>}), and can be removed again with {@link #remove}.
 */
public final class CaseHistory {
    private static final String HISTORY_COUNT = SqlFile.load(CaseHistory.class, "history_count");
    private static final String HISTORY_REMOVE = SqlFile.load(CaseHistory.class, "history_remove");
    private static final String SEED = SqlFile.load(CaseHistory.class, "seed");
    private static final String PLACE_COUNT = SqlFile.load(CaseHistory.class, "history_place_count");
    private static final String ANALYZE_CASES = SqlFile.load(CaseHistory.class, "analyze_cases");
    private static final String FOLD_KPI_COUNTS = SqlFile.load(CaseHistory.class, "fold_kpi_counts");
    private static final String PLACES = SqlFile.load(CaseHistory.class, "history_places");

    // One row per case from a handful of random draws; every date follows from created_at.
    private static final String CASES = SqlFile.load(CaseHistory.class, "history_cases");

    private CaseHistory() {
    }

    /** Cases already made by this generator. */
    public static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(HISTORY_COUNT)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Makes {@code n} historical cases in one transaction; returns how many were made. */
    public static long make(Database db, long n, long seed) throws SQLException {
        List<CaseCategory> cats = CategoryCatalogue.defaults().all();
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL work_mem = '256MB'");
            }
            try (PreparedStatement ps = c.prepareStatement(SEED)) {
                ps.setDouble(1, (seed % 2_000_000) / 1_000_000.0 - 1.0);
                ps.execute();
            }
            try (Statement s = c.createStatement()) {
                s.execute(PLACES);
            }
            long places;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(PLACE_COUNT)) {
                rs.next();
                places = rs.getLong(1);
            }
            long made;
            try (PreparedStatement ps = c.prepareStatement(CASES)) {
                int i = 1;
                ps.setString(i++, Long.toString(seed));
                ps.setLong(i++, n);
                ps.setInt(i++, cats.size());
                ps.setLong(i++, places);
                ps.setLong(i++, n);
                ps.setArray(i++, longs(c, cats.stream().map(k -> k.limit(Urgency.URGENT).toSeconds()).toList()));
                ps.setArray(i++, longs(c, cats.stream().map(k -> k.limit(Urgency.NORMAL).toSeconds()).toList()));
                ps.setArray(i++, c.createArrayOf("text", cats.stream().map(CaseCategory::code).toArray()));
                ps.setArray(i++, c.createArrayOf("text", cats.stream().map(k -> k.department().code()).toArray()));
                ps.setArray(i++, c.createArrayOf("text", cats.stream().map(k -> k.nameZh()).toArray()));
                made = ps.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute(ANALYZE_CASES);
            }
            c.commit();
            foldKpiCounts(c);
            c.commit();
            return made;
        }
    }

    /** Removes the cases this generator made. */
    public static long remove(Database db) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            long removed = s.executeUpdate(HISTORY_REMOVE);
            foldKpiCounts(c);
            return removed;
        }
    }

    /**
     * Folds the counts the case triggers appended for the history into the kept monthly KPI counts
     * (V19) now, rather than leaving hundreds of thousands of appended rows for the server's next fold.
     */
    private static void foldKpiCounts(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(FOLD_KPI_COUNTS);
        }
    }

    private static Array longs(Connection c, List<Long> values) throws SQLException {
        return c.createArrayOf("bigint", values.toArray());
    }
}

package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.importers.source.csv.CsvReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shape every record dataset (houses, persons, enterprises) loads in: stream the CSV, check
 * and convert each row in Java, COPY the good rows into a temporary staging table, then merge the
 * staging table into the target with one set-based upsert, all in one transaction.
 *
 * <p>When the target is empty (a first load), its secondary indexes are dropped for the load and
 * rebuilt after it: building an index once is 2-3x cheaper than maintaining it row by row.
 */
public abstract class CsvDatasetLoader {
    private static final Logger LOG = LoggerFactory.getLogger(CsvDatasetLoader.class);

    /** A row the loader refuses, with the reason a data officer can act on. */
    public static final class RejectedRow extends Exception {
        public RejectedRow(String reason) {
            super(reason, null, false, false);
        }
    }

    protected abstract String dataset();

    protected abstract String targetTable();

    /** The columns the file must have. */
    protected abstract List<String> requiredColumns();

    /** {@code CREATE TEMP TABLE stage (…) ON COMMIT DROP}. */
    protected abstract String stageTableSql();

    /**
     * Statements run on the filled staging table before the merge (a spatial index so that
     * point-in-polygon runs grid by grid, statistics for the planner).
     */
    protected List<String> prepareStageSql() {
        return List.of();
    }

    /** {@code COPY stage (…) FROM STDIN}. */
    protected abstract String copySql();

    /** Checks one row and writes it to the COPY stream, or throws {@link RejectedRow}. */
    protected abstract void stage(Row row, CopyWriter out) throws RejectedRow;

    /**
     * The staged rows ready to insert, one per key, with {@code grid_code} (null when the row
     * cannot be placed: outside every grid, or an unknown house).
     */
    protected abstract String placedSql();

    /** The target's columns that {@link #placedSql()} provides, in insert order. */
    protected abstract String insertColumns();

    /** {@code ON CONFLICT (key) DO UPDATE SET … WHERE (…) IS DISTINCT FROM (…)}; target alias {@code t}. */
    protected abstract String conflictClause();

    /** One statement: insert (or upsert) the placed rows; answers (written, could not be placed). */
    final String mergeSql(boolean upsert) {
        return "WITH placed AS MATERIALIZED (" + placedSql() + "),\n"
                + "merged AS (INSERT INTO " + targetTable() + " AS t (" + insertColumns() + ")\n"
                + "  SELECT " + insertColumns() + " FROM placed WHERE grid_code IS NOT NULL\n"
                + (upsert ? "  " + conflictClause() + "\n" : "")
                + "  RETURNING 1)\n"
                + "SELECT (SELECT count(*) FROM merged), (SELECT count(*) FROM placed WHERE grid_code IS NULL)";
    }

    /** Access to one CSV record by column name. */
    public static final class Row {
        private final Map<String, Integer> index;
        private List<String> values;

        Row(Map<String, Integer> index) {
            this.index = index;
        }

        public String get(String column) {
            Integer i = index.get(column);
            if (i == null || i >= values.size()) {
                return null;
            }
            String v = values.get(i).trim();
            return v.isEmpty() ? null : v;
        }

        public String required(String column) throws RejectedRow {
            String v = get(column);
            if (v == null) {
                throw new RejectedRow(column + " is empty");
            }
            return v;
        }

        public double coordinate(String column, double min, double max) throws RejectedRow {
            String v = required(column);
            try {
                double d = Double.parseDouble(v);
                if (!(d >= min && d <= max)) {
                    throw new RejectedRow(column + " " + v + " is outside " + min + ".." + max);
                }
                return d;
            } catch (NumberFormatException e) {
                throw new RejectedRow(column + " '" + v + "' is not a number");
            }
        }
    }

    public LoadReport load(Connection c, Path csv) throws IOException, SQLException {
        long started = System.nanoTime();
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        long read = 0;
        long rejected = 0;
        List<String> firstReasons = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            boolean firstLoad = isEmpty(s);
            BulkLoadWindow window = firstLoad ? BulkLoadWindow.open(c, targetTable()) : null;
            s.execute(stageTableSql());
            long tStage = System.nanoTime();
            try (CsvReader reader = CsvReader.open(csv, StandardCharsets.UTF_8);
                 CopyWriter out = new CopyWriter(c, copySql())) {
                Map<String, Integer> index = new HashMap<>();
                for (int i = 0; i < reader.header().size(); i++) {
                    index.put(reader.header().get(i).trim(), i);
                }
                List<String> missing = requiredColumns().stream().filter(col -> !index.containsKey(col)).toList();
                if (!missing.isEmpty()) {
                    throw new IOException(csv.getFileName() + ": required columns missing: " + missing
                            + " (the header has " + reader.header() + ")");
                }
                Row row = new Row(index);
                List<String> values;
                while ((values = reader.next()) != null) {
                    read++;
                    row.values = values;
                    try {
                        stage(row, out);
                        out.endRow();
                    } catch (RejectedRow r) {
                        rejected++;
                        if (firstReasons.size() < 10) {
                            firstReasons.add("row " + reader.rowNumber() + ": " + r.getMessage());
                        }
                    }
                }
                out.finish();
            }
            for (String sql : prepareStageSql()) {
                s.execute(sql);
            }
            long tMerge = System.nanoTime();
            long written;
            try (ResultSet rs = s.executeQuery(mergeSql(!firstLoad))) {
                rs.next();
                written = rs.getLong(1);
                rejected += rs.getLong(2);
            }
            long tIndex = System.nanoTime();
            if (window != null) {
                window.close(c);
            }
            s.execute("ANALYZE " + targetTable());
            c.commit();
            LOG.info("{}: stage {} ms, merge {} ms, index {} ms{}", dataset(), (tMerge - tStage) / 1_000_000,
                    (tIndex - tMerge) / 1_000_000, (System.nanoTime() - tIndex) / 1_000_000,
                    firstLoad ? " (first load: indexes and constraints built after)" : "");
            if (!firstReasons.isEmpty()) {
                LOG.warn("{}: {} rows rejected; first: {}", dataset(), rejected, firstReasons);
            }
            return new LoadReport(dataset(), read, written, read - rejected - written, rejected,
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException | SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private boolean isEmpty(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + targetTable() + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}

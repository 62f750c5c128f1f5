package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.importers.crs.SourceCrs;
import cn.haizhu.grid.importers.source.RecordSource;
import cn.haizhu.grid.importers.source.SourceRecord;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shape every dataset (grids, houses, persons, enterprises) loads in: stream the source,
 * check and convert each row in Java, binary-COPY the good rows into an UNLOGGED staging table
 * made in the job's transaction, report in-file duplicates and rows that cannot be placed
 * (outside every grid, unknown house), then merge set-based — all inside the caller's one
 * transaction.
 *
 * <p>When the target is empty (a first load), its indexes and constraints are dropped for the
 * load and rebuilt after it: building an index once is 2-3x cheaper than maintaining it row by row.
 */
public abstract class RecordLoader {
    private static final Logger LOG = LoggerFactory.getLogger(RecordLoader.class);

    /** What the merge did. */
    public record Counts(long read, long inserted, long updated, long rejected) {
        public long unchanged() {
            return read - inserted - updated - rejected;
        }
    }

    /** The part of the district this load may change, or null for all of it ({@link #restrictTo}). */
    private DataScope scope;

    /**
     * Holds this load to {@code scope}: a row placed outside it, or whose record exists outside it, is
     * rejected with the reason, by gridctl_scope_allows() (the rule of row-level security; the job's
     * transaction carries the scope's settings). Such a load takes the one-pass path, where every row
     * is placed in SQL before it is merged.
     */
    void restrictTo(DataScope scope) {
        this.scope = DataScope.DISTRICT.equals(scope.kind()) ? null : scope;
    }

    protected abstract Dataset dataset();

    protected abstract String targetTable();

    /** Staging columns after {@code src_row}, as "name type" pairs. */
    protected abstract List<String> stageColumns();

    /** The staging column that must be unique in the file, and how to show it in a reject (masked). */
    protected abstract String keyColumn();

    protected String keyDisplay() {
        return keyColumn();
    }

    /** Checks one row and writes its staging columns (after src_row), or throws {@link RejectedRow}. */
    protected abstract void stage(Row row, CopyWriter out) throws RejectedRow;

    /**
     * Statements on the filled staging table before placement, e.g. a spatial index and the
     * point-in-polygon table {@link #placementJoin()} reads.
     */
    protected List<String> prepareStageSql() {
        return List.of();
    }

    /**
     * Checks on the staged rows that need PostGIS, after in-file duplicates are reported: rejects
     * (removing them from the staging table) or warns; returns the number rejected.
     */
    protected long checkStaged(Statement s, Sink sink) throws SQLException {
        return 0;
    }

    /** Runs just before the merge, when the staged rows are placed and the target still holds the old rows. */
    protected void beforeMerge(Statement s) throws SQLException {
    }

    /** Runs just after the merge, in the same transaction (e.g. what depends on the merged rows). */
    protected void afterMerge(Statement s, Sink sink) throws SQLException {
    }

    /**
     * For a two-pass first load: the narrow columns the first pass stages per row (after
     * {@code src_row}) — the key, its display, and what {@link #placementJoin()} needs — or null
     * when this dataset always loads in one pass.
     */
    protected List<String> keyColumns() {
        return null;
    }

    /** The first pass: checks the row exactly as {@link #stage} does and writes {@link #keyColumns()}. */
    protected void stageKey(Row row, CopyWriter out) throws RejectedRow {
        throw new UnsupportedOperationException(dataset().code() + " has no two-pass load");
    }

    /**
     * For a first load placed by a code the database knows ({@link LookupLoad}): the code and the
     * {@link #placedColumns()} of every known place, as SQL; null when rows are placed otherwise.
     */
    protected String placeLookup() {
        return null;
    }

    /** The field of a row holding the code {@link #placeLookup()} finds. */
    protected String placeField() {
        throw new UnsupportedOperationException(dataset().code() + " is not placed by a code");
    }

    /** A target column a COPY fills in file order (an identity), by which {@link LookupLoad} tells rows apart. */
    protected String loadOrderColumn() {
        throw new UnsupportedOperationException(dataset().code() + " is not placed by a code");
    }

    /**
     * The row's in-file key when it is a code of digits and no personal data (a house code), once
     * {@link #stageKey} has passed the row: a two-pass load then finds duplicates in memory as the
     * file streams. Null (the default) leaves them to SQL.
     */
    protected String digitKey(Row row) {
        return null;
    }

    /** Opens the import's file again, for the second pass of a two-pass load. */
    public interface Reopen {
        RecordSource open() throws IOException;
    }

    /**
     * For a two-pass load, which reads the placement once, in file order: the statements to run on
     * the staged keys first, and the relation {@code p} joined to them (the one-pass ones by default).
     */
    protected List<String> prepareKeySql() {
        return prepareStageSql();
    }

    protected String keyPlacementJoin() {
        return placementJoin();
    }

    /** The columns the placement relation {@code p} adds to a staged row. */
    protected List<String> placedColumns() {
        return List.of("grid_code", "community_code", "street_code");
    }

    /**
     * For the two-pass load: every staged row in file order, as {@code src_row}, its key for display,
     * whether it found a place, and the {@link #placedColumns()}.
     */
    String placementsInFileOrder() {
        return "SELECT s.src_row, s." + keyDisplay() + ", " + placementFound() + " IS NOT NULL"
                + placedColumns().stream().map(col -> ", p." + col).reduce("", String::concat)
                + " FROM " + stageTable() + " s LEFT JOIN " + keyPlacementJoin() + " ORDER BY s.src_row";
    }

    /** A column of {@code p} that is null exactly when the row found no placement. */
    protected String placementFound() {
        return "p.grid_code";
    }

    /**
     * What a staged row {@code s} is joined to for its grid: a relation aliased {@code p} with
     * {@code grid_code, community_code, street_code}, and the join condition. A row with no partner
     * cannot be placed.
     */
    protected abstract String placementJoin();

    /** Why a row could not be placed, in English and Chinese. */
    protected abstract String[] unplacedReason();

    /**
     * The street and grid a placed staged row {@code s} (joined to {@code p}) will have, and those of
     * the stored record {@code t} of the same key, as SQL: what a scoped load judges.
     */
    protected String[] placedScope() {
        return new String[] {"p.street_code", "p.grid_code"};
    }

    protected String[] storedScope() {
        return new String[] {"t.street_code", "t.grid_code"};
    }

    /** A further condition that puts a placed staged row {@code s} outside a street scope ({@code scope_code}), or null. */
    protected String outsideStreetSql() {
        return null;
    }

    /** The target columns whose change makes a row "changed" (ciphertexts excluded: their nonce differs every time). */
    protected abstract List<String> comparedColumns();

    /** {@code ON CONFLICT (key) DO UPDATE SET … WHERE (…) IS DISTINCT FROM (…)}; target alias {@code t}. */
    protected abstract String conflictClause();

    /** UNLOGGED work tables made inside the job's transaction: a killed job leaves none behind. */
    final String stageTable() {
        return "import_stage_" + targetTable();
    }

    final String placementTable() {
        return "import_placement_" + targetTable();
    }

    private String changedTable() {
        return "import_changed_" + targetTable();
    }

    /**
     * Loads {@code source} into the target inside the caller's transaction (the caller commits or
     * rolls back: a dry run rolls back).
     *
     * <p>A first load (empty target) COPYs the rows straight into the target where it can: in one
     * pass when they are placed by a code the database knows ({@link LookupLoad}: persons), in two
     * when the loader stages its keys ({@link TwoPassLoad}: houses, enterprises); otherwise (grids)
     * it inserts every placed row from the staging table. A later load first finds, with one hash
     * join against the target, the rows that are new or differ in a compared column, and upserts
     * only those. An upsert that skips identical rows
     * still locks (and so rewrites) every one of them; the join reads them only, which makes
     * re-importing an unchanged file cheap and keeps it out of the change log.
     */
    public Counts load(Connection c, RecordSource source, Reopen reopen, ColumnMapping mapping, SourceCrs crs,
                       DistrictBounds bounds, Sink sink) throws IOException, SQLException {
        long read = 0;
        long rejected = 0;
        try (Statement s = c.createStatement()) {
            // hash joins and aggregates over a whole file stay in memory instead of spilling in batches
            s.execute("SET LOCAL work_mem = '256MB'");
            boolean firstLoad = isEmpty(s);
            BulkLoadWindow window = firstLoad ? BulkLoadWindow.open(c, targetTable()) : null;
            if (firstLoad && scope == null && placeLookup() != null) {
                LookupLoad.Places places = LookupLoad.places(s, placeLookup(), placedColumns().size(), LookupLoad.maxCodes);
                if (places != null) {
                    return new LookupLoad(this, c, s, mapping, crs, bounds, sink).run(source, places, window);
                }
            }
            if (firstLoad && scope == null && keyColumns() != null && reopen != null) {
                return new TwoPassLoad(this, c, s, mapping, crs, bounds, sink).run(source, reopen, window);
            }
            s.execute("CREATE UNLOGGED TABLE " + stageTable() + " (src_row bigint, gid uuid, "
                    + String.join(", ", stageColumns()) + ")");
            long tStage = System.nanoTime();
            List<String> columns = new ArrayList<>(List.of("src_row", "gid"));
            columns.addAll(stagedNames());
            try (CopyWriter out = new CopyWriter(c, stageTable(), columns)) {
                Gids gids = new Gids();
                long[] n = copyAll(source, new Row(mapping.indexByField(), crs, bounds), out, (row, w) -> {
                    w.uuid(gids.next());
                    stage(row, w);
                }, sink, 1.0);
                read = n[0];
                rejected = n[1];
                out.finish();
            }
            long staged = read - rejected;
            sink.progress("placing", read, 1.0);
            long tPlace = System.nanoTime();
            long duplicates = rejectDuplicates(s, sink);
            rejected += duplicates;
            long checked = checkStaged(s, sink);
            rejected += checked;
            for (String sql : prepareStageSql()) {
                s.execute(sql);
            }
            if (scope != null) {
                rejected += rejectOutsideScope(s, sink);
            }
            sink.progress("merging", read, 1.0);
            long tMerge = System.nanoTime();
            beforeMerge(s);
            long inserted;
            long updated;
            if (firstLoad) {
                inserted = s.executeUpdate("INSERT INTO " + targetTable() + " (" + String.join(", ", targetColumns())
                        + ") SELECT " + String.join(", ", placedSelect()) + " FROM " + stageTable() + " s JOIN " + placementJoin());
                updated = 0;
                if (inserted < staged - duplicates - checked) {
                    rejected += rejectUnplaced(s, sink);
                }
            } else {
                rejected += rejectUnplaced(s, sink);
                long[] merged = mergeChanged(s);
                inserted = merged[0];
                updated = merged[1];
            }
            afterMerge(s, sink);
            s.execute("DROP TABLE IF EXISTS " + stageTable() + ", " + placementTable() + ", " + changedTable());
            long tIndex = System.nanoTime();
            sink.progress("indexing", read, 1.0);
            if (window != null) {
                window.close(c);
            }
            s.execute("ANALYZE " + targetTable());
            LOG.info("{}: read and stage {} ms, check and place {} ms, merge {} ms, index {} ms{}", dataset().code(),
                    ms(tPlace - tStage), ms(tMerge - tPlace), ms(tIndex - tMerge), ms(System.nanoTime() - tIndex),
                    firstLoad ? " (first load: indexes and constraints built after)" : "");
            return new Counts(read, inserted, updated, rejected);
        }
    }

    /** Writes the columns of one checked row (after its row number), or throws {@link RejectedRow}. */
    interface RowWriter {
        void write(Row row, CopyWriter out) throws RejectedRow;
    }

    /**
     * Streams every record of {@code source} into {@code out} as (row number, what {@code write}
     * writes); a row it refuses is taken back and reported to the sink. Progress is reported as
     * {@code share} of the whole job. Returns {read, rejected}.
     */
    static long[] copyAll(RecordSource source, Row row, CopyWriter out, RowWriter write, Sink sink, double share)
            throws IOException, SQLException {
        long read = 0;
        long rejected = 0;
        SourceRecord r;
        while ((r = source.next()) != null) {
            read++;
            row.at(r);
            out.mark();
            try {
                out.number(r.row());
                write.write(row, out);
                out.endRow();
            } catch (RejectedRow e) {
                out.rewind();
                rejected++;
                sink.reject(r.row(), e.field(), e.value(), e.getMessage(), e.zh());
            }
            if ((read & 4095) == 0) {
                sink.progress("reading", read, source.progress() * share);
            }
        }
        return new long[] {read, rejected};
    }

    /** Upserts the new and changed rows only; returns {inserted, updated}. */
    private long[] mergeChanged(Statement s) throws SQLException {
        String key = keyColumn();
        List<String> t = comparedColumns().stream().map(col -> "t." + col).toList();
        List<String> x = comparedColumns().stream().map(col -> "x." + col).toList();
        s.execute("CREATE UNLOGGED TABLE " + changedTable() + " AS SELECT x.* FROM (SELECT "
                + String.join(", ", placedSelect()) + " FROM " + stageTable() + " s JOIN " + placementJoin() + ") x"
                + " LEFT JOIN " + targetTable() + " t ON t." + key + " = x." + key
                + " WHERE t." + key + " IS NULL OR (" + String.join(", ", t) + ") IS DISTINCT FROM (" + String.join(", ", x) + ")");
        String cols = String.join(", ", targetColumns());
        try (ResultSet rs = s.executeQuery("WITH merged AS (INSERT INTO " + targetTable() + " AS t (" + cols + ") SELECT "
                + cols + " FROM " + changedTable() + " " + conflictClause() + " RETURNING (xmax = 0) AS inserted) "
                + "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    List<String> stagedNames() {
        return stageColumns().stream().map(col -> col.split("\\s+")[0]).toList();
    }

    /** The target's columns in the order {@link #placedSelect()} yields them. */
    private List<String> targetColumns() {
        List<String> cols = new ArrayList<>(stagedNames());
        cols.addAll(placedColumns());
        cols.addAll(List.of("gid", "origin"));
        return cols;
    }

    /**
     * A staged row with its grid. The origin is evaluated once per statement (an uncorrelated
     * sub-select); as a column default it was a function call per row, 6 s per 1.58 M persons.
     */
    private List<String> placedSelect() {
        List<String> cols = new ArrayList<>(stagedNames().stream().map(col -> "s." + col).toList());
        cols.addAll(placedColumns().stream().map(col -> "p." + col).toList());
        cols.addAll(List.of("s.gid", "(SELECT gridctl_origin()) AS origin"));
        return cols;
    }

    /**
     * In-file duplicates of the key: the first occurrence loads, later ones are rejected naming it
     * and leave the staging table. The grouping is a hash aggregate over the key alone, not a sort
     * of whole rows.
     */
    long rejectDuplicates(Statement s, Sink sink) throws SQLException {
        long n = 0;
        String key = keyColumn();
        try (ResultSet rs = s.executeQuery("WITH d AS (SELECT " + key + ", min(src_row) AS first_row FROM " + stageTable()
                + " GROUP BY " + key + " HAVING count(*) > 1), gone AS (DELETE FROM " + stageTable() + " s USING d WHERE s."
                + key + " = d." + key + " AND s.src_row <> d.first_row RETURNING s.src_row, s." + keyDisplay()
                + " AS shown, d.first_row) SELECT * FROM gone ORDER BY src_row")) {
            while (rs.next()) {
                n++;
                long first = rs.getLong(3);
                sink.reject(rs.getLong(1), keyColumn(), rs.getString(2), "duplicate of row " + first + " in this file",
                        "与本文件第 " + first + " 行重复");
            }
        }
        return n;
    }

    /** Staged rows without a grid (outside every grid, unknown house): rejected with the loader's reason. */
    long rejectUnplaced(Statement s, Sink sink) throws SQLException {
        long n = 0;
        try (ResultSet rs = s.executeQuery("SELECT s.src_row, s." + keyDisplay() + " FROM " + stageTable() + " s LEFT JOIN "
                + placementJoin() + " WHERE " + placementFound() + " IS NULL ORDER BY s.src_row")) {
            while (rs.next()) {
                n++;
                rejectUnplacedRow(sink, rs.getLong(1), rs.getString(2));
            }
        }
        return n;
    }

    /**
     * For a scoped load: staged rows placed outside the scope, or whose stored record lies outside it
     * (an upsert would move or rewrite another street's record), leave the staging table, each
     * rejected naming the street it belongs to. Rows without a place are left to {@link #rejectUnplaced}.
     */
    long rejectOutsideScope(Statement s, Sink sink) throws SQLException {
        String[] placed = placedScope();
        String[] stored = storedScope();
        String key = keyColumn();
        String extra = outsideStreetSql();
        String placedOutsideSql = "(NOT gridctl_scope_allows(" + placed[0] + ", " + placed[1] + ")"
                + (extra == null ? "" : " OR (current_setting('gridctl.scope_kind') = 'street' AND " + extra + ")") + ")";
        String storedOutsideSql = "(t." + key + " IS NOT NULL AND NOT gridctl_scope_allows(" + stored[0] + ", " + stored[1] + "))";
        String sql = "WITH judged AS (SELECT s.src_row, s." + keyDisplay() + " AS shown, " + placed[0] + " AS placed_street, "
                + stored[0] + " AS stored_street, " + placedOutsideSql + " AS placed_outside, " + storedOutsideSql + " AS stored_outside"
                + " FROM " + stageTable() + " s JOIN " + placementJoin()
                + " LEFT JOIN " + targetTable() + " t ON t." + key + " = s." + key + "),"
                + " outside AS (SELECT * FROM judged WHERE placed_outside OR stored_outside),"
                + " gone AS (DELETE FROM " + stageTable() + " s USING outside o WHERE s.src_row = o.src_row)"
                + " SELECT src_row, shown, placed_street, stored_street, placed_outside FROM outside ORDER BY src_row";
        String mine = (DataScope.STREET.equals(scope.kind()) ? "street " : "grids ") + scope.code();
        String mineZh = (DataScope.STREET.equals(scope.kind()) ? "街道 " : "网格 ") + scope.code();
        long n = 0;
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                n++;
                boolean placedOutside = rs.getBoolean(5);
                String street = placedOutside ? rs.getString(3) : rs.getString(4);
                String where = placedOutside ? "the row lies in street " + street : "the record exists in street " + street;
                String whereZh = placedOutside ? "该行位于街道 " + street : "该记录已存在于街道 " + street;
                if (placedOutside && street.equals(scope.code())) {
                    where = "the grid's polygon reaches outside street " + street;
                    whereZh = "网格范围超出街道 " + street;
                }
                sink.reject(rs.getLong(1), key, rs.getString(2), where + ", outside your data scope (" + mine
                        + "): it is imported from that street or by the district", whereZh + "，超出您的数据范围（" + mineZh
                        + "），请由所属街道或区级导入");
            }
        }
        return n;
    }

    /** Reports one staged row that found no place, {@code shown} being its key for display. */
    void rejectUnplacedRow(Sink sink, long row, String shown) throws SQLException {
        String[] why = unplacedReason();
        sink.reject(row, keyColumn(), shown, why[0], why[1]);
    }

    static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private boolean isEmpty(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT NOT EXISTS (SELECT 1 FROM " + targetTable() + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}

package cn.haizhu.grid.importers.load;

import static cn.haizhu.grid.importers.load.DatasetSpec.identifier;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The SQL a load builds from a {@link DatasetSpec}: column lists, the conflict clause, the placement
 * join, and the work tables named after the target. The one place where SQL is put together from parts;
 * everything a dataset does not change lives in {@code .sql} files beside the class that runs it.
 *
 * <p>Identifiers come only from the specs' fixed lists (checked when a spec is made) or from the
 * database's own catalogue; values never appear here: they go as parameters or by COPY.
 *
 * <p>Aliases the statements share: {@code s} a staged row, {@code p} its place, {@code t} the stored
 * record of the same key, {@code x} a placed staged row.
 */
final class LoadSql {
    private LoadSql() {
    }

    // --- the work tables: UNLOGGED, made inside the job's transaction (a killed job leaves none behind)

    static String stageTable(DatasetSpec d) {
        return "import_stage_" + d.table();
    }

    static String placementTable(DatasetSpec d) {
        return "import_placement_" + d.table();
    }

    private static String changedTable(DatasetSpec d) {
        return "import_changed_" + d.table();
    }

    static String isEmpty(DatasetSpec d) {
        return "SELECT NOT EXISTS (SELECT 1 FROM " + d.table() + ")";
    }

    static String analyze(DatasetSpec d) {
        return "ANALYZE " + d.table();
    }

    /** The staging table of a one-pass load: the row number, the gid and the staged columns. */
    static String createStage(DatasetSpec d) {
        return "CREATE UNLOGGED TABLE " + stageTable(d) + " (src_row bigint, gid uuid, " + definitions(d.columns()) + ")";
    }

    static List<String> stageColumns(DatasetSpec d) {
        return concat(List.of("src_row", "gid"), d.columnNames());
    }

    /** The staging table of a two-pass load's first pass: the row number and the narrow key columns. */
    static String createKeyStage(DatasetSpec d) {
        return "CREATE UNLOGGED TABLE " + stageTable(d) + " (src_row bigint, " + definitions(d.firstPass().columns()) + ")";
    }

    static List<String> keyStageColumns(DatasetSpec d) {
        return concat(List.of("src_row"), DatasetSpec.names(d.firstPass().columns()));
    }

    static String dropWorkTables(DatasetSpec d) {
        return "DROP TABLE IF EXISTS " + stageTable(d) + ", " + placementTable(d) + ", " + changedTable(d);
    }

    static String dropKeyStage(DatasetSpec d) {
        return "DROP TABLE IF EXISTS " + stageTable(d) + ", " + placementTable(d);
    }

    /** {@code COPY table (columns) FROM STDIN} in binary, the form {@link CopyWriter} writes. */
    static String copyIn(String table, List<String> columns) {
        identifier(table);
        columns.forEach(DatasetSpec::identifier);
        return "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT binary)";
    }

    /** The target's columns as a load writes them: the staged ones, the place, the gid and the origin. */
    static List<String> targetColumns(DatasetSpec d) {
        return concat(d.columnNames(), d.placement().placedColumns(), List.of("gid", "origin"));
    }

    /**
     * A staged row with its place, in {@link #targetColumns} order. The origin is evaluated once per
     * statement (an uncorrelated sub-select); as a column default it was a function call per row, 6 s per
     * 1.58 M persons.
     */
    private static String placedSelect(DatasetSpec d) {
        return Stream.of(prefixed("s.", d.columnNames()), prefixed("p.", d.placement().placedColumns()),
                        List.of("s.gid", "(SELECT gridctl_origin()) AS origin"))
                .flatMap(List::stream).collect(Collectors.joining(", "));
    }

    // --- checks on the staged rows

    /**
     * In-file duplicates of the key: the first occurrence stays, later ones leave the staging table and
     * come back as (row, key as shown, first row). A hash aggregate over the key alone, not a sort of rows.
     */
    static String rejectDuplicates(DatasetSpec d) {
        String stage = stageTable(d);
        String key = d.key().column();
        return "WITH d AS (SELECT " + key + ", min(src_row) AS first_row FROM " + stage + " GROUP BY " + key
                + " HAVING count(*) > 1), gone AS (DELETE FROM " + stage + " s USING d WHERE s." + key + " = d." + key
                + " AND s.src_row <> d.first_row RETURNING s.src_row, s." + d.key().shown() + " AS shown, d.first_row)"
                + " SELECT * FROM gone ORDER BY src_row";
    }

    /**
     * The same for a one-pass first load, which has no staging table: the copies are in the target, told
     * apart by its identity column (filled in file order); comes back as (identity, key as shown, first
     * identity).
     */
    static String rejectLoadedDuplicates(DatasetSpec d) {
        String table = d.table();
        String key = d.key().column();
        String order = d.key().loadOrder();
        return "WITH d AS (SELECT " + key + ", min(" + order + ") AS first FROM " + table + " GROUP BY " + key
                + " HAVING count(*) > 1), gone AS (DELETE FROM " + table + " t USING d WHERE t." + key + " = d." + key
                + " AND t." + order + " <> d.first RETURNING t." + order + " AS at, t." + d.key().shown()
                + " AS shown, d.first) SELECT * FROM gone ORDER BY at";
    }

    /** The identity column's first value, and whether its values are one run of numbers (one per COPYed row). */
    static String loadOrderRun(DatasetSpec d) {
        String order = d.key().loadOrder();
        return "SELECT min(" + order + "), max(" + order + ") - min(" + order + ") + 1 = count(*) FROM " + d.table();
    }

    // --- placement

    /** Statements on the filled staging table before it is placed (a point placement's index and table). */
    static List<String> preparePlacement(DatasetSpec d) {
        return d.placement() == Placement.POINT_IN_GRID ? placePoints(stageTable(d), placementTable(d)) : List.of();
    }

    /** The same for a two-pass load, which reads the placement once, in file order, as a subquery. */
    static List<String> prepareKeyPlacement(DatasetSpec d) {
        return d.placement() == Placement.POINT_IN_GRID ? indexPoints(stageTable(d)) : List.of();
    }

    /**
     * What a staged row {@code s} is joined to for its place: a relation {@code p} with the
     * {@link Placement#placedColumns()}, and the join condition. A row with no partner cannot be placed.
     */
    static String placementJoin(DatasetSpec d) {
        return switch (d.placement()) {
            case POINT_IN_GRID -> placementTable(d) + " p ON p.src_row = s.src_row";
            case HOUSE_CODE -> "house p ON p.code = s." + Placement.HOUSE_FIELD;
            // the merge would otherwise fail on the grid's foreign key to its community
            case OWN_CODE -> "admin_area p ON p.code = s.community_code AND p.level = 'community'"
                    + " AND p.parent_code = s.street_code";
            case NONE -> throw new IllegalArgumentException(d.code() + " is not placed");
        };
    }

    /**
     * The placement as a subquery for a load that reads it once in file order: its output is already in
     * src_row order, so a merge join with the staged rows replaces a table, its index and a hash join
     * (3.6 s → 1.7 s for the 916,978 demo houses).
     */
    private static String keyPlacementJoin(DatasetSpec d) {
        return d.placement() == Placement.POINT_IN_GRID
                ? "(" + placedPoints(stageTable(d)) + ") p ON p.src_row = s.src_row" : placementJoin(d);
    }

    /** A column of {@code p} that is null exactly when the row found no place. */
    private static String placementFound(DatasetSpec d) {
        return d.placement() == Placement.OWN_CODE ? "p.code" : "p.grid_code";
    }

    /** Staged rows that found no place, as (row, key as shown), in file order. */
    static String rejectUnplaced(DatasetSpec d) {
        return "SELECT s.src_row, s." + d.unplacedColumn() + " FROM " + stageTable(d) + " s LEFT JOIN " + placementJoin(d)
                + " WHERE " + placementFound(d) + " IS NULL ORDER BY s.src_row";
    }

    /**
     * For a two-pass load: every staged row in file order, as (row, what names its place, whether it found a
     * place, the {@link Placement#placedColumns()}).
     */
    static String placementsInFileOrder(DatasetSpec d) {
        return "SELECT s.src_row, s." + d.unplacedColumn() + ", " + placementFound(d) + " IS NOT NULL"
                + prefixed(", p.", d.placement().placedColumns()).stream().collect(Collectors.joining())
                + " FROM " + stageTable(d) + " s LEFT JOIN " + keyPlacementJoin(d) + " ORDER BY s.src_row";
    }

    /** The spatial index a point placement runs over, and the statistics that make the planner use it. */
    private static List<String> indexPoints(String stage) {
        return List.of("CREATE INDEX ON " + stage + " USING gist (geom)", "ANALYZE " + stage);
    }

    /**
     * Each placed staged point once (src_row, grid_code, community_code, street_code), in src_row order.
     * The join runs grid by grid over the index on the points: each polygon is tested against all its
     * candidates in a row, which lets PostGIS reuse the prepared polygon (probing the grid index once per
     * point instead was 11x slower on the demo houses, 16.1 s against 1.4 s). A point on a shared edge
     * belongs to the grid with the smallest code.
     */
    private static String placedPoints(String stage) {
        return """
                SELECT DISTINCT ON (p.src_row) p.src_row, g.code AS grid_code, g.community_code, g.street_code
                FROM grid g JOIN %s p ON ST_Intersects(g.geom, p.geom)
                ORDER BY p.src_row, g.code""".formatted(stage);
    }

    /** The point placement as a narrow table (row → grid) that the rejects and the merge both join to. */
    private static List<String> placePoints(String stage, String placement) {
        List<String> sql = new ArrayList<>(indexPoints(stage));
        sql.add("CREATE UNLOGGED TABLE " + placement + " AS " + placedPoints(stage));
        sql.add("CREATE UNIQUE INDEX ON " + placement + " (src_row)");
        sql.add("ANALYZE " + placement);
        return sql;
    }

    // --- a scoped load

    /**
     * Staged rows placed outside the caller's scope, or whose stored record lies outside it, leave the
     * staging table and come back as (row, key as shown, placed street, stored street, placed outside).
     * gridctl_scope_allows() is the rule row-level security applies; the transaction carries the scope.
     */
    static String rejectOutsideScope(DatasetSpec d) {
        boolean ownCode = d.placement() == Placement.OWN_CODE;
        // a grid's street and grid are in its own code
        String placedStreet = ownCode ? "s.street_code" : "p.street_code";
        String placedGrid = ownCode ? "s.code" : "p.grid_code";
        String storedGrid = ownCode ? "t.code" : "t.grid_code";
        // a street's officer may not draw a grid into a neighbouring street: its polygon must lie within
        // the street's (give or take a metre, 1e-5°), or re-placing the houses under it would take the neighbour's
        String outsideStreet = ownCode ? " OR (current_setting('gridctl.scope_kind') = 'street' AND NOT ST_CoveredBy(s.geom,"
                + " (SELECT ST_Buffer(a.geom, 0.00001) FROM admin_area a WHERE a.code = current_setting('gridctl.scope_code'))))" : "";
        String key = d.key().column();
        String stage = stageTable(d);
        return "WITH judged AS (SELECT s.src_row, s." + d.key().shown() + " AS shown, " + placedStreet + " AS placed_street, "
                + "t.street_code AS stored_street, (NOT gridctl_scope_allows(" + placedStreet + ", " + placedGrid + ")"
                + outsideStreet + ") AS placed_outside, (t." + key + " IS NOT NULL AND NOT gridctl_scope_allows(t.street_code, "
                + storedGrid + ")) AS stored_outside FROM " + stage + " s JOIN " + placementJoin(d)
                + " LEFT JOIN " + d.table() + " t ON t." + key + " = s." + key + "),"
                + " outside AS (SELECT * FROM judged WHERE placed_outside OR stored_outside),"
                + " gone AS (DELETE FROM " + stage + " s USING outside o WHERE s.src_row = o.src_row)"
                + " SELECT src_row, shown, placed_street, stored_street, placed_outside FROM outside ORDER BY src_row";
    }

    // --- the merge

    /** A first load through the staging table: every placed row into the empty target. */
    static String insertPlaced(DatasetSpec d) {
        return "INSERT INTO " + d.table() + " (" + String.join(", ", targetColumns(d)) + ") SELECT " + placedSelect(d)
                + " FROM " + stageTable(d) + " s JOIN " + placementJoin(d);
    }

    /**
     * The placed staged rows that are new or differ from the stored record in a compared column: one hash
     * join that only reads the target (an upsert that skips identical rows still locks, so rewrites, each).
     */
    static String stageChanged(DatasetSpec d) {
        String key = d.key().column();
        return "CREATE UNLOGGED TABLE " + changedTable(d) + " AS SELECT x.* FROM (SELECT " + placedSelect(d) + " FROM "
                + stageTable(d) + " s JOIN " + placementJoin(d) + ") x LEFT JOIN " + d.table() + " t ON t." + key + " = x." + key
                + " WHERE t." + key + " IS NULL OR (" + String.join(", ", prefixed("t.", d.merge().compared()))
                + ") IS DISTINCT FROM (" + String.join(", ", prefixed("x.", d.merge().compared())) + ")";
    }

    /** Upserts the changed rows; answers (inserted, updated). */
    static String upsertChanged(DatasetSpec d) {
        String cols = String.join(", ", targetColumns(d));
        return "WITH merged AS (INSERT INTO " + d.table() + " AS t (" + cols + ") SELECT " + cols + " FROM " + changedTable(d)
                + " " + conflictClause(d, targetColumns(d)) + " RETURNING (xmax = 0) AS inserted) "
                + "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM merged";
    }

    /**
     * {@code ON CONFLICT (key) DO UPDATE SET … WHERE (…) IS DISTINCT FROM (…)}, target alias {@code t}:
     * every written column but the key and the gid and origin a record keeps, and the {@link
     * DatasetSpec.Merge#kept()} ones; a sealed ciphertext only when its hash changed.
     */
    static String conflictClause(DatasetSpec d, List<String> written) {
        DatasetSpec.Merge merge = d.merge();
        String set = written.stream()
                .filter(c -> !c.equals(d.key().column()) && !c.equals("gid") && !c.equals("origin") && !merge.kept().contains(c))
                .map(c -> merge.sealed().containsKey(c)
                        ? c + " = CASE WHEN t." + merge.sealed().get(c) + " IS DISTINCT FROM EXCLUDED." + merge.sealed().get(c)
                          + " THEN EXCLUDED." + c + " ELSE t." + c + " END"
                        : c + " = EXCLUDED." + c)
                .collect(Collectors.joining(", "));
        return "ON CONFLICT (" + d.key().column() + ") DO UPDATE SET " + set
                + " WHERE (" + String.join(", ", prefixed("t.", merge.compared())) + ") IS DISTINCT FROM ("
                + String.join(", ", prefixed("EXCLUDED.", merge.compared())) + ")";
    }

    // --- a one-pass first load's known places

    static String countOf(String query) {
        return "SELECT count(*) FROM (" + query + ") k";
    }

    static String copyOut(String query) {
        return "COPY (" + query + ") TO STDOUT (FORMAT binary)";
    }

    // --- the bulk-load window: names from the catalogue, as it spells them

    static String dropIndex(String regclass) {
        return "DROP INDEX " + regclass;
    }

    static String dropConstraint(String table, String name) {
        return "ALTER TABLE " + identifier(table) + " DROP CONSTRAINT " + quote(name);
    }

    static String addConstraint(String table, String name, String definition) {
        return "ALTER TABLE " + identifier(table) + " ADD CONSTRAINT " + quote(name) + " " + definition;
    }

    static String trigger(String table, String trigger, boolean enable) {
        return "ALTER TABLE " + identifier(table) + (enable ? " ENABLE" : " DISABLE") + " TRIGGER " + identifier(trigger);
    }

    /**
     * What change_log_capture() (V7) writes for one statement's inserted rows, with the whole table as that
     * statement's rows: entries of up to 1,000 records. The records of one entry are in no particular order
     * (they are one statement's), which lets a hash aggregate group them: no sort of the whole table (6.5 s
     * → 2.8 s for the 1.58 M demo persons, with V18).
     */
    static String changeLogOfTable(String table) {
        return """
                INSERT INTO change_log (table_name, record_gid, record_gids, op, version, origin, from_peer)
                SELECT '%1$s', CASE WHEN count(*) = 1 THEN min(gid::text)::uuid END,
                       CASE WHEN count(*) > 1 THEN array_agg(gid) END, 'I', version, origin,
                       nullif(current_setting('gridctl.sync_peer', true), '')
                FROM (SELECT gid, version, origin, row_number() OVER () AS n FROM %1$s) d
                GROUP BY (n - 1) / 1000, version, origin""".formatted(identifier(table));
    }

    /**
     * One box per layer and street around everything loaded: {@code layer} and {@code street} are the SQL
     * expressions tile_layer_of (V5) and tile_scope_of (V26) give for the table's rows.
     */
    static String tileBoxes(String table, String layer, String street) {
        return """
                INSERT INTO tile_dirty (layer, street_code, bbox)
                SELECT layer, street_code, ST_SetSRID(ST_Extent(geom_3857)::geometry, 3857)
                FROM (SELECT %2$s AS layer, %3$s AS street_code, geom_3857 FROM %1$s) t
                GROUP BY layer, street_code""".formatted(identifier(table), layer, street);
    }

    // --- grids reshaped: the records of a point-placed dataset placed again (GridReplacement)

    /**
     * The records lying in a reshaped grid's old or new polygon, or assigned to one, shaped as a staging
     * table (src_row, key, geom) for the same point placement as an import.
     */
    static String regridCandidates(DatasetSpec d) {
        return """
                CREATE TEMP TABLE %1$s ON COMMIT DROP AS
                SELECT row_number() OVER () AS src_row, t.%2$s, t.geom FROM %3$s t WHERE t.%2$s IN (
                    SELECT t.%2$s FROM %3$s t JOIN grid_reshaped r ON ST_Intersects(r.old_geom, t.geom)
                    UNION
                    SELECT t.%2$s FROM %3$s t JOIN grid_reshaped r ON ST_Intersects(r.new_geom, t.geom)
                    UNION
                    SELECT t.%2$s FROM %3$s t JOIN grid_reshaped r ON r.code = t.grid_code)"""
                .formatted(regridTable(d), d.key().column(), d.table());
    }

    /** Places the candidates: their index, their placement table, their new place (null: none), and the table dropped. */
    static List<String> regridPlace(DatasetSpec d) {
        String candidates = regridTable(d);
        List<String> sql = new ArrayList<>(placePoints(candidates, candidates + "_grid"));
        sql.add("CREATE TEMP TABLE " + candidates + "_placed ON COMMIT DROP AS SELECT c." + d.key().column()
                + ", p.grid_code, p.community_code, p.street_code FROM " + candidates + " c LEFT JOIN " + candidates
                + "_grid p ON p.src_row = c.src_row");
        sql.add("DROP TABLE " + candidates + "_grid");
        return sql;
    }

    /** The reshaped grids that lost records to no other grid, as (row of the grid in the file, grid code, records). */
    static String regridUnplaced(DatasetSpec d) {
        return """
                SELECT r.src_row, r.code, count(*)
                FROM %1$s_placed p JOIN %2$s t ON t.%3$s = p.%3$s JOIN grid_reshaped r ON r.code = t.grid_code
                WHERE p.grid_code IS NULL
                GROUP BY r.src_row, r.code ORDER BY r.src_row""".formatted(regridTable(d), d.table(), d.key().column());
    }

    /**
     * Writes the records whose place changed; answers (records moved, residents moved). With
     * {@code residents}, the persons living in a moved house follow it (houses).
     */
    static String regridMove(DatasetSpec d, boolean residents) {
        String moved = """
                UPDATE %1$s t SET grid_code = p.grid_code, community_code = p.community_code, street_code = p.street_code
                FROM %2$s_placed p
                WHERE t.%3$s = p.%3$s AND p.grid_code IS NOT NULL
                  AND (t.grid_code, t.community_code, t.street_code) IS DISTINCT FROM (p.grid_code, p.community_code, p.street_code)
                RETURNING t.%3$s, t.grid_code, t.community_code, t.street_code""".formatted(d.table(), regridTable(d), d.key().column());
        if (!residents) {
            return "WITH moved AS (" + moved + ") SELECT count(*), 0 FROM moved";
        }
        return """
                WITH moved AS (%1$s),
                residents AS (
                    UPDATE person p SET grid_code = m.grid_code, community_code = m.community_code, street_code = m.street_code
                    FROM moved m
                    WHERE p.house_code = m.%2$s
                      AND (p.grid_code, p.community_code, p.street_code) IS DISTINCT FROM (m.grid_code, m.community_code, m.street_code)
                    RETURNING 1)
                SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM residents)""".formatted(moved, d.key().column());
    }

    private static String regridTable(DatasetSpec d) {
        return "regrid_" + d.table();
    }

    // --- parts

    private static String definitions(List<DatasetSpec.Column> columns) {
        return columns.stream().map(c -> c.name() + " " + c.type()).collect(Collectors.joining(", "));
    }

    private static List<String> prefixed(String prefix, List<String> names) {
        return names.stream().map(n -> prefix + n).toList();
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    /** A name from the catalogue, quoted as an identifier (it may hold anything a migration gave it). */
    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}

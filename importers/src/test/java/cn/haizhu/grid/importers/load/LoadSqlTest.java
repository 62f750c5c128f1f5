package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.importers.load.DatasetSpec.AroundMerge;
import cn.haizhu.grid.importers.load.DatasetSpec.Column;
import cn.haizhu.grid.importers.load.DatasetSpec.Key;
import cn.haizhu.grid.importers.load.DatasetSpec.Merge;
import cn.haizhu.grid.importers.load.DatasetSpec.StagedCheck;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one place SQL is put together from parts: what it builds from each dataset's spec is the SQL each
 * dataset's loader once spelled out by hand (the clauses below are those texts), and nothing but the
 * specs' own names can reach it.
 */
class LoadSqlTest {
    /** No cipher is needed to build SQL: the spec only holds the row check that would use it. */
    private static final DatasetSpec PERSONS = DatasetSpecs.persons(null);

    @Test
    void theConflictClausesAreTheOnesEachDatasetWroteByHand() {
        assertSameSql("""
                ON CONFLICT (code) DO UPDATE SET
                    address = EXCLUDED.address, building = EXCLUDED.building, unit = EXCLUDED.unit,
                    floor = EXCLUDED.floor, room = EXCLUDED.room, use = EXCLUDED.use, geom = EXCLUDED.geom,
                    grid_code = EXCLUDED.grid_code, community_code = EXCLUDED.community_code, street_code = EXCLUDED.street_code
                WHERE (t.address, t.building, t.unit, t.floor, t.room, t.use, t.geom, t.grid_code)
                      IS DISTINCT FROM
                      (EXCLUDED.address, EXCLUDED.building, EXCLUDED.unit, EXCLUDED.floor, EXCLUDED.room, EXCLUDED.use,
                       EXCLUDED.geom, EXCLUDED.grid_code)""", clause(DatasetSpecs.HOUSES));
        assertSameSql("""
                ON CONFLICT (credit_code) DO UPDATE SET
                    name = EXCLUDED.name, industry = EXCLUDED.industry, legal_person = EXCLUDED.legal_person,
                    address = EXCLUDED.address, geom = EXCLUDED.geom, grid_code = EXCLUDED.grid_code,
                    community_code = EXCLUDED.community_code, street_code = EXCLUDED.street_code
                WHERE (t.name, t.industry, t.legal_person, t.address, t.geom, t.grid_code)
                      IS DISTINCT FROM
                      (EXCLUDED.name, EXCLUDED.industry, EXCLUDED.legal_person, EXCLUDED.address, EXCLUDED.geom, EXCLUDED.grid_code)""",
                clause(DatasetSpecs.ENTERPRISES));
        assertSameSql("""
                ON CONFLICT (code) DO UPDATE SET
                    name = EXCLUDED.name, community_code = EXCLUDED.community_code, street_code = EXCLUDED.street_code,
                    geom = EXCLUDED.geom
                WHERE (t.name, t.community_code, t.street_code, t.geom)
                      IS DISTINCT FROM
                      (EXCLUDED.name, EXCLUDED.community_code, EXCLUDED.street_code, EXCLUDED.geom)""",
                clause(DatasetSpecs.GRIDS));
    }

    /**
     * A person's ciphertexts differ on every import: the ID number's (and its mask) are kept as stored,
     * the phone's replaced only when its keyed hash changed; changes are judged on hashes and plain columns.
     */
    @Test
    void aPersonsCiphertextsAreKeptOrReplacedOnlyWhenTheirHashChanged() {
        String clause = clause(PERSONS);
        assertSameSql("""
                ON CONFLICT (id_number_hash) DO UPDATE SET
                    id_type = EXCLUDED.id_type, name = EXCLUDED.name, gender = EXCLUDED.gender, birth_date = EXCLUDED.birth_date,
                    household_type = EXCLUDED.household_type,
                    phone_enc = CASE WHEN t.phone_hash IS DISTINCT FROM EXCLUDED.phone_hash THEN EXCLUDED.phone_enc ELSE t.phone_enc END,
                    phone_hash = EXCLUDED.phone_hash, phone_masked = EXCLUDED.phone_masked, tags = EXCLUDED.tags,
                    house_code = EXCLUDED.house_code, grid_code = EXCLUDED.grid_code,
                    community_code = EXCLUDED.community_code, street_code = EXCLUDED.street_code
                WHERE (t.id_type, t.name, t.gender, t.birth_date, t.household_type, t.phone_hash, t.tags, t.house_code, t.grid_code)
                      IS DISTINCT FROM
                      (EXCLUDED.id_type, EXCLUDED.name, EXCLUDED.gender, EXCLUDED.birth_date, EXCLUDED.household_type, EXCLUDED.phone_hash,
                       EXCLUDED.tags, EXCLUDED.house_code, EXCLUDED.grid_code)""", clause);
        assertFalse(clause.contains("id_number_enc ="), clause);
        assertFalse(clause.contains("gid ="), "a record keeps its gid: " + clause);
    }

    @Test
    void aLoadWritesTheStagedColumnsThenThePlaceThenTheGidAndOrigin() {
        assertEquals(List.of("code", "address", "building", "unit", "floor", "room", "use", "geom",
                "grid_code", "community_code", "street_code", "gid", "origin"), LoadSql.targetColumns(DatasetSpecs.HOUSES));
        // a grid's place is in its own code
        assertEquals(List.of("code", "name", "community_code", "street_code", "geom", "gid", "origin"),
                LoadSql.targetColumns(DatasetSpecs.GRIDS));
        assertEquals(List.of("src_row", "gid", "credit_code", "name", "industry", "legal_person", "address", "geom"),
                LoadSql.stageColumns(DatasetSpecs.ENTERPRISES));
        assertEquals(List.of("src_row", "id_number_hash", "id_number_masked", "house_code"), LoadSql.keyStageColumns(PERSONS));
        assertEquals("CREATE UNLOGGED TABLE import_stage_house (src_row bigint, code text, geom geometry(Point, 4326))",
                LoadSql.createKeyStage(DatasetSpecs.HOUSES));
    }

    @Test
    void duplicatesAreReportedByTheKeyAndShownAsTheSpecSays() {
        assertSameSql("""
                WITH d AS (SELECT id_number_hash, min(src_row) AS first_row FROM import_stage_person GROUP BY id_number_hash
                HAVING count(*) > 1), gone AS (DELETE FROM import_stage_person s USING d WHERE s.id_number_hash = d.id_number_hash
                AND s.src_row <> d.first_row RETURNING s.src_row, s.id_number_masked AS shown, d.first_row)
                SELECT * FROM gone ORDER BY src_row""", LoadSql.rejectDuplicates(PERSONS));
        assertTrue(LoadSql.rejectLoadedDuplicates(PERSONS).contains("min(id) AS first"),
                "a one-pass load tells copies apart by the identity column: " + LoadSql.rejectLoadedDuplicates(PERSONS));
    }

    @Test
    void eachPlacementJoinsItsOwnRelation() {
        assertEquals("import_placement_house p ON p.src_row = s.src_row", LoadSql.placementJoin(DatasetSpecs.HOUSES));
        assertEquals("house p ON p.code = s.house_code", LoadSql.placementJoin(PERSONS));
        assertEquals("admin_area p ON p.code = s.community_code AND p.level = 'community' AND p.parent_code = s.street_code",
                LoadSql.placementJoin(DatasetSpecs.GRIDS));
        // a point placement is a table the rejects and the merge both join; a code placement needs none
        assertEquals(5, LoadSql.preparePlacement(DatasetSpecs.ENTERPRISES).size());
        assertEquals(List.of(), LoadSql.preparePlacement(PERSONS));
        // the two-pass load reads the point placement once, as a subquery in file order
        String inFileOrder = LoadSql.placementsInFileOrder(DatasetSpecs.HOUSES);
        assertTrue(inFileOrder.contains("LEFT JOIN (SELECT DISTINCT ON (p.src_row)"), inFileOrder);
        assertTrue(inFileOrder.endsWith("ORDER BY s.src_row"), inFileOrder);
        assertTrue(LoadSql.rejectUnplaced(DatasetSpecs.GRIDS).contains("WHERE p.code IS NULL"), "a grid's partner is its community");
    }

    @Test
    void aStreetsOfficerMayNotDrawAGridIntoTheNeighbouringStreet() {
        String grids = LoadSql.rejectOutsideScope(DatasetSpecs.GRIDS);
        assertTrue(grids.contains("gridctl_scope_allows(s.street_code, s.code)"), grids);
        assertTrue(grids.contains("gridctl_scope_allows(t.street_code, t.code)"), grids);
        assertTrue(grids.contains("NOT ST_CoveredBy(s.geom"), grids);
        String houses = LoadSql.rejectOutsideScope(DatasetSpecs.HOUSES);
        assertTrue(houses.contains("gridctl_scope_allows(p.street_code, p.grid_code)"), houses);
        assertTrue(houses.contains("gridctl_scope_allows(t.street_code, t.grid_code)"), houses);
        assertFalse(houses.contains("ST_CoveredBy"), houses);
    }

    @Test
    void onlyTheSpecsOwnNamesReachTheSql() {
        assertThrows(IllegalArgumentException.class, () -> new Column("name; DROP TABLE person", "text"));
        assertThrows(IllegalArgumentException.class, () -> new Column("name", "text); DROP TABLE person; --"));
        assertThrows(IllegalArgumentException.class, () -> Key.of("Code"));
        assertThrows(IllegalArgumentException.class, () -> Merge.comparing("geom", "name\""));
        assertThrows(IllegalArgumentException.class, () -> LoadSql.copyIn("person", List.of("name", "x y")));
        assertThrows(IllegalArgumentException.class, () -> LoadSql.trigger("house", "change_log_ins; --", true));
        // a catalogue's constraint name may hold anything: it is quoted
        assertEquals("ALTER TABLE house DROP CONSTRAINT \"a \"\"b\"\"\"", LoadSql.dropConstraint("house", "a \"b\""));
    }

    @Test
    void aSpecWhoseKeyIsNotStagedIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DatasetSpec("things", "thing", Column.of("name text"),
                Key.of("code"), Placement.NONE, Merge.comparing("name"), null, null, StagedCheck.NONE, AroundMerge.NONE));
    }

    @Test
    void everyImportableDatasetHasASpecOfItsName() {
        for (Dataset d : Dataset.values()) {
            assertEquals(d.code(), DatasetSpecs.of(d, null).code(), d.name());
        }
    }

    private static String clause(DatasetSpec d) {
        return LoadSql.conflictClause(d, LoadSql.targetColumns(d));
    }

    /** The same statement, whatever its line breaks and indents. */
    private static void assertSameSql(String expected, String actual) {
        assertEquals(oneLine(expected), oneLine(actual));
    }

    private static String oneLine(String sql) {
        return sql.strip().replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")");
    }
}

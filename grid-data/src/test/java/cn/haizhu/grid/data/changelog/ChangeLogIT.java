package cn.haizhu.grid.data.changelog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.changelog.ChangeLogReader.Batch;
import cn.haizhu.grid.data.changelog.ChangeLogReader.Cursor;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChangeLogIT {
    static Database db;

    @BeforeAll
    static void open() throws SQLException {
        db = TestDatabases.fresh("it_changelog");
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("""
                INSERT INTO admin_area (code, level, name, geom) VALUES
                ('440105', 'district', '海珠区', ST_Multi(ST_MakeEnvelope(113.2, 23.0, 113.5, 23.2, 4326)))""");
            s.execute("""
                INSERT INTO admin_area (code, level, name, parent_code, street_code, geom) VALUES
                ('440105001', 'street', '赤岗街道', '440105', '440105001', ST_Multi(ST_MakeEnvelope(113.2, 23.0, 113.5, 23.2, 4326)))""");
            s.execute("""
                INSERT INTO admin_area (code, level, name, parent_code, street_code, geom) VALUES
                ('440105001101', 'community', '下渡社区居委会', '440105001', '440105001', ST_Multi(ST_MakeEnvelope(113.2, 23.0, 113.5, 23.2, 4326)))""");
        }
    }

    @AfterAll
    static void close() {
        db.close();
    }

    private static Cursor drain(Cursor from, List<ChangeLogReader.Change> into) throws SQLException {
        try (Connection c = db.connection()) {
            Batch b = ChangeLogReader.readAfter(c, from, 1000);
            into.addAll(b.changes());
            return b.next();
        }
    }

    private static void insertGrid(Connection c, String code, double x) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO grid (code, name, community_code, street_code, geom) VALUES ('" + code
                    + "', 'g', '440105001101', '440105001', ST_Multi(ST_MakeEnvelope(" + x + ", 23.0, " + (x + 0.01)
                    + ", 23.01, 4326)))");
        }
    }

    @Test
    void aChangeCommittedOutOfOrderIsNeverSkipped() throws SQLException {
        List<ChangeLogReader.Change> seen = new java.util.ArrayList<>();
        Cursor cursor = drain(Cursor.START, seen);
        seen.clear();
        try (Connection slow = db.connection(); Connection fast = db.connection()) {
            slow.setAutoCommit(false);
            fast.setAutoCommit(false);
            insertGrid(slow, "44010500110101", 113.30);   // takes the smaller change-log id
            insertGrid(fast, "44010500110102", 113.32);   // larger id, commits first
            fast.commit();
            cursor = drain(cursor, seen);
            assertTrue(seen.isEmpty(), "nothing may be read while an older transaction is open: " + seen);
            slow.commit();
        }
        drain(cursor, seen);
        assertEquals(2, seen.size(), "both changes arrive once the fence passes: " + seen);
    }

    @Test
    void noOpUpdatesWriteNothingAndRealOnesBumpTheVersion() throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            insertGrid(c, "44010500110103", 113.34);
            long before = count(s, "SELECT count(*) FROM change_log");
            s.executeUpdate("UPDATE grid SET name = name WHERE code = '44010500110103'");
            assertEquals(before, count(s, "SELECT count(*) FROM change_log"), "a no-op update is not a change");
            s.executeUpdate("UPDATE grid SET name = '新名' WHERE code = '44010500110103'");
            assertEquals(2, count(s, "SELECT version FROM grid WHERE code = '44010500110103'"));
            assertEquals(before + 1, count(s, "SELECT count(*) FROM change_log"));
            s.executeUpdate("DELETE FROM grid WHERE code = '44010500110103'");
            assertEquals(3, count(s, "SELECT max(version) FROM change_log WHERE op = 'D'"), "tombstone carries the next version");
            assertEquals("440105", text(s, "SELECT origin FROM change_log ORDER BY id DESC LIMIT 1"));
        }
    }

    @Test
    void aBulkStatementIsLoggedInEntriesOfAThousandAndReadOnePerRecordAcrossPages() throws SQLException {
        List<ChangeLogReader.Change> seen = new java.util.ArrayList<>();
        Cursor cursor = drain(Cursor.START, seen);
        List<String> gids = new java.util.ArrayList<>();
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("""
                CREATE TABLE bulk_probe (n int, gid uuid NOT NULL DEFAULT gen_random_uuid(),
                    version bigint NOT NULL DEFAULT 1, origin text NOT NULL DEFAULT gridctl_origin(),
                    updated_at timestamptz NOT NULL DEFAULT now())""");
            s.execute("SELECT gridctl_track_changes('bulk_probe')");
            long entries = count(s, "SELECT count(*) FROM change_log");
            s.execute("INSERT INTO bulk_probe (n) SELECT generate_series(1, 2500)");
            assertEquals(entries + 3, count(s, "SELECT count(*) FROM change_log"), "1000 + 1000 + 500");
            assertEquals(2500, count(s, "SELECT count(*) FROM change_log_record WHERE table_name = 'bulk_probe'"));
            try (var rs = s.executeQuery("SELECT gid FROM bulk_probe ORDER BY n")) {
                while (rs.next()) {
                    gids.add(rs.getString(1));
                }
            }
            s.execute("UPDATE bulk_probe SET n = n + 1 WHERE n <= 1500");
            s.execute("DELETE FROM bulk_probe WHERE n = 2500");
            s.execute("DROP TABLE bulk_probe");
        }
        seen.clear();
        List<ChangeLogReader.Change> page;
        do {
            try (Connection c = db.connection()) {
                Batch b = ChangeLogReader.readAfter(c, cursor, 700);
                page = b.changes();
                seen.addAll(page);
                assertEquals(b.next(), Cursor.parse(b.next().toString()), "the cursor's text form round-trips");
                cursor = b.next();
            }
        } while (!page.isEmpty());
        List<String> inserted = seen.stream().filter(ch -> ch.op() == 'I').map(ch -> ch.recordGid().toString()).toList();
        assertEquals(gids, inserted, "every inserted record once, in the order written, across pages of 700");
        assertEquals(1500, seen.stream().filter(ch -> ch.op() == 'U' && ch.version() == 2).count());
        assertEquals(1, seen.stream().filter(ch -> ch.op() == 'D' && ch.version() == 2).count(),
                "a single-record statement logs one entry; the tombstone carries the next version");
    }

    @Test
    void anEntryNamesItsStreetTheStreetARecordLeftItsBaseAndThePeerItCameFrom() throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            s.execute("""
                INSERT INTO admin_area (code, level, name, parent_code, street_code, geom) VALUES
                ('440105002', 'street', '新港街道', '440105', '440105002', ST_Multi(ST_MakeEnvelope(113.2, 23.0, 113.5, 23.2, 4326))),
                ('440105002101', 'community', '新港社区', '440105002', '440105002', ST_Multi(ST_MakeEnvelope(113.2, 23.0, 113.5, 23.2, 4326)))""");
            insertGrid(c, "44010500110109", 113.40);
            s.execute("""
                INSERT INTO grid (code, name, community_code, street_code, geom) VALUES ('44010500210101', 'g2', '440105002101',
                '440105002', ST_Multi(ST_MakeEnvelope(113.42, 23.0, 113.43, 23.01, 4326)))""");
            s.execute("""
                INSERT INTO house (code, address, use, geom, grid_code, community_code, street_code)
                VALUES ('44010500110109000001', '测试路1号', '住宅', ST_SetSRID(ST_MakePoint(113.405, 23.005), 4326),
                        '44010500110109', '440105001101', '440105001')""");
            String house = "(SELECT gid FROM house WHERE code = '44010500110109000001')";
            // a house that moved into the next street: the entry names the street it is in now and the one it left
            s.execute("UPDATE house SET grid_code = '44010500210101', community_code = '440105002101', street_code = '440105002'"
                    + " WHERE code = '44010500110109000001'");
            String[] moved = row(s, "SELECT street_code, left_street, base_version, base_origin, version, from_peer FROM change_log"
                    + " WHERE record_gid = " + house + " AND op = 'U'");
            assertEquals(List.of("440105002", "440105001", "1", "440105", "2", "null"), List.of(moved));
            // a sync apply: the peer's version and origin are kept, and the entry says which peer it came from
            c.setAutoCommit(false);
            s.execute("SELECT set_config('gridctl.sync_peer', '440105002', true)");
            s.execute("UPDATE house SET address = '测试路2号', version = 7, origin = '440105002' WHERE code = '44010500110109000001'");
            c.commit();
            c.setAutoCommit(true);
            String[] applied = row(s, "SELECT h.version, h.origin, l.from_peer, l.left_street IS NULL, l.base_version FROM house h"
                    + " JOIN change_log l ON l.record_gid = h.gid AND l.version = h.version WHERE h.code = '44010500110109000001'");
            assertEquals(List.of("7", "440105002", "440105002", "t", "2"), List.of(applied));
            // the same version from another origin (the owner's copy replacing another's) is kept as written
            s.execute("UPDATE house SET address = '测试路3号', origin = '440105001' WHERE code = '44010500110109000001'");
            assertEquals(List.of("7", "440105001"), List.of(row(s, "SELECT version, origin FROM house WHERE code = '44010500110109000001'")));
            // a delete is a tombstone in the street the record was in
            s.execute("DELETE FROM house WHERE code = '44010500110109000001'");
            assertEquals(List.of("440105002", "8", "7"), List.of(row(s, """
                SELECT street_code, version, base_version FROM change_log WHERE op = 'D' ORDER BY txid DESC, id DESC LIMIT 1""")));
        }
    }

    private static String[] row(Statement s, String sql) throws SQLException {
        try (var rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), "no row for " + sql);
            String[] out = new String[rs.getMetaData().getColumnCount()];
            for (int i = 0; i < out.length; i++) {
                out[i] = String.valueOf(rs.getString(i + 1));
            }
            return out;
        }
    }

    @Test
    void rowLevelSecurityDeniesASessionWithoutScope() throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("SET LOCAL ROLE gridctl_app");
            assertEquals(0, count(s, "SELECT count(*) FROM grid"), "no scope set: nothing visible");
            s.execute("SELECT set_config('gridctl.scope_kind', 'street', true), set_config('gridctl.scope_code', '440105002', true)");
            assertEquals(0, count(s, "SELECT count(*) FROM grid"), "another street's grids are invisible");
            s.execute("SELECT set_config('gridctl.scope_code', '440105001', true)");
            assertTrue(count(s, "SELECT count(*) FROM grid") >= 1);
            c.rollback();
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(Statement s, String sql) throws SQLException {
        try (var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

package cn.haizhu.grid.importers.demo;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.codes.PhoneNumber;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One grid worker (网格员) per demo grid, with a deterministic name and phone, so dispatch has
 * someone to route to. Skipped when workers exist already.
 */
final class DemoWorkers {
    private static final String ANY_WORKER = SqlFile.load(DemoWorkers.class, "any_worker");
    private static final String GRIDS = SqlFile.load(DemoWorkers.class, "grids");
    private static final String INSERT_WORKER = SqlFile.load(DemoWorkers.class, "insert_worker");
    private static final String INSERT_DUTY = SqlFile.load(DemoWorkers.class, "insert_duty");

    private DemoWorkers() {
    }

    static void ensure(Connection c, PersonalDataCipher cipher) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(ANY_WORKER)) {
                rs.next();
                if (rs.getBoolean(1)) {
                    c.rollback();
                    return;
                }
            }
            List<String[]> grids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery(GRIDS)) {
                while (rs.next()) {
                    grids.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            SplittableRandom random = new SplittableRandom(2769);
            try (PreparedStatement worker = c.prepareStatement(INSERT_WORKER);
                 PreparedStatement duty = c.prepareStatement(
                         INSERT_DUTY)) {
                for (String[] g : grids) {
                    String name = Names.full(random, random.nextBoolean(), true);
                    String phone = "13" + (5 + random.nextInt(5)) + String.format("%08d", random.nextInt(100_000_000));
                    worker.setString(1, name);
                    worker.setBytes(2, cipher.encrypt(phone));
                    worker.setBytes(3, cipher.hash(phone));
                    worker.setString(4, PhoneNumber.mask(phone));
                    worker.setString(5, g[1]);
                    long id;
                    try (ResultSet rs = worker.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                    duty.setLong(1, id);
                    duty.setString(2, g[0]);
                    duty.addBatch();
                }
                duty.executeBatch();
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}

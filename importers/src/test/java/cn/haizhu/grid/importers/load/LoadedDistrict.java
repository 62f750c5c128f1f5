package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.codes.IdNumber;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataCipher;
import cn.haizhu.grid.importers.demo.DemoDataset;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/**
 * A fresh test database with the 1% demo district loaded, an importer on it, and one of its houses (its
 * code and location), as the import ITs start from.
 */
record LoadedDistrict(Database db, PersonalDataCipher cipher, Importer importer, String house, double[] houseAt) {
    /** A valid ID number from its first 17 digits. */
    static String id(String first17) {
        return first17 + IdNumber.checkChar(first17);
    }

    /** A text file of {@code lines} in {@code cs}, as an officer saved it. */
    static Path write(Path dir, String name, Charset cs, String... lines) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, List.of(lines), cs);
        return f;
    }

    static LoadedDistrict load(String database) throws Exception {
        PersonalDataCipher cipher = PersonalDataCipher.fromBase64(PersonalDataCipher.newKey());
        Database db = TestDatabases.fresh(database);
        new DemoDataset(0.01, 20240105L, TestDatabases.projectDir().resolve("var/test-data")).ensureLoaded(db, cipher);
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT code, ST_X(geom), ST_Y(geom) FROM house ORDER BY code LIMIT 1")) {
            rs.next();
            return new LoadedDistrict(db, cipher, new Importer(db, cipher), rs.getString(1),
                    new double[] {rs.getDouble(2), rs.getDouble(3)});
        }
    }
}

package cn.haizhu.grid.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.db.TestDatabases;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.data.users.UserAccounts;
import cn.haizhu.grid.importers.demo.DemoUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Demo logins (one shared, printed password) exist only in the demo database, and never on the network. */
class DemoAccountsIT {

    private static GridConfig config(Path dataDir, String host) {
        return GridConfig.load(TestDatabases.projectDir(), Map.of(
                "GRIDCTL_CONFIG", "/nonexistent",
                "GRIDCTL_DATA_DIR", dataDir.toString(),
                "GRIDCTL_DEMO_SCALE", "0.01",
                "GRIDCTL_HTTP_HOST", host,
                "GRIDCTL_DEMO_PASSWORD", "demo-Passw0rd"));
    }

    @Test
    void aDatabaseNamedByDbUrlNeverGetsDemoUsersOrDemoData() throws Exception {
        Path dataDir = Files.createTempDirectory("gridctl-demo-accounts-");
        try (Database db = TestDatabases.fresh("it_demo_accounts_external")) {
            GridConfig external = config(dataDir, "127.0.0.1").withDatabase(db.url(), db.user(), db.password());
            Main.Serve.prepare(external, db, PersonalDataKey.cipher(external));
            assertEquals(0, count(db, "SELECT count(*) FROM app_user"));
            assertEquals(0, count(db, "SELECT count(*) FROM grid"));
            try (Connection c = db.connection()) {
                assertThrows(IllegalStateException.class, () -> DemoUsers.ensure(c, "demo-Passw0rd", dataDir),
                        "demo users go only where the demo data set is");
            }
        }
    }

    @Test
    void aServerOthersCanReachRefusesToStartWhileAnAccountHasTheDemoPassword() throws Exception {
        Path dataDir = Files.createTempDirectory("gridctl-demo-accounts-");
        try (Database db = TestDatabases.fresh("it_demo_accounts_network")) {
            GridConfig loopback = config(dataDir, "127.0.0.1");
            Main.Serve.prepare(loopback, db, PersonalDataKey.cipher(loopback));   // the newcomer's demo: fine on loopback
            assertTrue(count(db, "SELECT count(*) FROM app_user") >= 7);

            GridConfig network = config(dataDir, "0.0.0.0");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> Main.Serve.prepare(network, db, PersonalDataKey.cipher(network)));
            assertTrue(refused.getMessage().contains("admin") && refused.getMessage().contains("officer"), refused.getMessage());

            // each account given its own password, or disabled: then it may listen on the network
            try (Connection c = db.connection()) {
                UserAccounts accounts = new UserAccounts(c);
                accounts.setPassword("admin", "Correct-horse-7-battery");
                for (String name : DemoUsers.stillOnPassword(c, "demo-Passw0rd")) {
                    accounts.setDisabled(name, true);
                }
            }
            Main.Serve.prepare(network, db, PersonalDataKey.cipher(network));
            assertEquals(1, count(db, "SELECT count(*) FROM app_user WHERE NOT disabled"), "the admin, with a password of its own");
        }
    }

    private static long count(Database db, String sql) throws Exception {
        try (Connection c = db.connection(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

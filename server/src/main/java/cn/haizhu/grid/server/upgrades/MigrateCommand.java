package cn.haizhu.grid.server.upgrades;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.Gridctl;
import cn.haizhu.grid.data.db.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code ./gridctl migrate}: brings the configured database's schema up to this release's migrations,
 * and nothing else. The step an upgrade runs once, before any instance of the new release starts
 * (the expand half of expand/contract: instances of the previous release keep serving the migrated
 * schema), for deployments whose instances do not migrate on start ({@code db.migrate.on.start=false}).
 * Refuses a database that a newer release migrated.
 */
@Command(name = "migrate", description = "Migrate the database to this release's schema (the first step of an upgrade), then exit.")
public final class MigrateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        GridConfig config = Gridctl.config();
        try (Database db = Database.open(config, false)) {
            String version = db.migrate();
            System.out.println("the schema is at version " + version + " (this release carries " + db.carriedVersions().size()
                    + " versioned migrations)");
        }
        return 0;
    }
}

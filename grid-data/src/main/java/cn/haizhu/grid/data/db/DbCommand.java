package cn.haizhu.grid.data.db;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.Gridctl;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./gridctl db start|stop|status|url|reset}: the embedded PostgreSQL cluster by hand. */
@Command(name = "db", description = "Manage the embedded PostgreSQL cluster.")
public final class DbCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "start | stop | status | url | reset")
    String action;

    @Override
    public Integer call() {
        GridConfig config = Gridctl.config();
        if (!config.embedded()) {
            System.err.println("gridctl: db.url is set (" + config.dbUrl() + "); the embedded cluster is not in use");
            return 2;
        }
        EmbeddedPostgres pg = cn.haizhu.grid.data.backup.WalArchiving.cluster(config);
        switch (action) {
            case "start" -> {
                pg.start(config.embeddedDatabase());
                System.out.println("running: " + pg.clusterDir() + " on 127.0.0.1:" + pg.port());
            }
            case "stop" -> pg.stop(true);
            case "status" -> System.out.println((pg.isRunning() ? "running: " : "stopped: ") + pg.clusterDir()
                    + " port " + pg.port());
            case "url" -> System.out.println(pg.jdbcUrl(config.embeddedDatabase()) + " user " + EmbeddedPostgres.SUPERUSER
                    + " (password in " + pg.clusterDir() + ".password)");
            case "reset" -> {
                pg.start("postgres");
                pg.dropDatabase(config.embeddedDatabase());
                pg.stop(true);
                System.out.println("dropped database " + config.embeddedDatabase()
                        + "; the next ./gridctl run recreates it and loads the demo data again");
            }
            default -> {
                System.err.println("gridctl db: unknown action '" + action + "' (start, stop, status, url, reset)");
                return 2;
            }
        }
        return 0;
    }
}

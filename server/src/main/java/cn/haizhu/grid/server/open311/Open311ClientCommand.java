package cn.haizhu.grid.server.open311;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.config.Gridctl;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.server.CommandCenter;
import cn.haizhu.grid.server.http.ApiError;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./gridctl open311-client add|list|revoke}: an administrator issues and revokes the keys of
 * outside systems from the shell of the server, as the database owner, through the same
 * {@link Open311Clients} the administrators' API uses.
 */
@Command(name = "open311-client", description = "Open311 client keys: add NAME --as USER (prints the key, once), list, revoke NAME.")
public final class Open311ClientCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "add | list | revoke")
    String action;

    @Parameters(index = "1", arity = "0..1", description = "the client application's name (a-z, 0-9, . _ -)")
    String name;

    @Option(names = "--as", description = "add: the user the client acts as, for routing and data scope (e.g. peer)")
    String actAs;

    @Override
    public Integer call() {
        if (!Set.of("add", "list", "revoke").contains(action) || (name == null) != action.equals("list")
                || (actAs != null) != action.equals("add")) {
            System.err.println("gridctl open311-client: add NAME --as USER | list | revoke NAME");
            return 2;
        }
        GridConfig config = Gridctl.config();
        try (Database db = Database.open(config)) {
            Vertx vertx = Vertx.vertx();
            Pool pool = PgBuilder.pool()
                    .connectingTo(CommandCenter.ownerOptions(db)).using(vertx).build();
            try {
                return run(new Open311Clients(pool, pool));
            } finally {
                pool.close().await();
                vertx.close().await();
            }
        }
    }

    private int run(Open311Clients clients) {
        switch (action) {
            case "add" -> {
                Open311Clients.Issued issued;
                try {
                    issued = clients.create(name, actAs, "gridctl:" + System.getProperty("user.name")).await();
                } catch (ApiError e) {
                    System.err.println("gridctl open311-client: " + e.getMessage());
                    return 2;
                }
                var c = issued.client();
                System.out.printf("Open311 client %s acts as %s (%s, %s %s).%n", c.getString("name"), c.getString("actAs"),
                        c.getString("role"), c.getJsonObject("scope").getString("kind"), c.getJsonObject("scope").getString("code"));
                System.out.println("Its key, shown this once (only a hash is kept): " + issued.key());
            }
            case "list" -> {
                System.out.printf("%-24s %-20s %-28s %-28s %s%n", "name", "acts as", "created", "last used", "revoked");
                for (Object o : clients.list().await()) {
                    var c = (JsonObject) o;
                    System.out.printf("%-24s %-20s %-28s %-28s %s%n", c.getString("name"), c.getString("actAs"),
                            c.getString("createdAt"), Objects.toString(c.getString("lastUsedAt"), "-"),
                            Objects.toString(c.getString("revokedAt"), "-"));
                }
            }
            default -> {
                if (!clients.revoke(name).await()) {
                    System.err.println("gridctl open311-client: no live client named " + name);
                    return 1;
                }
                System.out.println("revoked " + name + ": its key stops working within seconds on every server");
            }
        }
        return 0;
    }
}

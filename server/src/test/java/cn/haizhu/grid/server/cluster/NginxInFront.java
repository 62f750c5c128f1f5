package cn.haizhu.grid.server.cluster;

import java.nio.file.Path;

/**
 * nginx in front of two server instances for tests outside this package (the drill of an instance
 * that dies under load): the very configuration {@code ./gridctl cluster up} writes ({@link Nginx},
 * {@code nginx.conf}), started and stopped the same way. Its database entry is there because the
 * configuration has one; the tests' instances do not use it. A shutdown hook stops nginx if the
 * test JVM ends first.
 */
public final class NginxInFront implements AutoCloseable {
    private final Nginx nginx;
    private final ProcessHandle master;
    private final Thread stopper;
    /** The one HTTP entry, {@code http://127.0.0.1:<port>}. */
    public final String url;

    private NginxInFront(Nginx nginx, ProcessHandle master, String url) {
        this.nginx = nginx;
        this.master = master;
        this.url = url;
        this.stopper = new Thread(() -> nginx.stop(master), "stop-nginx");
        Runtime.getRuntime().addShutdownHook(stopper);
    }

    /**
     * Writes the cluster's configuration into {@code dir} (or where {@link Nginx#forCluster} moves it)
     * for nginx on {@code port} in front of the instances on {@code instance1} and {@code instance2},
     * with its database entry on {@code dbEntry} passing to {@code dbPort}, and starts it.
     */
    public static NginxInFront start(Path dir, int port, int instance1, int instance2, int dbEntry, int dbPort) throws Exception {
        Nginx nginx = Nginx.forCluster(dir);
        nginx.master().ifPresent(nginx::stop); // one left over from a run that was killed
        nginx.write(new Nginx.Ports(port, instance1, instance2, dbEntry, dbPort));
        return new NginxInFront(nginx, nginx.start(), "http://127.0.0.1:" + port);
    }

    /** nginx's error log (an upstream it gave up on is there). */
    public Path errorLog() {
        return nginx.errorLog();
    }

    @Override
    public void close() {
        nginx.stop(master);
        try {
            Runtime.getRuntime().removeShutdownHook(stopper);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook runs anyway
        }
    }
}

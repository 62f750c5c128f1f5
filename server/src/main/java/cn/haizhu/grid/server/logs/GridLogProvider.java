package cn.haizhu.grid.server.logs;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.simple.SimpleLoggerFactory;
import org.slf4j.simple.SimpleServiceProvider;

/**
 * slf4j-simple's provider, with loggers that write JSON lines once {@link #useJson} says so. The
 * server's jar holds both this and slf4j-simple's own provider; {@code slf4j.provider} names this one
 * ({@link #select}, first thing in {@code Main}, and the test plugins' system properties), so SLF4J
 * neither guesses between them nor warns.
 */
public final class GridLogProvider extends SimpleServiceProvider {
    private static volatile boolean json;
    private ILoggerFactory factory;

    /** Makes this the SLF4J provider of the JVM, unless one is named already; before the first logger. */
    public static void select() {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", GridLogProvider.class.getName());
        }
    }

    /**
     * Switches every logger of the JVM to JSON lines (true) or back to text. Refuses when SLF4J is
     * bound to another provider, where the switch would silently do nothing.
     */
    public static void useJson(boolean on) {
        if (on && !(LoggerFactory.getILoggerFactory() instanceof Factory)) {
            throw new IllegalStateException("log.format=json needs the server's log provider: run with -Dslf4j.provider="
                    + GridLogProvider.class.getName() + " (the gridctl launcher does)");
        }
        json = on;
    }

    static boolean json() {
        return json;
    }

    @Override
    public void initialize() {
        super.initialize();
        factory = new Factory();
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    /** slf4j-simple's factory, making {@link GridLogger}s. */
    static final class Factory extends SimpleLoggerFactory {
        @Override
        protected org.slf4j.Logger createLogger(String name) {
            return new GridLogger(name);
        }
    }
}

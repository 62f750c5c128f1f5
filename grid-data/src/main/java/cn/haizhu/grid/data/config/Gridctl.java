package cn.haizhu.grid.data.config;

import java.nio.file.Path;
import picocli.CommandLine;

/**
 * What the two jars behind {@code ./gridctl} share: the server's ({@code serve}, {@code user},
 * {@code pii-key}, {@code open311-client}) and the importers' ({@code import}, {@code generate},
 * {@code demo-cases}, {@code db}). Both read the configuration of the project the launcher names,
 * and both answer a refusal the same way, so a user cannot tell which jar ran a command.
 */
public final class Gridctl {
    private Gridctl() {
    }

    /** The configuration of the project the launcher passed as {@code -Dgridctl.home} (else the working folder). */
    public static GridConfig config() {
        return GridConfig.load(Path.of(System.getProperty("gridctl.home", ".")).toAbsolutePath().normalize());
    }

    /**
     * Runs {@code args} on {@code cli} and returns the exit code. A configuration error or a refusal
     * ({@link IllegalStateException}) is one line, {@code gridctl: <message>}, and exit code 2, not a
     * stack trace; anything else is a bug and keeps its trace.
     */
    public static int execute(CommandLine cli, String... args) {
        System.setProperty("java.awt.headless", "true");   // photo thumbnails use Java2D; a server or an ssh shell has no display
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof GridConfig.ConfigException || e instanceof IllegalStateException) {
                cmd.getErr().println("gridctl: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }
}

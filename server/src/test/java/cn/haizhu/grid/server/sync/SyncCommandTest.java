package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SyncCommandTest {

    /** The command line as the launcher runs it, its error output kept. */
    private static int run(StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new SyncCommand());
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void verifyRefusesATableOrStreetItDoesNotKnowBeforeItReadsAnything() {
        // exit code 2, as for a peer that cannot be asked; 1 means "differs", never a bad argument
        for (String[] args : new String[][] {{"verify", "440105", "--table", "app_user"}, {"verify", "440105", "--street", "4401"},
                {"verify", "440105", "--list", "-1"}, {"verify", "440105", "--list", "many"}, {"verify"}}) {
            assertEquals(2, run(new StringWriter(), args), String.join(" ", args));
        }
    }
}

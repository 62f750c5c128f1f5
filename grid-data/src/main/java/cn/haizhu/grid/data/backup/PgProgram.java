package cn.haizhu.grid.data.backup;

import cn.haizhu.grid.data.db.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run of a PostgreSQL client program of the embedded cluster's version (pg_basebackup,
 * pg_verifybackup, pg_controldata), as this user: client programs need no postgres user, and what
 * they write stays ours. A failure is a refusal with the program's own last words.
 */
final class PgProgram {
    private PgProgram() {
    }

    /** Runs {@code program} with {@code args} (and {@code env} added), returns its output; non-zero exit is an error. */
    static String run(String program, List<String> args, Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(EmbeddedPostgres.tool(program).toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IllegalStateException(program + " failed (exit " + rc + "): " + lastLines(out));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + program + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(program + " was interrupted", e);
        }
    }

    static String lastLines(String out) {
        List<String> lines = out.strip().lines().toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
}

package cn.haizhu.grid.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cn.haizhu.grid.data.db.TestDatabases;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's first command as most people meet it: an ordinary user, not root and without sudo,
 * clones the repository and runs {@code ./gridctl run}. CI runs as root and would never see that
 * path, so this test makes a throwaway unprivileged user, lets that user clone and run the project
 * on ports of its own with a 1% demo until {@code /health} answers, stops it as Ctrl-C would, and
 * removes the user and everything it made.
 *
 * <p>The user's Maven and npm caches are seeded with copies of the caller's, so the test measures
 * the launcher and not a download of the internet; the build itself runs as the user. Runs only as
 * root (creating a user needs it); elsewhere it is skipped.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class NewcomerRunIT {
    /** An ordinary user's PATH on Debian: no /usr/sbin, no /sbin. */
    private static final String USER_PATH = "/usr/local/bin:/usr/bin:/bin";
    private static final Duration READY_WITHIN = Duration.ofMinutes(8);

    private static String user;
    private static Path home;

    @BeforeAll
    static void makeAThrowawayUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "creating a throwaway user needs root");
        Path project = TestDatabases.projectDir();
        assumeTrue(Files.isDirectory(project.resolve(".git")), "the project is not a git checkout");
        user = "gridnew" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        home = Path.of("/home", user);
        root("/usr/sbin/useradd", "--create-home", "--home-dir", home.toString(), "--shell", "/bin/bash",
                "--user-group", user);
        // What the user clones: a bare copy of this checkout's history, theirs to read.
        root("git", "clone", "-q", "--bare", project.toString(), home.resolve("origin.git").toString());
        seedCache(Path.of(System.getProperty("user.home"), ".m2", "repository"), home.resolve(".m2/repository"));
        seedCache(Path.of(System.getProperty("user.home"), ".npm"), home.resolve(".npm"));
        // The project's own artifacts are built by the user, never taken from the caller's cache.
        root("rm", "-rf", home.resolve(".m2/repository/cn/haizhu").toString());
        root("chown", "-R", user + ":" + user, home.toString());
    }

    @AfterAll
    static void removeTheUser() throws Exception {
        if (user == null) {
            return;
        }
        runQuietly("/usr/bin/pkill", "-TERM", "-u", user);
        waitUntilNoProcessOf(user, Duration.ofSeconds(30));
        runQuietly("/usr/bin/pkill", "-KILL", "-u", user);
        waitUntilNoProcessOf(user, Duration.ofSeconds(10));
        runQuietly("/usr/sbin/userdel", "--remove", "--force", user);
        runQuietly("rm", "-rf", home.toString());
    }

    @Test
    void anOrdinaryUserClonesAndRunsTheCommandCenter() throws Exception {
        asUser(Duration.ofMinutes(2), "git", "clone", "-q", home.resolve("origin.git").toString(),
                home.resolve("gridctl").toString());
        int httpPort = FreePorts.one();
        int dbPort = FreePorts.one();
        Path log = home.resolve("run.log");
        Process run = new ProcessBuilder(userCommand(
                "GRIDCTL_HTTP_PORT=" + httpPort, "GRIDCTL_DB_EMBEDDED_PORT=" + dbPort,
                "GRIDCTL_DEMO_SCALE=0.01", "GRIDCTL_JAVA_OPTS=-Xmx512m",
                "bash", "-c", "cd ~/gridctl && exec ./gridctl run"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Instant deadline = Instant.now().plus(READY_WITHIN);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> health = null;
            while (Instant.now().isBefore(deadline)) {
                if (!run.isAlive()) {
                    fail("./gridctl run stopped (exit " + run.exitValue() + ") before /health answered:\n" + tail(log));
                }
                try {
                    health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (health.statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(1000);
            }
            assertTrue(health != null && health.statusCode() == 200,
                    "/health did not answer 200 within " + READY_WITHIN + ":\n" + tail(log));
            assertTrue(health.body().contains("\"database\""), health.body());
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertFalse(output.contains("need root"), output);
            assertFalse(output.contains("apt-get"), "nothing was missing, yet the launcher went for apt-get:\n" + output);
            assertTrue(output.contains("Ready in"), output);

            // Ctrl-C: the server stops, and with it the database it started.
            root("/usr/bin/pkill", "-INT", "-u", user, "-f", "gridctl.jar serve");
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the server did not stop on SIGINT:\n" + tail(log));
            assertTrue(waitUntilNoProcessOf(user, Duration.ofSeconds(30)),
                    "processes of the user remain after the server stopped: " + processesOf(user));
        } finally {
            run.destroyForcibly();
        }
    }

    /** Copies a cache of the caller's into the user's home (hard links would leave the files root's). */
    private static void seedCache(Path from, Path to) throws Exception {
        if (Files.isDirectory(from)) {
            root("mkdir", "-p", to.getParent().toString());
            root("cp", "-r", from.toString(), to.toString());
        }
    }

    private static List<String> userCommand(String... envAndCommand) {
        List<String> cmd = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", user, "--", "env", "-i",
                "HOME=" + home, "USER=" + user, "LOGNAME=" + user, "PATH=" + USER_PATH, "LANG=C.UTF-8", "TERM=dumb"));
        cmd.addAll(List.of(envAndCommand));
        return cmd;
    }

    private static void asUser(Duration limit, String... command) throws Exception {
        String out = exec(userCommand(command), limit);
        if (out != null) {
            fail("as " + user + ": " + String.join(" ", command) + " failed:\n" + out);
        }
    }

    private static void root(String... command) throws Exception {
        String out = exec(List.of(command), Duration.ofMinutes(2));
        if (out != null) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        }
    }

    private static void runQuietly(String... command) {
        try {
            exec(List.of(command), Duration.ofMinutes(1));
        } catch (Exception ignored) {
            // cleaning up: the next step still runs
        }
    }

    /** Runs a command; null when it succeeded, else its output. */
    private static String exec(List<String> command, Duration limit) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            return "timed out after " + limit;
        }
        return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + new String(out, StandardCharsets.UTF_8);
    }

    private static String processesOf(String name) {
        try {
            Process p = new ProcessBuilder("/usr/bin/pgrep", "-a", "-u", name).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor();
            return out;
        } catch (Exception e) {
            return "(pgrep failed: " + e.getMessage() + ")";
        }
    }

    private static boolean waitUntilNoProcessOf(String name, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (processesOf(name).isEmpty()) {
                return true;
            }
            Thread.sleep(500);
        }
        return processesOf(name).isEmpty();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}

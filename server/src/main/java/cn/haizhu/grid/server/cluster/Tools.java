package cn.haizhu.grid.server.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The system programs the cluster runs (nginx, runuser, setsid), found where Debian puts them and
 * not only on PATH: an ordinary user's PATH has no /usr/sbin, where nginx and runuser live; and the
 * one way its processes are stopped.
 */
final class Tools {
    private static final List<String> DIRS = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin");

    private Tools() {
    }

    static Optional<String> find(String name) {
        return DIRS.stream().map(d -> Path.of(d, name)).filter(Files::isExecutable).map(Path::toString).findFirst();
    }

    /** Waits for a process that was asked to stop; kills it (SIGKILL) when it has not stopped within {@code within}. */
    static void awaitExit(ProcessHandle p, java.time.Duration within) {
        try {
            p.onExit().get(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            p.destroyForcibly();
            p.onExit().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    static String require(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException(name + " is missing; ./gridctl setup installs it"));
    }
}

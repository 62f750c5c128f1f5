package cn.haizhu.grid.server.sync;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Convergence under faults (issue 15, "Prove it"): city, district and two streets as four real
 * server processes, every link through a fault proxy; two minutes of random edits on all four
 * while nodes are killed mid-batch, PostgreSQL restarts under them and the proxies cut, delay,
 * duplicate and reorder; then, once the faults stop, the nodes must agree within three minutes and
 * every check of {@link ConvergenceHarness} must hold. {@code bench/soak-sync} runs the same for
 * half an hour (SOAK_MINUTES); SOAK_SEED replays a seed.
 *
 */
class ConvergenceIT {
    @Test
    void afterTheFaultsStopEveryNodeAgreesAndNothingIsLost() {
        ConvergenceHarness.Settings settings = ConvergenceHarness.Settings.fromEnvironment();
        Duration budget = settings.chaos().plus(settings.convergeWithin().multipliedBy(2)).plus(Duration.ofMinutes(6));
        assertTimeoutPreemptively(budget, () -> {
            try (ConvergenceHarness harness = new ConvergenceHarness(settings)) {
                Duration firstSync = harness.up();
                harness.chaos();
                Duration healed = harness.converge();
                List<ConvergenceHarness.Check> checks = harness.check();
                StringBuilder report = new StringBuilder("\n=== convergence under faults ===\n")
                        .append(String.format(Locale.ROOT, "four nodes up, their first sync agreeing, in %.1f s%n", firstSync.toMillis() / 1000.0))
                        .append(harness.summary()).append('\n')
                        .append(healed == null ? "the nodes did NOT agree within " + settings.convergeWithin().toSeconds() + " s"
                                : String.format(Locale.ROOT, "agreed %.1f s after the faults stopped", healed.toMillis() / 1000.0))
                        .append('\n');
                for (ConvergenceHarness.Check c : checks) {
                    report.append(c.ok() ? "  [ok]   " : "  [FAIL] ").append(c.name()).append('\n');
                    if (!c.ok()) {
                        report.append("         ").append(c.detail().replace("\n", "\n         ")).append('\n');
                    }
                }
                System.out.println(report);
                assertNotNull(healed, report.toString());
                assertTrue(checks.stream().allMatch(ConvergenceHarness.Check::ok), report.toString());
            }
        });
    }
}

package cn.haizhu.grid.importers.demo;

import cn.haizhu.grid.data.config.Gridctl;
import cn.haizhu.grid.data.db.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./gridctl demo-cases}: years of case history for the KPI panels, made or removed in bulk (CaseHistory). */
@Command(name = "demo-cases", description = "Add three years of case history (KPI facts, no event history) to the demo district.")
public final class DemoCasesCommand implements Callable<Integer> {
    @Option(names = "--count", defaultValue = "1000000", description = "cases to make (default 1,000,000: about three years of Haizhu)")
    long count;

    @Option(names = "--seed", defaultValue = "20240105")
    long seed;

    @Option(names = "--remove", description = "remove the history made before, instead of adding")
    boolean remove;

    @Override
    public Integer call() throws Exception {
        try (Database db = Database.open(Gridctl.config())) {
            long t0 = System.nanoTime();
            if (remove) {
                System.out.println("removed " + CaseHistory.remove(db) + " historical cases");
                return 0;
            }
            try (var c = db.connection()) {
                long existing = CaseHistory.count(c);
                if (existing > 0) {
                    System.err.println("gridctl: " + existing + " historical cases exist already; --remove them first");
                    return 2;
                }
            }
            long made = CaseHistory.make(db, count, seed);
            System.out.printf("made %,d historical cases in %.1f s%n", made, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}

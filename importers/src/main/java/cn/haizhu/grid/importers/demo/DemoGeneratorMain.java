package cn.haizhu.grid.importers.demo;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs the {@link DemoGenerator} by hand: {@code DemoGeneratorMain dir [scale] [seed]}, scale 1.0
 * and seed {@value DemoGenerator#DEFAULT_SEED} by default. Prints what was written and how long it
 * took.
 */
public final class DemoGeneratorMain {
    private DemoGeneratorMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: DemoGeneratorMain dir [scale (default 1.0)] [seed (default " + DemoGenerator.DEFAULT_SEED + ")]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        double scale = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : DemoGenerator.DEFAULT_SEED;
        long t0 = System.nanoTime();
        DemoManifest manifest = new DemoGenerator(scale, seed).writeTo(dir);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println(manifest);
        for (Path f : manifest.files()) {
            System.out.println("  " + f + "  " + java.nio.file.Files.size(f) + " bytes");
        }
        System.out.println("generated in " + ms / 1000 + "." + (ms % 1000) / 100 + " s");
    }
}

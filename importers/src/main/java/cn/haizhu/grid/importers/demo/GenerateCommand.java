package cn.haizhu.grid.importers.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./gridctl generate DIR}: the demo district's files, as a data officer would receive them, without loading them. */
@Command(name = "generate", description = "Write the Haizhu demo data set files (GeoJSON + CSV) into a folder.")
public final class GenerateCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "output folder")
    Path dir;

    @Option(names = "--scale", defaultValue = "1.0", description = "1.0 = Haizhu scale (default)")
    double scale;

    @Option(names = "--seed", defaultValue = "20240105")
    long seed;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(dir);
        System.out.println(new DemoGenerator(scale, seed).writeTo(dir));
        System.out.printf("generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}

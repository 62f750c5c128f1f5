package cn.haizhu.grid.importers.cli;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.importers.load.Dataset;
import cn.haizhu.grid.importers.load.ImportRequest;
import cn.haizhu.grid.importers.load.ImportResult;
import cn.haizhu.grid.importers.load.Importer;
import cn.haizhu.grid.importers.load.ValueMapping;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gridctl import <dataset> <file>}: a data officer's bulk import from the shell, with a
 * progress bar (rows, rows/s, ETA, rejected so far) and a CSV of every rejected row and warning.
 * Exit codes: 0 loaded (or dry run), 1 aborted by --max-errors, 2 refused (file or columns unusable).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import grids, houses, persons or enterprises from CSV, XLSX, GeoJSON, GeoPackage, Shapefile (.shp/.zip) or FlatGeobuf.")
public final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "grids | houses | persons | enterprises")
    String dataset;

    @Parameters(index = "1", description = "the file")
    Path file;

    @Option(names = "--encoding", description = "text encoding of CSV/DBF (UTF-8, GBK, GB18030); detected when omitted")
    String encoding;

    @Option(names = "--crs", description = "coordinate system when the file declares none: EPSG:4326 (default), EPSG:4490, EPSG:4526, EPSG:4547, EPSG:3857, GCJ-02, BD-09")
    String crs;

    @Option(names = "--sheet", description = "XLSX sheet or GeoPackage layer (default: the first)")
    String sheet;

    @Option(names = "--map", description = "field=column for headers the importer does not know, e.g. --map id_number=证件号")
    Map<String, String> map = new LinkedHashMap<>();

    @Option(names = "--mapping", description = "a properties file of field=column lines (UTF-8)")
    Path mappingFile;

    @Option(names = "--map-values", paramLabel = "FIELD=FROM:TO[,FROM:TO…]",
            description = "read a word of the file as another before checking, e.g. --map-values use=商住:住宅,车棚:其他 (repeatable)")
    List<String> mapValues = new ArrayList<>();

    @Option(names = "--dry-run", description = "validate and report; write nothing")
    boolean dryRun;

    @Option(names = "--max-errors", description = "abort with nothing applied beyond N rejected rows or P%% of rows (default: no limit)")
    String maxErrors;

    @Option(names = "--rejects", description = "where to write the rejected rows CSV (default: <data dir>/imports/<job>-rejects.csv)")
    Path rejects;

    @Option(names = "--as", description = "who runs the import (recorded with the job)", defaultValue = "${sys:user.name}")
    String submittedBy;

    private final Supplier<GridConfig> config;

    public ImportCommand(Supplier<GridConfig> config) {
        this.config = config;
    }

    @Override
    public Integer call() throws Exception {
        Dataset ds = Dataset.of(dataset).orElse(null);
        if (ds == null) {
            System.err.println("gridctl import: dataset must be grids, houses, persons or enterprises, got '" + dataset + "'");
            return 2;
        }
        Map<String, String> mapping = new LinkedHashMap<>();
        if (mappingFile != null) {
            java.util.Properties p = new java.util.Properties();
            try (var in = Files.newBufferedReader(mappingFile, StandardCharsets.UTF_8)) {
                p.load(in);
            }
            p.stringPropertyNames().forEach(k -> mapping.put(k.strip(), p.getProperty(k).strip()));
        }
        mapping.putAll(map);
        ImportRequest.MaxErrors limit;
        Charset charset;
        ValueMapping values;
        try {
            values = ValueMapping.parse(mapValues);
            limit = maxErrors == null ? ImportRequest.MaxErrors.NONE : ImportRequest.MaxErrors.parse(maxErrors);
            charset = encoding == null ? null : Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            System.err.println("gridctl import: " + e.getMessage());
            return 2;
        }
        GridConfig cfg = config.get();
        try (Database db = Database.open(cfg);
             ProgressBar bar = new ProgressBarBuilder().setTaskName(ds.code()).setInitialMax(1000)
                     .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build()) {
            Importer importer = new Importer(db, PersonalDataKey.cipher(cfg));
            ImportRequest req = new ImportRequest(ds, file, charset, crs, sheet, mapping, values, dryRun, limit, submittedBy,
                    null);
            ImportResult result;
            long started = System.nanoTime();
            try {
                result = importer.run(req, (phase, read, rejected, fraction) -> {
                    if (fraction >= 0) {
                        bar.stepTo(Math.round(fraction * 1000));
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    bar.setExtraMessage(String.format("%s %,d rows (%,.0f rows/s), %,d rejected", phase, read,
                            seconds > 0 ? read / seconds : 0, rejected));
                });
                bar.stepTo(1000);
            } catch (Importer.ImportRefused e) {
                bar.close();
                System.err.println("gridctl import: refused, nothing loaded: " + e.getMessage());
                return 2;
            }
            bar.close();
            System.out.println(result);
            if (result.rejected() + result.warned() > 0 && result.jobId() != null) {
                Path out = rejects != null ? rejects : cfg.dataDir().resolve("imports").resolve(result.jobId() + "-rejects.csv");
                Files.createDirectories(out.toAbsolutePath().getParent());
                try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                    importer.writeRejects(result.jobId(), w);
                }
                System.out.println("rejected rows, warnings and reasons: " + out);
            }
            return "aborted".equals(result.status()) ? 1 : 0;
        }
    }
}

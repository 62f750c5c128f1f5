package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.users.DataScope;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./gridctl export COLLECTION FILE [--street CODE] [--format F] [--encoding GBK|UTF-8] [--crs EPSG:4490]}:
 * a collection of this node, whole or one street, into a file an officer can hand on; the format from
 * the file's extension unless named. It reads as the request role over this node's whole area (the
 * scope of the node's administrators), under row-level security like any read.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a collection (streets, communities, grids, houses, enterprises, cases) as GeoPackage, "
                + "zipped Shapefile, CSV, XLSX or GeoJSON.")
public final class ExportCommand implements Callable<Integer> {
    private static final Pattern STREET = Pattern.compile("\\d{9}");

    private final Supplier<GridConfig> config;

    @Parameters(index = "0", description = "streets, communities, grids, houses, enterprises or cases")
    String collection;

    @Parameters(index = "1", description = "the file to write (.gpkg, .zip = Shapefile, .csv, .xlsx, .geojson)")
    Path file;

    @Option(names = "--street", description = "only this street (9-digit code)")
    String street;

    @Option(names = "--filter", description = "a CQL2 text filter over the collection's queryables")
    String filter;

    @Option(names = "--format", description = "gpkg, shp, csv, xlsx or geojson (default: from the file's extension)")
    String format;

    @Option(names = "--encoding", description = "text encoding of a Shapefile's DBF: GBK (default) or UTF-8")
    String encoding;

    @Option(names = "--crs", description = "the coordinate system the file declares: EPSG:4326 (default) or EPSG:4490 (CGCS2000)")
    String crs;

    public ExportCommand(Supplier<GridConfig> config) {
        this.config = config;
    }

    @Override
    public Integer call() throws Exception {
        ExportCollection c = ExportCollection.byCode(collection).orElseThrow(() -> new IllegalStateException(
                "unknown collection '" + collection + "': one of " + String.join(", ", ExportCollection.codes())));
        ExportFormat f = (format != null ? ExportFormat.byCode(format) : ExportFormat.ofFileName(file.getFileName().toString()))
                .orElseThrow(() -> new IllegalStateException(format != null
                        ? "unknown format '" + format + "': one of " + String.join(", ", ExportFormat.codes())
                        : "cannot tell the format from '" + file.getFileName() + "': name it with --format ("
                                + String.join(", ", ExportFormat.codes()) + ")"));
        if (street != null && !STREET.matcher(street).matches()) {
            throw new IllegalStateException("--street takes a street code of 9 digits, not '" + street + "'");
        }
        Charset dbf = encoding == null ? null : ExportCrs.dbfCharset(encoding)
                .orElseThrow(() -> new IllegalStateException("--encoding is GBK or UTF-8, not '" + encoding + "'"));
        ExportCrs declared = crs == null ? null : ExportCrs.byName(crs)
                .orElseThrow(() -> new IllegalStateException("--crs is EPSG:4326 or EPSG:4490 (CGCS2000), not '" + crs + "'"));
        if (filter != null) {
            // the seam is ExportRequest.Condition; the CQL2 translator (features/filter) fills it
            throw new IllegalStateException("--filter (CQL2) is not available in this build yet: use --street");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalStateException("no such folder: " + parent);
        }
        GridConfig cfg = config.get();
        String node = cfg.nodeCode();
        DataScope scope = node.length() == 9 ? DataScope.street(node) : DataScope.district(node);
        ExportRequest request = new ExportRequest(c, f, new ExportRequest.Reader("gridctl export", scope, null),
                street, null, declared, dbf);
        long t0 = System.nanoTime();
        long rows;
        try (Database db = Database.open(cfg)) {
            rows = new Exporter(db).toFile(request, file);
        }
        System.out.printf("%,d %s → %s (%s) in %.1f s%n", rows, c.code(), file, f.code(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}

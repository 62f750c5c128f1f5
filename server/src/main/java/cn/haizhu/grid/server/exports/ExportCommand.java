package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.data.config.GridConfig;
import cn.haizhu.grid.data.db.Database;
import cn.haizhu.grid.data.people.PersonalDataKey;
import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.server.features.filter.FilterException;
import cn.haizhu.grid.server.people.Disclosure;
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
 * {@code ./gridctl export COLLECTION FILE [--street CODE] [--filter CQL2 [--filter-crs URI]] [--format F]
 * [--encoding GBK|UTF-8] [--crs EPSG:4490] [--unmask --purpose TEXT]}: a collection of this node, whole,
 * one street or what a CQL2 filter selects, into a file an officer can hand on; the format from the
 * file's extension unless named. It reads as the request role over this node's whole area (the scope of
 * the node's administrators), under row-level security like any read. It runs as the node's operator,
 * who holds the personal-data key anyway: persons leave masked unless {@code --unmask} with a purpose,
 * and every export is in the personal-data audit like one over HTTP (role {@code operator}, the system
 * user's name). Everything it is told is checked before the database is opened or a file is made.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a collection (streets, communities, grids, houses, enterprises, cases, persons) as GeoPackage, "
                + "zipped Shapefile, CSV, XLSX or GeoJSON.")
public final class ExportCommand implements Callable<Integer> {
    private static final Pattern STREET = Pattern.compile("\\d{9}");
    /** The audit's name for the command line's reader: the system user, marked so no account can be taken for it. */
    static final String OPERATOR_PREFIX = "gridctl:";

    private final Supplier<GridConfig> config;

    @Parameters(index = "0", description = "streets, communities, grids, houses, enterprises, cases or persons")
    String collection;

    @Parameters(index = "1", description = "the file to write (.gpkg, .zip = Shapefile, .csv, .xlsx, .geojson)")
    Path file;

    @Option(names = "--street", description = "only this street (9-digit code)")
    String street;

    @Option(names = "--filter", description = "a CQL2 text filter over the collection's queryables "
            + "(as /collections/{id}/queryables lists them; persons: house_code, grid_code, community_code, street_code, "
            + "id_type, gender, household_type, updated_at, geometry)")
    String filter;

    @Option(names = "--filter-crs", description = "the CRS of the filter's geometry literals (default "
            + "http://www.opengis.net/def/crs/OGC/1.3/CRS84, longitude first)")
    String filterCrs;

    @Option(names = "--unmask", description = "persons only: ID numbers and phones in full, birth dates and tags (needs --purpose; audited)")
    boolean unmask;

    @Option(names = "--purpose", description = "why (查询事由, 2-200 characters), kept in the personal-data audit; required with --unmask")
    String purpose;

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
        if (unmask && !c.personal()) {
            throw new IllegalStateException("--unmask applies to persons only: " + c.code() + " hold no masked personal data");
        }
        Disclosure disclosure = Disclosure.operator(unmask, purpose);
        ExportRequest.Condition condition;
        try {
            condition = ExportFilter.of(c, filter, filterCrs);
        } catch (FilterException e) {
            throw new IllegalStateException(e.getMessage());   // "filter: at position 12 expected … but found …"
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new IllegalStateException("no such folder: " + parent);
        }
        GridConfig cfg = config.get();
        String node = cfg.nodeCode();
        DataScope scope = node.length() == 9 ? DataScope.street(node) : DataScope.district(node);
        ExportRequest.Reader operator = new ExportRequest.Reader(OPERATOR_PREFIX + System.getProperty("user.name"), scope, null,
                null, "operator", "local", "gridctl export " + c.code());
        ExportRequest request = new ExportRequest(c, f, operator, street, condition, declared, dbf, disclosure);
        long t0 = System.nanoTime();
        long rows;
        try (Database db = Database.open(cfg)) {
            rows = new Exporter(db, () -> PersonalDataKey.existing(cfg)).toFile(request, file);
        } catch (FilterException e) {
            throw new IllegalStateException(e.getMessage());   // one PostGIS cannot apply; nothing was written
        }
        System.out.printf("%,d %s → %s (%s) in %.1f s%n", rows, c.code(), file, f.code(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}

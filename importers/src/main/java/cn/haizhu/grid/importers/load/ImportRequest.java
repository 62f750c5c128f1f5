package cn.haizhu.grid.importers.load;

import cn.haizhu.grid.data.users.DataScope;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Map;

/**
 * One import a data officer asks for.
 *
 * @param dataset      what the file holds
 * @param file         the file (CSV, XLSX, GeoJSON, GeoPackage, Shapefile or .zip, FlatGeobuf)
 * @param encoding     text encoding when the officer knows it (else detected)
 * @param crs          coordinate system when the file does not declare one (else WGS84)
 * @param sheetOrLayer XLSX sheet or GeoPackage layer (else the first)
 * @param mapping      field → column name, for headers the importer does not know
 * @param values       the officer's translations of the file's words ({@code --map-values use=商住:住宅})
 * @param dryRun       validate and report, write nothing
 * @param maxErrors    abort with nothing applied beyond this many (or this share of) rejected rows
 * @param submittedBy  who asked (recorded with the job)
 * @param scope        the part of the district the asker may change, or null for all of it (the shell: whoever
 *                     runs {@code ./gridctl import} holds the database's own credentials); rows outside it are
 *                     rejected, one by one, with the reason
 */
public record ImportRequest(Dataset dataset, Path file, Charset encoding, String crs, String sheetOrLayer,
                            Map<String, String> mapping, ValueMapping values, boolean dryRun, MaxErrors maxErrors,
                            String submittedBy, DataScope scope) {

    public ImportRequest {
        values = values == null ? ValueMapping.NONE : values;
    }

    /** An import with no value mapping. */
    public ImportRequest(Dataset dataset, Path file, Charset encoding, String crs, String sheetOrLayer,
                         Map<String, String> mapping, boolean dryRun, MaxErrors maxErrors, String submittedBy,
                         DataScope scope) {
        this(dataset, file, encoding, crs, sheetOrLayer, mapping, ValueMapping.NONE, dryRun, maxErrors, submittedBy, scope);
    }

    /** An import of the whole district's data (the shell's, the demo's). */
    public ImportRequest(Dataset dataset, Path file, Charset encoding, String crs, String sheetOrLayer,
                         Map<String, String> mapping, boolean dryRun, MaxErrors maxErrors, String submittedBy) {
        this(dataset, file, encoding, crs, sheetOrLayer, mapping, ValueMapping.NONE, dryRun, maxErrors, submittedBy, null);
    }

    /** Whether the import is held to part of the district (a street or some grids). */
    public boolean scoped() {
        return scope != null && !DataScope.DISTRICT.equals(scope.kind());
    }

    /** A limit on rejected rows: a count ("100") or a share of the rows read ("5%"). */
    public record MaxErrors(long count, double percent) {
        public static final MaxErrors NONE = new MaxErrors(Long.MAX_VALUE, 100);

        public static MaxErrors parse(String text) {
            String t = text.strip();
            try {
                if (t.endsWith("%")) {
                    double p = Double.parseDouble(t.substring(0, t.length() - 1));
                    if (p < 0 || p > 100) {
                        throw new NumberFormatException();
                    }
                    return new MaxErrors(Long.MAX_VALUE, p);
                }
                long n = Long.parseLong(t);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return new MaxErrors(n, 100);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--max-errors takes a count (100) or a percentage (5%), got '" + text + "'");
            }
        }

        boolean exceededBy(long rejected) {
            return rejected > count;
        }

        boolean exceededBy(long rejected, long read) {
            return rejected > count || (read > 0 && rejected * 100.0 / read > percent);
        }
    }
}

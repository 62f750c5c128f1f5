package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.data.users.DataScope;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Objects;

/**
 * One export: what, in which format, for whom (the scope row-level security applies), the street
 * asked for ('' for the whole scope), an extra condition (a CQL2 filter translated into SQL by
 * features/filter), the coordinate system the file declares and the text encoding of a Shapefile's DBF.
 */
public record ExportRequest(ExportCollection collection, ExportFormat format, Reader reader, String street,
                            Condition condition, ExportCrs crs, Charset dbfCharset) {
    public ExportRequest {
        Objects.requireNonNull(collection);
        Objects.requireNonNull(format);
        Objects.requireNonNull(reader);
        street = street == null ? "" : street;
        condition = condition == null ? Condition.NONE : condition;
        crs = crs == null ? ExportCrs.WGS84 : crs;
        dbfCharset = dbfCharset == null ? ExportCrs.GBK : dbfCharset;
    }

    /** Who reads: row-level security draws their scope; a worker also sees the cases assigned to them. */
    public record Reader(String username, DataScope scope, Long workerId) {
    }

    /**
     * An SQL condition over the collection's query (aliases as in its {@code export_*.sql}) with JDBC
     * {@code ?} placeholders and their values in order: the seam for a CQL2 filter. Only SQL built by
     * the filter translator goes in here, never text a user typed.
     */
    public record Condition(String sql, List<Object> parameters) {
        public static final Condition NONE = new Condition("", List.of());

        public Condition {
            Objects.requireNonNull(sql);
            parameters = List.copyOf(parameters);
        }

        boolean isEmpty() {
            return sql.isBlank();
        }
    }
}

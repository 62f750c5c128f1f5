package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.data.users.DataScope;
import cn.haizhu.grid.server.people.Disclosure;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Objects;

/**
 * One export: what, in which format, for whom (the scope row-level security applies, and who the audit
 * names), the street asked for ('' for the whole scope), an extra condition (a CQL2 filter translated
 * into SQL by features/filter, {@link ExportFilter}), the coordinate system the file declares, the text
 * encoding of a Shapefile's DBF, and for persons the view asked for and why.
 */
public record ExportRequest(ExportCollection collection, ExportFormat format, Reader reader, String street,
                            Condition condition, ExportCrs crs, Charset dbfCharset, Disclosure disclosure) {
    public ExportRequest {
        Objects.requireNonNull(collection);
        Objects.requireNonNull(format);
        Objects.requireNonNull(reader);
        street = street == null ? "" : street;
        condition = condition == null ? Condition.NONE : condition;
        crs = crs == null ? ExportCrs.WGS84 : crs;
        dbfCharset = dbfCharset == null ? ExportCrs.GBK : dbfCharset;
        disclosure = disclosure == null ? Disclosure.MASKED : disclosure;
        if (disclosure.unmasked() && !collection.personal()) {
            throw new IllegalArgumentException("only persons have an unmasked view, not " + collection.code());
        }
    }

    /** An export in the masked view. */
    public ExportRequest(ExportCollection collection, ExportFormat format, Reader reader, String street,
                         Condition condition, ExportCrs crs, Charset dbfCharset) {
        this(collection, format, reader, street, condition, crs, dbfCharset, Disclosure.MASKED);
    }

    /** The same export read by {@code other}. */
    ExportRequest by(Reader other) {
        return new ExportRequest(collection, format, other, street, condition, crs, dbfCharset, disclosure);
    }

    /**
     * Who reads: row-level security draws their scope (a worker also sees the cases assigned to them);
     * the audit names them, their role, where they asked from and by which path.
     *
     * @param userId        the account, or null (the command line, a peer)
     * @param clientAddress the client's address, or null where there is none
     * @param path          the request's path, or the command
     */
    public record Reader(String username, DataScope scope, Long workerId, Long userId, String role, String clientAddress,
                         String path) {
        public Reader {
            Objects.requireNonNull(username);
            Objects.requireNonNull(scope);
            Objects.requireNonNull(role);
        }

        /** A reader known by name and scope only (tests, a caller that send() completes). */
        public Reader(String username, DataScope scope, Long workerId) {
            this(username, scope, workerId, null, "operator", null, null);
        }
    }

    /**
     * An SQL condition over the collection's query (aliases as in its {@code export_*.sql}) with JDBC
     * {@code ?} placeholders and their values in order: the seam for a CQL2 filter. Only SQL built by
     * the filter translator goes in here, never text a user typed; {@code text} is the filter as the
     * user typed it, for the audit (null where there is none).
     */
    public record Condition(String sql, List<Object> parameters, String text) {
        public static final Condition NONE = new Condition("", List.of(), null);

        public Condition {
            Objects.requireNonNull(sql);
            parameters = List.copyOf(parameters);
        }

        public Condition(String sql, List<Object> parameters) {
            this(sql, parameters, null);
        }

        boolean isEmpty() {
            return sql.isBlank();
        }
    }
}

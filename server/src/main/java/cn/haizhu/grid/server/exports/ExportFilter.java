package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.server.features.filter.FilterCrs;
import cn.haizhu.grid.server.features.filter.FilterTranslator;
import cn.haizhu.grid.server.features.filter.Queryables;
import cn.haizhu.grid.server.features.filter.SqlFilter;
import io.vertx.sqlclient.data.Numeric;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CQL2 text filter on an export: translated by features/filter over the collection's queryables
 * ({@link Queryables#ofExport}) on the table alias of its {@code export_*.sql}, then put into the JDBC
 * form the export's cursor runs ({@link #jdbc}). A filter that cannot run is a
 * {@link cn.haizhu.grid.server.features.filter.FilterException}, thrown before anything is read or written.
 */
final class ExportFilter {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$(\\d+)");

    private ExportFilter() {
    }

    /** The condition {@code text} (CQL2, geometry literals in {@code crsUri}, CRS84 if null) sets on {@code collection}; none for no text. */
    static ExportRequest.Condition of(ExportCollection collection, String text, String crsUri) {
        FilterCrs crs = FilterCrs.of(crsUri);
        if (text == null || text.isBlank()) {
            return ExportRequest.Condition.NONE;
        }
        var queryables = Queryables.ofExport(collection.code())
                .orElseThrow(() -> new IllegalStateException("no queryables for the export of " + collection.code()));
        ExportRequest.Condition c = jdbc(FilterTranslator.translate(text, queryables, crs, collection.alias(), 1));
        return new ExportRequest.Condition(c.sql(), c.parameters(), crs == FilterCrs.DEFAULT ? text : text + " (filter-crs " + crs.uri() + ")");
    }

    /** A CQL2 text and the CRS of its geometry literals (its URI; null: CRS84). */
    record Part(String text, String crsUri) {
    }

    /** Every part on {@code collection}, joined with AND (each translated in its own CRS); none for no parts. */
    static ExportRequest.Condition all(ExportCollection collection, List<Part> parts) {
        List<String> sql = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Part part : parts) {
            ExportRequest.Condition c = of(collection, part.text(), part.crsUri());
            sql.add("(" + c.sql() + ")");
            values.addAll(c.parameters());
            texts.add(c.text() == null ? part.text() : c.text());
        }
        return parts.isEmpty() ? ExportRequest.Condition.NONE
                : new ExportRequest.Condition(String.join(" AND ", sql), values, String.join(" AND ", texts));
    }

    /**
     * The translator's {@code $n} placeholders as JDBC's {@code ?}, in the order they stand, each with
     * its value: a placeholder that stands twice (a spatial test repeats its geometry for the index's
     * box test) is bound twice. Values the reactive client has its own type for become JDBC's.
     */
    static ExportRequest.Condition jdbc(SqlFilter filter) {
        Matcher m = PLACEHOLDER.matcher(filter.sql());
        StringBuilder sql = new StringBuilder();
        List<Object> values = new ArrayList<>();
        while (m.find()) {
            Object v = filter.params().get(Integer.parseInt(m.group(1)) - 1);
            values.add(v instanceof Numeric n ? n.bigDecimalValue() : v);
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        return new ExportRequest.Condition(sql.toString(), values);
    }
}

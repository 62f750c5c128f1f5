package cn.haizhu.grid.server.features;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.db.SqlTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place the items query is put together ({@code items.sql}): the collection's source, the
 * geometry in the answer's CRS, and only the conditions the request has, each from a fixed list with
 * its values as parameters. Only what is asked goes into the WHERE, so each shape of request gets a
 * plan of its own (an unused {@code $n IS NULL OR …} would keep a generic plan off the key's index).
 *
 * @param sql    the statement
 * @param params its values, {@code $1} first
 */
record ItemsSql(String sql, List<Object> params) {
    private static final String ITEMS = SqlFile.load(ItemsSql.class, "items");
    private static final Pattern PARAM = Pattern.compile("\\$(\\d+)");

    /** A page of features (one more than the page, to know whether there is a next one). */
    static ItemsSql page(ItemsQuery q) {
        return page(q, null);
    }

    private static ItemsSql page(ItemsQuery q, String id) {
        List<Object> params = new ArrayList<>();
        List<String> where = new ArrayList<>();
        boolean backwards = q.before() != null;
        if (q.after() != null) {
            where.add("f.id > " + param(params, q.after(), "text"));
        }
        if (backwards) {
            where.add("f.id < " + param(params, q.before(), "text"));
        }
        if (q.bbox() != null) {
            double[] b = q.bbox();
            boolean swap = q.bboxCrs().swapAxes();
            String box = "ST_MakeEnvelope(" + param(params, swap ? b[1] : b[0], "float8") + ", " + param(params, swap ? b[0] : b[1], "float8")
                    + ", " + param(params, swap ? b[3] : b[2], "float8") + ", " + param(params, swap ? b[2] : b[3], "float8") + ", "
                    + param(params, q.bboxCrs().srid(), "int") + ")";
            if (q.bboxCrs().srid() != 4326) {
                // the box's edges, densified, in the stored CRS: a projected box is no box in degrees
                box = "ST_Transform(ST_Segmentize(" + box + ", " + (q.bboxCrs().decimals() > 2 ? "0.001" : "100") + "), 4326)";
            }
            where.add("ST_Intersects(f.geom, " + box + ")");
        }
        if (q.from() != null) {
            where.add("f.at >= " + param(params, q.from(), "timestamptz"));
        }
        if (q.to() != null) {
            where.add("f.at <= " + param(params, q.to(), "timestamptz"));
        }
        String filter = "true";
        if (q.filter() != null) {
            filter = "(" + renumber(q.filter().sql(), params.size()) + ")";
            params.addAll(q.filter().params());
        }
        if (id != null) {
            where.add("f.id = " + param(params, id, "text"));
        }
        String geometry = q.crs().srid() == 4326 ? q.crs().geometryFrom("f.geom", null)
                : q.crs().geometryFrom("f.geom", param(params, q.crs().srid(), "int"));
        String digits = param(params, q.crs().decimals(), "int");
        String limit = param(params, q.limit() + 1, "int");
        // the filter goes into the collection's own query: it names the table's columns (its queryables)
        String source = SqlTemplate.fill(q.collection().source(), Map.of("filter", filter));
        String sql = SqlTemplate.fill(ITEMS, Map.of("source", source,
                "geometry", geometry + ", " + digits,
                "conditions", where.isEmpty() ? "true" : String.join("\n  AND ", where),
                "order", backwards ? "f.id DESC" : "f.id", "limit", limit));
        return new ItemsSql(sql, params);
    }

    /** One feature by its id. */
    static ItemsSql one(FeatureCollection collection, String id, Crs crs) {
        return page(new ItemsQuery(collection, 1, null, null, null, null, null, null, crs, null), id);
    }

    /** The value as the next parameter, typed (a parameter PostgreSQL cannot type is an error). */
    private static String param(List<Object> params, Object value, String type) {
        params.add(value);
        return "$" + params.size() + "::" + type;
    }

    /** A condition's own {@code $1 … $n} as {@code $(offset+1) …}. */
    static String renumber(String sql, int offset) {
        Matcher m = PARAM.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, "\\$" + (Integer.parseInt(m.group(1)) + offset));
        }
        m.appendTail(out);
        return out.toString();
    }
}

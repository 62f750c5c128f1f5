package cn.haizhu.grid.server.cases;

import cn.haizhu.grid.data.db.SqlFile;
import cn.haizhu.grid.data.db.SqlTemplate;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place the KPI report's SQL is put together: {@code kpis.sql} names in braces the
 * identifiers a report varies by (the column it groups by, how a group's name is looked up, the date
 * that puts a case in the period, the type of the kept counts' key), and this class fills them
 * ({@link SqlTemplate}) from the fixed lists below. Nothing from a request reaches the text: a request only picks a key of
 * {@link #GROUPS} and of {@link #BASES}; the values of a report are parameters. Every combination is
 * built once, when the class loads.
 */
final class KpiQuery {
    /**
     * A grouping: the column the cases are grouped by, how a group's name is looked up (or null), and
     * the column's type, as which the kept counts' text key is read (so that the name lookup compares
     * like with like: a cast inside it would keep row-level security from using grid_worker's key).
     */
    record Grouping(String column, String name, String type) {
    }

    /** What a report may be grouped by. */
    static final Map<String, Grouping> GROUPS = Map.of(
            "street", new Grouping("c.street_code", "(SELECT name FROM admin_area a WHERE a.code = k.key)", "text"),
            "department", new Grouping("c.department_code", "NULL::text", "text"),
            "worker", new Grouping("c.assignee_id", "(SELECT name FROM grid_worker w WHERE w.id = k.key)", "bigint"),
            "category", new Grouping("c.category_code", "NULL::text", "text"));

    /**
     * 统计口径: which date puts a case in the period. created (受理, the default): the cases that came in;
     * closed (结案): the cases closed in it, as monthly 按期结案率 reports count. (Not the deadline: it
     * is kept only while the clock runs, so a closed case has none.)
     */
    static final Map<String, String> BASES = Map.of(
            "created", "c.created_at",
            "closed", "c.closed_at");

    private static final Map<String, String> BUILT = buildAll(SqlFile.load(KpiQuery.class, "kpis"));

    private KpiQuery() {
    }

    /** The report grouped {@code by} (a key of {@link #GROUPS}) on the {@code basis} (a key of {@link #BASES}). */
    static String sql(String by, String basis) {
        String sql = BUILT.get(by + "/" + basis);
        if (sql == null) {
            throw new IllegalArgumentException("no KPI report by " + by + " on " + basis);
        }
        return sql;
    }

    private static Map<String, String> buildAll(String template) {
        Map<String, String> built = new HashMap<>();
        GROUPS.forEach((by, g) -> BASES.forEach((basis, date) -> built.put(by + "/" + basis, SqlTemplate.fill(template,
                Map.of("group", g.column(), "group_name", g.name(), "date", date, "key_type", g.type())))));
        return Map.copyOf(built);
    }
}

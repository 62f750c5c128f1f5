package cn.haizhu.grid.data.db;

import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way a query is put together from parts: a query's {@code .sql} file ({@link SqlFile}) names a
 * part in braces ({@code {case_columns}}), and the part is SQL text the code holds, from another
 * {@code .sql} file (the case columns three queries of the cases select, the queue's filters) or from
 * a fixed list of identifiers (the KPI groupings of the cases, the wire columns of each table of the
 * exchange). A part is never a value from a request: values are parameters. A name
 * without a part is refused, so no slot reaches the database unfilled; queries are filled once, when
 * the class that runs them loads.
 */
public final class SqlTemplate {
    private static final Pattern SLOT = Pattern.compile("\\{([a-z_]+)}");

    private SqlTemplate() {
    }

    /** {@code template} with each {@code {name}} replaced by {@code parts.get(name)}, in one pass. */
    public static String fill(String template, Map<String, String> parts) {
        Matcher m = SLOT.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String part = parts.get(m.group(1));
            if (part == null) {
                throw new IllegalStateException("the query names {" + m.group(1) + "}, which is none of "
                        + Set.copyOf(parts.keySet()));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(part));
        }
        m.appendTail(out);
        return out.toString();
    }
}

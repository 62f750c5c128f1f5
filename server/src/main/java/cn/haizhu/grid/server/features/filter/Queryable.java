package cn.haizhu.grid.server.features.filter;

import java.util.regex.Pattern;

/**
 * One property a filter may name: its name in filters (and in the features' properties), the column of
 * the collection's table it reads, its type and its title (zh-CN, as the pages say it). Columns are
 * fixed identifiers of this code, checked here, never text from a request.
 */
public record Queryable(String name, String column, QueryableType type, String title) {
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    public Queryable {
        if (!IDENTIFIER.matcher(column).matches()) {
            throw new IllegalArgumentException("queryable " + name + ": column " + column + " is not a plain identifier");
        }
    }

    public static Queryable of(String name, QueryableType type, String title) {
        return new Queryable(name, name, type, title);
    }
}

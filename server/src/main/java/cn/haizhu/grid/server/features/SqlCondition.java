package cn.haizhu.grid.server.features;

import java.util.List;

/**
 * An extra condition on a collection's records, as SQL over the columns of its table (the alias
 * {@link FeatureCollection#alias()}), with its values as parameters {@code $1 … $n} of its own,
 * numbered from 1: {@link ItemsSql} renumbers them after the page's. The seam for CQL2 filters (Part
 * 3, package {@code features.filter}); the SQL text is the translator's, never a caller's.
 *
 * @param sql    a boolean SQL expression
 * @param params its values, {@code $1} first
 */
public record SqlCondition(String sql, List<Object> params) {
    public SqlCondition {
        params = List.copyOf(params);
    }
}

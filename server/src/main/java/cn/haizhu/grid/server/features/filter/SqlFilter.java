package cn.haizhu.grid.server.features.filter;

import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * A filter translated for the reactive client: {@code sql} is a boolean SQL expression (for a
 * {@code WHERE} slot, in parentheses: its top level may be an OR) whose values are the placeholders {@code $first .. $first+n-1}, and
 * {@code params} their values in order. The SQL holds only column names of the queryables, fixed
 * function names and placeholders: nothing of the filter's text.
 */
public record SqlFilter(String sql, List<Object> params) {
    /** Appends the values to {@code tuple}, whose earlier values are the query's own {@code $1 ..}. */
    public Tuple addTo(Tuple tuple) {
        params.forEach(tuple::addValue);
        return tuple;
    }
}

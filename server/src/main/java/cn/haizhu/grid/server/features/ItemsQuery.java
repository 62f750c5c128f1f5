package cn.haizhu.grid.server.features;

import java.time.OffsetDateTime;

/**
 * What one items request asks of a collection, checked: a page of {@code limit} after (or before) a
 * feature id, within a box, within a time span, with an extra condition, in a CRS.
 *
 * @param after   the page starts after this id (null: from the first)
 * @param before  the page ends before this id (the previous page; null unless asked)
 * @param bbox    [x1, y1, x2, y2] in {@code bboxCrs}'s axis order, or null
 * @param from    the span's start (inclusive), or null for open
 * @param to      the span's end (inclusive), or null for open
 * @param filter  a condition over the collection's table (a CQL2 filter), or null
 */
public record ItemsQuery(FeatureCollection collection, int limit, String after, String before, double[] bbox, Crs bboxCrs,
                         OffsetDateTime from, OffsetDateTime to, Crs crs, SqlCondition filter) {
    public static final int DEFAULT_LIMIT = 10;
    public static final int MAX_LIMIT = 10_000;

    /** The same query with an extra condition (AND with any it has). */
    public ItemsQuery where(SqlCondition condition) {
        return new ItemsQuery(collection, limit, after, before, bbox, bboxCrs, from, to, crs, condition);
    }
}

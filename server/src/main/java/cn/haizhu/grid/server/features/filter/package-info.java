/**
 * CQL2 text filters (OGC API Features Part 3, OGC 21-065) as parameterised SQL.
 *
 * <p>{@link cn.haizhu.grid.server.features.filter.Cql2Parser} reads the text by recursive descent into
 * a {@link cn.haizhu.grid.server.features.filter.Cql2} tree: Basic CQL2 (comparisons, IS NULL,
 * AND/OR/NOT, string, number, boolean, DATE, TIMESTAMP), the advanced comparisons LIKE, BETWEEN and
 * IN, and the spatial functions (S_INTERSECTS, S_WITHIN and the other six) over WKT and BBOX
 * literals. {@link cn.haizhu.grid.server.features.filter.FilterTranslator} turns the tree into a
 * boolean SQL expression over a collection's
 * {@link cn.haizhu.grid.server.features.filter.Queryables} (name → column and type) with every
 * literal a {@code $n} placeholder and a parameter, for the features' query to put in its
 * {@code WHERE}; row-level security still scopes the rows it finds. Geometry literals are read in
 * {@link cn.haizhu.grid.server.features.filter.FilterCrs} (the {@code filter-crs} parameter, CRS84 by
 * default) and transformed into the table's SRID in SQL.
 *
 * <p>Whatever a client sends, the only failure is a
 * {@link cn.haizhu.grid.server.features.filter.FilterException} (position, what was expected), which
 * the features resource answers as a 400 {@code invalid_filter}. {@link
 * cn.haizhu.grid.server.features.filter.Cql2Filters} holds the {@code filter-lang} check and the
 * conformance classes to declare; {@link cn.haizhu.grid.server.features.filter.QueryablesResource}
 * serves {@code /collections/{collectionId}/queryables}.
 */
package cn.haizhu.grid.server.features.filter;

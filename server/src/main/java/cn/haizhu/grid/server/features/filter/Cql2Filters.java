package cn.haizhu.grid.server.features.filter;

import java.util.List;

/**
 * What the features resource needs around a filter besides the translation: the {@code filter-lang}
 * it accepts and the conformance classes it declares at {@code /conformance} for filtering.
 */
public final class Cql2Filters {
    /** The one {@code filter-lang} read here (also the default when the parameter is absent). */
    public static final String CQL2_TEXT = "cql2-text";

    /**
     * The conformance classes of OGC API Features Part 3 and CQL2 this package implements. Not claimed:
     * queryables as query parameters, CQL2 JSON, functions and arithmetic, case- and
     * accent-insensitive comparisons, temporal and array functions.
     */
    public static final List<String> CONFORMANCE = List.of(
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
            "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
            "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
            "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
            "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
            "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
            "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
            "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions");

    private Cql2Filters() {
    }

    /** Refuses a {@code filter-lang} other than cql2-text (absent means cql2-text). */
    public static void requireCql2Text(String filterLang) {
        if (filterLang != null && !filterLang.equals(CQL2_TEXT)) {
            throw new FilterException(0, CQL2_TEXT, "filter-lang: " + filterLang + " is not supported; use " + CQL2_TEXT);
        }
    }
}

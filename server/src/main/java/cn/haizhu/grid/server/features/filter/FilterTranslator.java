package cn.haizhu.grid.server.features.filter;

import io.vertx.sqlclient.data.Numeric;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@link Cql2} tree to parameterised SQL over one collection's queryables. Properties become the
 * queryable's column on the query's table alias; every literal becomes a placeholder with an explicit
 * cast, its value a parameter (so a plan never depends on a guessed type, and no text of the filter
 * reaches the SQL); geometry literals are read in the filter CRS, axes put in PostGIS's order, and
 * transformed into the table's SRID in SQL, so the table's GiST index serves the spatial functions.
 * An unknown property or operands of types that do not compare end in a {@link FilterException}.
 */
public final class FilterTranslator {
    private static final Pattern ALIAS = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Map<String, String> SPATIAL_SQL = Map.of(
            "S_INTERSECTS", "ST_Intersects", "S_WITHIN", "ST_Within", "S_CONTAINS", "ST_Contains",
            "S_DISJOINT", "ST_Disjoint", "S_EQUALS", "ST_Equals", "S_TOUCHES", "ST_Touches",
            "S_OVERLAPS", "ST_Overlaps", "S_CROSSES", "ST_Crosses");

    private final CollectionQueryables queryables;
    private final FilterCrs crs;
    private final String alias;
    private final int firstParam;
    private final List<Object> params = new ArrayList<>();

    private FilterTranslator(CollectionQueryables queryables, FilterCrs crs, String alias, int firstParam) {
        if (!ALIAS.matcher(alias).matches()) {
            throw new IllegalArgumentException("table alias " + alias + " is not a plain identifier");
        }
        if (firstParam < 1) {
            throw new IllegalArgumentException("placeholders start at $1, not $" + firstParam);
        }
        this.queryables = queryables;
        this.crs = crs;
        this.alias = alias;
        this.firstParam = firstParam;
    }

    /**
     * The CQL2 text {@code filter} as SQL on {@code alias} (the collection's table in the caller's
     * query), its placeholders numbered from {@code firstParam}.
     */
    public static SqlFilter translate(String filter, CollectionQueryables queryables, FilterCrs crs, String alias,
                                      int firstParam) {
        return translate(Cql2Parser.parse(filter), queryables, crs, alias, firstParam);
    }

    public static SqlFilter translate(Cql2.Predicate filter, CollectionQueryables queryables, FilterCrs crs,
                                      String alias, int firstParam) {
        FilterTranslator t = new FilterTranslator(queryables, crs, alias, firstParam);
        String sql = t.predicate(filter);
        return new SqlFilter(sql, List.copyOf(t.params));
    }

    private String predicate(Cql2.Predicate p) {
        if (p instanceof Cql2.And and) {
            return join(and.terms(), " AND ");
        } else if (p instanceof Cql2.Or or) {
            return join(or.terms(), " OR ");
        } else if (p instanceof Cql2.Not not) {
            return "NOT (" + predicate(not.term()) + ")";
        } else if (p instanceof Cql2.BooleanConstant b) {
            return b.value() ? "TRUE" : "FALSE";
        } else if (p instanceof Cql2.Comparison c) {
            return comparison(c);
        } else if (p instanceof Cql2.IsNull n) {
            return "(" + operand(n.operand(), null) + ") IS " + (n.negated() ? "NOT " : "") + "NULL";
        } else if (p instanceof Cql2.Like like) {
            return like(like);
        } else if (p instanceof Cql2.Between between) {
            return between(between);
        } else if (p instanceof Cql2.In in) {
            return in(in);
        }
        return spatial((Cql2.Spatial) p);
    }

    private String join(List<Cql2.Predicate> terms, String operator) {
        List<String> parts = new ArrayList<>();
        for (Cql2.Predicate term : terms) {
            parts.add("(" + predicate(term) + ")");
        }
        return String.join(operator, parts);
    }

    private String comparison(Cql2.Comparison c) {
        QueryableType left = typeOf(c.left());
        QueryableType right = typeOf(c.right());
        requireComparable(c.position(), left, right, c.operator());
        if (left == QueryableType.GEOMETRY) {
            throw FilterException.semantic(c.position(),
                    "geometries do not compare with " + c.operator() + "; use S_INTERSECTS, S_WITHIN or another spatial function");
        }
        if (left == QueryableType.BOOLEAN && !(c.operator().equals("=") || c.operator().equals("<>"))) {
            throw FilterException.semantic(c.position(), "booleans compare with = and <> only, not " + c.operator());
        }
        return operand(c.left(), right) + " " + c.operator() + " " + operand(c.right(), left);
    }

    private String like(Cql2.Like like) {
        requireType(like.operand(), QueryableType.STRING, "LIKE");
        requireType(like.pattern(), QueryableType.STRING, "LIKE");
        return operand(like.operand(), null) + (like.negated() ? " NOT LIKE " : " LIKE ") + operand(like.pattern(), null);
    }

    private String between(Cql2.Between b) {
        QueryableType type = typeOf(b.operand());
        if (!(group(type) == QueryableType.NUMBER || type == QueryableType.DATE || type == QueryableType.TIMESTAMP)) {
            throw FilterException.semantic(b.position(), "BETWEEN needs a number, date or timestamp, not a " + type.word());
        }
        requireComparable(b.position(), type, typeOf(b.low()), "BETWEEN");
        requireComparable(b.position(), type, typeOf(b.high()), "BETWEEN");
        return operand(b.operand(), null) + (b.negated() ? " NOT BETWEEN " : " BETWEEN ")
                + operand(b.low(), type) + " AND " + operand(b.high(), type);
    }

    private String in(Cql2.In in) {
        QueryableType type = typeOf(in.operand());
        if (type == QueryableType.GEOMETRY) {
            throw FilterException.semantic(in.position(), "IN does not take geometries");
        }
        List<String> values = new ArrayList<>();
        for (Cql2.Operand value : in.values()) {
            requireComparable(value.position(), type, typeOf(value), "IN");
            values.add(operand(value, type));
        }
        return operand(in.operand(), null) + (in.negated() ? " NOT IN (" : " IN (") + String.join(", ", values) + ")";
    }

    private String spatial(Cql2.Spatial s) {
        requireType(s.left(), QueryableType.GEOMETRY, s.function());
        requireType(s.right(), QueryableType.GEOMETRY, s.function());
        String left = operand(s.left(), null);
        String right = operand(s.right(), null);
        String test = SPATIAL_SQL.get(s.function()) + "(" + left + ", " + right + ")";
        // Row-level security keeps non-LEAKPROOF conditions such as ST_Intersects off the indexes; the
        // box overlap && is LEAKPROOF (V5), so stating it lets the GiST index find the candidates.
        // Every function but S_DISJOINT implies it; a placeholder may stand twice, bound once.
        return s.function().equals("S_DISJOINT") ? test : left + " && " + right + " AND " + test;
    }

    private void requireType(Cql2.Operand operand, QueryableType type, String operator) {
        QueryableType actual = typeOf(operand);
        if (group(actual) != group(type)) {
            throw FilterException.semantic(operand.position(),
                    operator + " needs a " + type.word() + " here, not a " + actual.word() + " (" + describe(operand) + ")");
        }
    }

    private static void requireComparable(int position, QueryableType left, QueryableType right, String operator) {
        if (group(left) != group(right)) {
            throw FilterException.semantic(position,
                    "a " + left.word() + " does not compare with a " + right.word() + " (" + operator + ")");
        }
    }

    /** Integers and numbers compare with each other; every other type only with itself. */
    private static QueryableType group(QueryableType type) {
        return type == QueryableType.INTEGER ? QueryableType.NUMBER : type;
    }

    private QueryableType typeOf(Cql2.Operand operand) {
        if (operand instanceof Cql2.Property p) {
            return queryable(p).type();
        } else if (operand instanceof Cql2.Text) {
            return QueryableType.STRING;
        } else if (operand instanceof Cql2.Number) {
            return QueryableType.NUMBER;
        } else if (operand instanceof Cql2.Bool) {
            return QueryableType.BOOLEAN;
        } else if (operand instanceof Cql2.Date) {
            return QueryableType.DATE;
        } else if (operand instanceof Cql2.Timestamp) {
            return QueryableType.TIMESTAMP;
        }
        return QueryableType.GEOMETRY;
    }

    private Queryable queryable(Cql2.Property p) {
        Queryable q = queryables.get(p.name());
        if (q == null) {
            throw FilterException.semantic(p.position(), "'" + p.name() + "' is not a queryable of "
                    + queryables.collectionId() + "; its queryables are "
                    + queryables.all().stream().map(Queryable::name).toList());
        }
        return q;
    }

    /** The SQL of an operand; {@code peer} is the type on the other side, which picks a number's cast. */
    private String operand(Cql2.Operand operand, QueryableType peer) {
        if (operand instanceof Cql2.Property p) {
            return alias + "." + queryable(p).column();
        } else if (operand instanceof Cql2.Text t) {
            return param(t.value(), "text");
        } else if (operand instanceof Cql2.Number n) {
            return number(n.value(), peer);
        } else if (operand instanceof Cql2.Bool b) {
            return param(b.value(), "boolean");
        } else if (operand instanceof Cql2.Date d) {
            return param(d.value(), "date");
        } else if (operand instanceof Cql2.Timestamp t) {
            return param(t.value(), "timestamptz");
        }
        return geometry((Cql2.Geometry) operand);
    }

    // An integer column against a whole number binds a bigint (the column's index serves it as is);
    // a double column binds a double; anything else compares exactly, as numeric.
    private String number(BigDecimal value, QueryableType peer) {
        if (peer == QueryableType.INTEGER && value.stripTrailingZeros().scale() <= 0
                && value.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return param(value.longValueExact(), "bigint");
        }
        if (peer == QueryableType.NUMBER) {
            return param(value.doubleValue(), "double precision");
        }
        return param(Numeric.create(value), "numeric");
    }

    private String geometry(Cql2.Geometry g) {
        String wkt = Wkt.write(g, crs);
        String literal = "ST_GeomFromText(" + param(wkt, "text") + ", " + crs.srid() + ")";
        return crs.srid() == queryables.srid() ? literal : "ST_Transform(" + literal + ", " + queryables.srid() + ")";
    }

    private String param(Object value, String type) {
        params.add(value);
        return "$" + (firstParam + params.size() - 1) + "::" + type;
    }

    private static String describe(Cql2.Operand operand) {
        return operand instanceof Cql2.Property p ? "the property " + p.name() : "a literal";
    }
}

package cn.haizhu.grid.server.features.filter;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The syntax tree of a CQL2 text filter (OGC 21-065), as {@link Cql2Parser} reads it. Every node keeps
 * the 1-based position where it starts in the text, so the translator can say where a property is
 * unknown or a type does not match. Nothing here knows SQL.
 */
public final class Cql2 {
    private Cql2() {
    }

    /** A boolean expression: the whole filter, or a part of it. */
    public sealed interface Predicate permits And, Or, Not, Comparison, IsNull, Like, Between, In, Spatial, BooleanConstant {
        int position();
    }

    /** A value: a property (a queryable) or a literal. */
    public sealed interface Operand permits Property, Literal {
        int position();
    }

    public record And(int position, List<Predicate> terms) implements Predicate {
    }

    public record Or(int position, List<Predicate> terms) implements Predicate {
    }

    public record Not(int position, Predicate term) implements Predicate {
    }

    /** {@code left op right}, op one of = <> < <= > >=. */
    public record Comparison(int position, Operand left, String operator, Operand right) implements Predicate {
    }

    public record IsNull(int position, Operand operand, boolean negated) implements Predicate {
    }

    public record Like(int position, Operand operand, Operand pattern, boolean negated) implements Predicate {
    }

    public record Between(int position, Operand operand, Operand low, Operand high, boolean negated) implements Predicate {
    }

    public record In(int position, Operand operand, List<Operand> values, boolean negated) implements Predicate {
    }

    /** {@code S_INTERSECTS(a, b)} and its kin; {@code function} is the upper-case CQL2 name. */
    public record Spatial(int position, String function, Operand left, Operand right) implements Predicate {
    }

    /** {@code TRUE} or {@code FALSE} standing as a whole predicate. */
    public record BooleanConstant(int position, boolean value) implements Predicate {
    }

    public record Property(int position, String name) implements Operand {
    }

    /** A literal; its Java type says its CQL2 type. */
    public sealed interface Literal extends Operand permits Text, Number, Bool, Date, Timestamp, Geometry {
    }

    public record Text(int position, String value) implements Literal {
    }

    public record Number(int position, BigDecimal value) implements Literal {
    }

    public record Bool(int position, boolean value) implements Literal {
    }

    public record Date(int position, LocalDate value) implements Literal {
    }

    public record Timestamp(int position, OffsetDateTime value) implements Literal {
    }

    /**
     * A WKT geometry or a {@code BBOX(...)} (turned into its polygon), coordinates in the filter CRS's
     * axis order as written; {@code type} is the upper-case WKT type.
     */
    public record Geometry(int position, String type, Coordinates coordinates) implements Literal, Coordinates {
    }

    /**
     * A WKT coordinate tree: a position, or a list of parts (a ring, a polygon, the members of a MULTI*),
     * or a whole geometry (a member of a GEOMETRYCOLLECTION).
     */
    public sealed interface Coordinates permits Position, Parts, Geometry {
    }

    public record Position(double first, double second) implements Coordinates {
    }

    public record Parts(List<Coordinates> parts) implements Coordinates {
    }
}

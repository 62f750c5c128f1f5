package cn.haizhu.grid.server.features.filter;

import cn.haizhu.grid.server.features.filter.Cql2Lexer.Kind;
import cn.haizhu.grid.server.features.filter.Cql2Lexer.Token;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * CQL2 text (OGC 21-065) to a {@link Cql2} tree, by recursive descent over the grammar's precedence:
 * OR below AND below NOT below a predicate or a parenthesised expression. It reads Basic CQL2
 * (comparisons, IS [NOT] NULL, AND/OR/NOT, string, number, boolean, DATE and TIMESTAMP literals),
 * Advanced Comparison Operators ([NOT] LIKE, [NOT] BETWEEN, [NOT] IN) and the spatial functions over
 * WKT literals and BBOX. Any text that is not such a filter ends in a {@link FilterException} naming
 * the position and what was expected; nothing else escapes (deep nesting and long texts included).
 */
public final class Cql2Parser {
    /** Longer filters are refused before reading: a query string this long is no hand-written filter. */
    public static final int MAX_LENGTH = 65_536;
    /** Parentheses (and NOTs) nested deeper than this are refused instead of exhausting the stack. */
    static final int MAX_DEPTH = 100;

    static final Set<String> SPATIAL_FUNCTIONS = Set.of("S_INTERSECTS", "S_WITHIN", "S_CONTAINS", "S_DISJOINT",
            "S_EQUALS", "S_TOUCHES", "S_OVERLAPS", "S_CROSSES");
    private static final Set<String> GEOMETRY_TYPES = Set.of("POINT", "LINESTRING", "POLYGON", "MULTIPOINT",
            "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION");
    /** Words that end an operand: a property may not take these names unless written in double quotes. */
    private static final Set<String> RESERVED = Set.of("AND", "OR", "NOT", "IS", "NULL", "LIKE", "BETWEEN", "IN",
            "TRUE", "FALSE", "DATE", "TIMESTAMP", "BBOX");

    private final List<Token> tokens;
    private int next;
    private int depth;

    private Cql2Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    public static Cql2.Predicate parse(String text) {
        if (text == null || text.isBlank()) {
            throw FilterException.syntax(1, "a filter expression", "an empty filter");
        }
        if (text.length() > MAX_LENGTH) {
            throw new FilterException(MAX_LENGTH + 1, null,
                    "filter: longer than " + MAX_LENGTH + " characters");
        }
        Cql2Parser parser = new Cql2Parser(Cql2Lexer.tokens(text));
        Cql2.Predicate predicate = parser.or();
        Token rest = parser.peek();
        if (!rest.is(Kind.END)) {
            throw FilterException.syntax(rest.position(), "AND, OR or the end of the filter", rest.describe());
        }
        return predicate;
    }

    // booleanExpression = booleanTerm {OR booleanTerm}
    private Cql2.Predicate or() {
        return chain("OR", this::and, Cql2.Or::new);
    }

    // booleanTerm = booleanFactor {AND booleanFactor}
    private Cql2.Predicate and() {
        return chain("AND", this::factor, Cql2.And::new);
    }

    private Cql2.Predicate chain(String keyword, Supplier<Cql2.Predicate> term,
                                 BiFunction<Integer, List<Cql2.Predicate>, Cql2.Predicate> node) {
        int position = peek().position();
        List<Cql2.Predicate> terms = new ArrayList<>();
        terms.add(term.get());
        while (acceptKeyword(keyword)) {
            terms.add(term.get());
        }
        return terms.size() == 1 ? terms.get(0) : node.apply(position, List.copyOf(terms));
    }

    // booleanFactor = [NOT] booleanPrimary; booleanPrimary = predicate | booleanLiteral | "(" booleanExpression ")"
    private Cql2.Predicate factor() {
        Token t = peek();
        enter(t);
        try {
            if (t.isKeyword("NOT")) {
                next++;
                return new Cql2.Not(t.position(), factor());
            }
            if (t.is(Kind.LEFT)) {
                next++;
                Cql2.Predicate inner = or();
                expect(Kind.RIGHT, "')' or AND, OR");
                return inner;
            }
            if (t.is(Kind.IDENTIFIER) && SPATIAL_FUNCTIONS.contains(t.text().toUpperCase(Locale.ROOT))) {
                return spatial();
            }
            return predicate();
        } finally {
            depth--;
        }
    }

    private void enter(Token t) {
        if (++depth > MAX_DEPTH) {
            throw new FilterException(t.position(), null,
                    "filter: at position " + t.position() + ": nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private Cql2.Predicate spatial() {
        Token name = tokens.get(next++);
        expect(Kind.LEFT, "'(' after " + name.text());
        Cql2.Operand left = operand("a geometry property or literal");
        expect(Kind.COMMA, "',' between the two geometries of " + name.text());
        Cql2.Operand right = operand("a geometry property or literal");
        expect(Kind.RIGHT, "')' closing " + name.text());
        return new Cql2.Spatial(name.position(), name.text().toUpperCase(Locale.ROOT), left, right);
    }

    private Cql2.Predicate predicate() {
        Token first = peek();
        Cql2.Operand left = operand("a property, a literal, NOT or '('");
        Token t = peek();
        if (t.is(Kind.OPERATOR)) {
            next++;
            return new Cql2.Comparison(t.position(), left, t.text(), operand("a property or a literal after " + t.text()));
        }
        if (t.isKeyword("IS")) {
            next++;
            boolean negated = acceptKeyword("NOT");
            expectKeyword("NULL", "NULL after IS" + (negated ? " NOT" : ""));
            return new Cql2.IsNull(t.position(), left, negated);
        }
        boolean negated = false;
        if (t.isKeyword("NOT")) {
            next++;
            negated = true;
            t = peek();
            if (!(t.isKeyword("LIKE") || t.isKeyword("BETWEEN") || t.isKeyword("IN"))) {
                throw FilterException.syntax(t.position(), "LIKE, BETWEEN or IN after NOT", t.describe());
            }
        }
        if (t.isKeyword("LIKE")) {
            next++;
            return new Cql2.Like(t.position(), left, operand("a pattern after LIKE"), negated);
        }
        if (t.isKeyword("BETWEEN")) {
            next++;
            Cql2.Operand low = operand("a value after BETWEEN");
            expectKeyword("AND", "AND between the two bounds of BETWEEN");
            return new Cql2.Between(t.position(), left, low, operand("a value after BETWEEN ... AND"), negated);
        }
        if (t.isKeyword("IN")) {
            next++;
            expect(Kind.LEFT, "'(' after IN");
            List<Cql2.Operand> values = new ArrayList<>();
            values.add(operand("a value in the IN list"));
            while (peek().is(Kind.COMMA)) {
                next++;
                values.add(operand("a value in the IN list"));
            }
            expect(Kind.RIGHT, "',' or ')' in the IN list");
            return new Cql2.In(t.position(), left, List.copyOf(values), negated);
        }
        if (left instanceof Cql2.Bool b) {
            return new Cql2.BooleanConstant(b.position(), b.value());
        }
        throw FilterException.syntax(t.position(),
                "a comparison operator (=, <>, <, <=, >, >=), IS, LIKE, BETWEEN or IN after " + first.describe(),
                t.describe());
    }

    /** A property name or a literal (string, number, boolean, DATE, TIMESTAMP, WKT, BBOX). */
    private Cql2.Operand operand(String expected) {
        Token t = peek();
        switch (t.kind()) {
            case STRING -> {
                next++;
                return new Cql2.Text(t.position(), t.text());
            }
            case NUMBER -> {
                next++;
                return new Cql2.Number(t.position(), number(t));
            }
            case QUOTED_IDENTIFIER -> {
                next++;
                return new Cql2.Property(t.position(), t.text());
            }
            case IDENTIFIER -> {
                String word = t.text().toUpperCase(Locale.ROOT);
                if (word.equals("TRUE") || word.equals("FALSE")) {
                    next++;
                    return new Cql2.Bool(t.position(), word.equals("TRUE"));
                }
                if (word.equals("DATE") || word.equals("TIMESTAMP")) {
                    return instant(word);
                }
                if (word.equals("BBOX")) {
                    return bbox();
                }
                if (GEOMETRY_TYPES.contains(word)) {
                    return geometry();
                }
                if (RESERVED.contains(word) || SPATIAL_FUNCTIONS.contains(word)) {
                    throw FilterException.syntax(t.position(), expected, t.describe());
                }
                next++;
                return new Cql2.Property(t.position(), t.text());
            }
            default -> throw FilterException.syntax(t.position(), expected, t.describe());
        }
    }

    /** A number PostgreSQL's numeric holds and a double can stand for (no 1e99999). */
    private static BigDecimal number(Token t) {
        try {
            BigDecimal value = new BigDecimal(t.text());
            if (Math.abs(value.scale()) <= 400 && Double.isFinite(value.doubleValue())) {
                return value;
            }
        } catch (NumberFormatException e) {
            // an exponent beyond int: refused below like any other number out of range
        }
        throw FilterException.syntax(t.position(), "a number between -1.7e308 and 1.7e308 with at most 400 decimals",
                t.describe());
    }

    private Cql2.Literal instant(String word) {
        Token t = tokens.get(next++);
        expect(Kind.LEFT, "'(' after " + word);
        Token value = peek();
        if (!value.is(Kind.STRING)) {
            throw FilterException.syntax(value.position(), "a quoted " + (word.equals("DATE") ? "date 'YYYY-MM-DD'"
                    : "timestamp 'YYYY-MM-DDThh:mm:ssZ'"), value.describe());
        }
        next++;
        expect(Kind.RIGHT, "')' closing " + word);
        try {
            if (word.equals("DATE")) {
                return new Cql2.Date(t.position(), LocalDate.parse(value.text()));
            }
            return new Cql2.Timestamp(t.position(), OffsetDateTime.parse(value.text()).withOffsetSameInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            throw FilterException.syntax(value.position(), word.equals("DATE") ? "a date 'YYYY-MM-DD'"
                    : "a timestamp 'YYYY-MM-DDThh:mm:ssZ'", value.describe());
        }
    }

    /** BBOX(west, south, east, north) or its 6-number 3D form: the polygon of its 2D corners, in axis order. */
    private Cql2.Literal bbox() {
        Token t = tokens.get(next++);
        expect(Kind.LEFT, "'(' after BBOX");
        List<Double> n = new ArrayList<>();
        n.add(coordinate());
        while (peek().is(Kind.COMMA)) {
            next++;
            n.add(coordinate());
        }
        expect(Kind.RIGHT, "',' or ')' in BBOX");
        if (n.size() != 4 && n.size() != 6) {
            throw FilterException.syntax(t.position(), "4 or 6 numbers in BBOX", n.size() + " numbers");
        }
        int half = n.size() / 2;
        double a1 = n.get(0), a2 = n.get(1), b1 = n.get(half), b2 = n.get(half + 1);
        if (a1 > b1 || a2 > b2) {
            throw FilterException.semantic(t.position(), "BBOX must give its lower corner before its upper corner");
        }
        List<Cql2.Coordinates> ring = List.of(new Cql2.Position(a1, a2), new Cql2.Position(b1, a2),
                new Cql2.Position(b1, b2), new Cql2.Position(a1, b2), new Cql2.Position(a1, a2));
        return new Cql2.Geometry(t.position(), "POLYGON", new Cql2.Parts(List.of(new Cql2.Parts(ring))));
    }

    private Cql2.Geometry geometry() {
        Token t = tokens.get(next++);
        String type = t.text().toUpperCase(Locale.ROOT);
        enter(t);
        try {
            return geometry(t, type);
        } finally {
            depth--;
        }
    }

    private Cql2.Geometry geometry(Token t, String type) {
        if (peek().isKeyword("Z")) {
            next++;
        }
        Cql2.Coordinates coordinates = switch (type) {
            case "POINT" -> {
                expect(Kind.LEFT, "'(' after POINT");
                Cql2.Position p = position();
                expect(Kind.RIGHT, "')' closing POINT");
                yield p;
            }
            case "LINESTRING" -> line(2, false, "LINESTRING");
            case "POLYGON" -> polygon();
            case "MULTIPOINT" -> multiPoint();
            case "MULTILINESTRING" -> list("MULTILINESTRING", () -> line(2, false, "a line of MULTILINESTRING"));
            case "MULTIPOLYGON" -> list("MULTIPOLYGON", this::polygon);
            default -> list("GEOMETRYCOLLECTION", this::member);
        };
        return new Cql2.Geometry(t.position(), type, coordinates);
    }

    /** A member of a GEOMETRYCOLLECTION: any WKT geometry, collections included (nested up to the depth limit). */
    private Cql2.Geometry member() {
        Token t = peek();
        if (!(t.is(Kind.IDENTIFIER) && GEOMETRY_TYPES.contains(t.text().toUpperCase(Locale.ROOT)))) {
            throw FilterException.syntax(t.position(), "a WKT geometry (POINT, LINESTRING, POLYGON, MULTI…, GEOMETRYCOLLECTION)",
                    t.describe());
        }
        return geometry();
    }

    private Cql2.Parts polygon() {
        return list("POLYGON", () -> line(4, true, "a ring of POLYGON"));
    }

    // MULTIPOINT((1 2), (3 4)) and the older MULTIPOINT(1 2, 3 4) both occur in the wild
    private Cql2.Parts multiPoint() {
        expect(Kind.LEFT, "'(' after MULTIPOINT");
        List<Cql2.Coordinates> points = new ArrayList<>();
        do {
            if (peek().is(Kind.LEFT)) {
                next++;
                points.add(position());
                expect(Kind.RIGHT, "')' closing a point of MULTIPOINT");
            } else {
                points.add(position());
            }
        } while (accept(Kind.COMMA));
        expect(Kind.RIGHT, "',' or ')' in MULTIPOINT");
        return new Cql2.Parts(List.copyOf(points));
    }

    private Cql2.Parts list(String what, Supplier<Cql2.Coordinates> member) {
        expect(Kind.LEFT, "'(' in " + what);
        List<Cql2.Coordinates> parts = new ArrayList<>();
        do {
            parts.add(member.get());
        } while (accept(Kind.COMMA));
        expect(Kind.RIGHT, "',' or ')' in " + what);
        return new Cql2.Parts(List.copyOf(parts));
    }

    private Cql2.Parts line(int minimum, boolean closed, String what) {
        Token start = peek();
        expect(Kind.LEFT, "'(' opening " + what);
        List<Cql2.Coordinates> points = new ArrayList<>();
        do {
            points.add(position());
        } while (accept(Kind.COMMA));
        expect(Kind.RIGHT, "',' or ')' in " + what);
        if (points.size() < minimum) {
            throw FilterException.semantic(start.position(), what + " needs at least " + minimum + " positions");
        }
        if (closed && !points.get(0).equals(points.get(points.size() - 1))) {
            throw FilterException.semantic(start.position(), what + " must end at its first position");
        }
        return new Cql2.Parts(List.copyOf(points));
    }

    /** Two numbers (a third, Z, is read and dropped: the tables are 2D). */
    private Cql2.Position position() {
        double first = coordinate();
        double second = coordinate();
        if (peek().is(Kind.NUMBER)) {
            coordinate();
        }
        return new Cql2.Position(first, second);
    }

    private double coordinate() {
        Token t = peek();
        if (!t.is(Kind.NUMBER)) {
            throw FilterException.syntax(t.position(), "a coordinate (a number)", t.describe());
        }
        next++;
        double value = Double.parseDouble(t.text());
        if (!Double.isFinite(value)) {
            throw FilterException.syntax(t.position(), "a finite coordinate", t.describe());
        }
        return value;
    }

    private Token peek() {
        return tokens.get(next);
    }

    private boolean accept(Kind kind) {
        if (peek().is(kind)) {
            next++;
            return true;
        }
        return false;
    }

    private boolean acceptKeyword(String keyword) {
        if (peek().isKeyword(keyword)) {
            next++;
            return true;
        }
        return false;
    }

    private void expect(Kind kind, String expected) {
        Token t = peek();
        if (!t.is(kind)) {
            throw FilterException.syntax(t.position(), expected, t.describe());
        }
        next++;
    }

    private void expectKeyword(String keyword, String expected) {
        Token t = peek();
        if (!t.isKeyword(keyword)) {
            throw FilterException.syntax(t.position(), expected, t.describe());
        }
        next++;
    }
}

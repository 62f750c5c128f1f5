package cn.haizhu.grid.server.features.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokens of CQL2 text: identifiers (bare, or in double quotes), character strings in single quotes
 * ({@code ''} stands for one quote), numbers (an optional sign, digits, fraction, exponent), the
 * comparison operators, parentheses and commas. Keywords are identifiers the parser compares without
 * case. Positions are 1-based character offsets.
 */
final class Cql2Lexer {
    enum Kind { IDENTIFIER, QUOTED_IDENTIFIER, STRING, NUMBER, OPERATOR, LEFT, RIGHT, COMMA, END }

    record Token(Kind kind, String text, int position) {
        boolean is(Kind k) {
            return kind == k;
        }

        boolean isKeyword(String keyword) {
            return kind == Kind.IDENTIFIER && text.equalsIgnoreCase(keyword);
        }

        /** How an error message names this token. */
        String describe() {
            return kind == Kind.END ? "the end of the filter" : "'" + abbreviate(text) + "'";
        }

        private static String abbreviate(String s) {
            return s.length() <= 40 ? s : s.substring(0, 40) + "…";
        }
    }

    private final String text;
    private int at;

    private Cql2Lexer(String text) {
        this.text = text;
    }

    static List<Token> tokens(String text) {
        return new Cql2Lexer(text).all();
    }

    private List<Token> all() {
        List<Token> out = new ArrayList<>();
        while (true) {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
            if (at >= text.length()) {
                out.add(new Token(Kind.END, "", text.length() + 1));
                return out;
            }
            out.add(next());
        }
    }

    private Token next() {
        int start = at;
        char c = text.charAt(at);
        if (c == '(') {
            at++;
            return new Token(Kind.LEFT, "(", start + 1);
        }
        if (c == ')') {
            at++;
            return new Token(Kind.RIGHT, ")", start + 1);
        }
        if (c == ',') {
            at++;
            return new Token(Kind.COMMA, ",", start + 1);
        }
        if (c == '=' ) {
            at++;
            return new Token(Kind.OPERATOR, "=", start + 1);
        }
        if (c == '<' || c == '>') {
            at++;
            if (at < text.length() && (text.charAt(at) == '=' || (c == '<' && text.charAt(at) == '>'))) {
                at++;
            }
            return new Token(Kind.OPERATOR, text.substring(start, at), start + 1);
        }
        if (c == '\'') {
            return string(start);
        }
        if (c == '"') {
            return quotedIdentifier(start);
        }
        if (digit(c) || c == '.' || ((c == '-' || c == '+') && at + 1 < text.length()
                && (digit(text.charAt(at + 1)) || text.charAt(at + 1) == '.'))) {
            return number(start);
        }
        if (identifierStart(c)) {
            while (at < text.length() && identifierPart(text.charAt(at))) {
                at++;
            }
            return new Token(Kind.IDENTIFIER, text.substring(start, at), start + 1);
        }
        throw FilterException.syntax(start + 1, "a property, a literal, an operator or a parenthesis",
                "'" + new String(Character.toChars(text.codePointAt(start))) + "'");
    }

    private Token string(int start) {
        StringBuilder value = new StringBuilder();
        at++;
        while (true) {
            if (at >= text.length()) {
                throw FilterException.syntax(text.length() + 1, "a closing ' of the string started at position "
                        + (start + 1), "the end of the filter");
            }
            char c = text.charAt(at++);
            if (c == '\'') {
                if (at < text.length() && text.charAt(at) == '\'') {
                    value.append('\'');
                    at++;
                } else {
                    return new Token(Kind.STRING, value.toString(), start + 1);
                }
            } else {
                value.append(c);
            }
        }
    }

    private Token quotedIdentifier(int start) {
        int close = text.indexOf('"', start + 1);
        if (close < 0) {
            throw FilterException.syntax(text.length() + 1, "a closing \" of the property name started at position "
                    + (start + 1), "the end of the filter");
        }
        at = close + 1;
        return new Token(Kind.QUOTED_IDENTIFIER, text.substring(start + 1, close), start + 1);
    }

    private Token number(int start) {
        if (text.charAt(at) == '-' || text.charAt(at) == '+') {
            at++;
        }
        int digits = digits();
        if (at < text.length() && text.charAt(at) == '.') {
            at++;
            digits += digits();
        }
        if (digits == 0) {
            throw FilterException.syntax(start + 1, "a number", "'" + text.substring(start, at) + "'");
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < text.length() && (text.charAt(at) == '-' || text.charAt(at) == '+')) {
                at++;
            }
            if (digits() == 0) {
                throw FilterException.syntax(at + 1, "the digits of an exponent", found());
            }
        }
        if (at < text.length() && identifierPart(text.charAt(at))) {
            throw FilterException.syntax(at + 1, "a space, an operator or a parenthesis after a number", found());
        }
        return new Token(Kind.NUMBER, text.substring(start, at), start + 1);
    }

    private int digits() {
        int n = 0;
        while (at < text.length() && digit(text.charAt(at))) {
            at++;
            n++;
        }
        return n;
    }

    private String found() {
        return at < text.length() ? "'" + text.charAt(at) + "'" : "the end of the filter";
    }

    /** ASCII digits only: numbers are read by BigDecimal and Double. */
    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    // CQL2's identifierStart is letters (of any script: 网格 is a name too) and the underscore;
    // parts add digits, '.', ':' (namespaced names) and combining marks.
    private static boolean identifierStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == ':'
                || Character.getType(c) == Character.NON_SPACING_MARK;
    }
}

package cn.haizhu.grid.server.upgrades;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expand/contract rule of migrations, as a check (docs/UPGRADES.md): a migration newer than the
 * previous release may only add (tables, columns that are nullable or have a default, indexes,
 * functions, rows) or loosen (DROP NOT NULL, DROP DEFAULT), because the previous release's servers keep
 * running on the migrated schema. What would break them is refused: dropping a column, a table, a view,
 * a sequence, a type or a function; renaming anything; changing a column's type; making an existing
 * column NOT NULL; adding a NOT NULL column without a default (the previous release's INSERTs do not
 * name it). Objects the same newer migrations created are exempt: the previous release never knew them.
 *
 * <p>A <em>contract step</em> removes what only releases before the previous one used: it comes a
 * release after the expand step that replaced it, when no server that uses it may run any more (each
 * release moves the schema's window to the previous release, {@link #window}, so an older server
 * refuses to start on it, saying so). It is marked by a line {@code -- contract: <why the previous
 * release no longer uses what this removes>}, and is then not checked. Deliberately simple: a reading
 * of the SQL text, statement by statement, without function bodies, string literals and comments.
 */
final class ExpandContract {
    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.DOTALL;
    private static final Pattern CONTRACT = Pattern.compile("^\\s*--[ \\t]*contract:[ \\t]*\\S", Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    private static final Pattern WINDOW = Pattern.compile("\\b(?:INSERT\\s+INTO\\s+schema_window\\s*\\(\\s*oldest_server_schema\\s*\\)"
            + "\\s*VALUES\\s*\\(|UPDATE\\s+schema_window\\s+SET\\s+oldest_server_schema\\s*=)\\s*(\\d+)", FLAGS);
    private static final Pattern DOLLAR_QUOTED = Pattern.compile("\\$([A-Za-z_]\\w*|)\\$.*?\\$\\1\\$", Pattern.DOTALL);
    private static final Pattern LITERAL = Pattern.compile("'(?:[^']|'')*'");
    private static final Pattern LINE_COMMENT = Pattern.compile("--[^\\n]*");
    private static final Pattern CREATES = Pattern.compile("\\bCREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:UNLOGGED\\s+)?"
            + "(TABLE|VIEW|MATERIALIZED\\s+VIEW|SEQUENCE|TYPE|FUNCTION)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([\\w.\"]+)", FLAGS);
    private static final Pattern DROPS = Pattern.compile("\\bDROP\\s+(TABLE|VIEW|MATERIALIZED\\s+VIEW|SEQUENCE|TYPE|FUNCTION)\\s+"
            + "(?:IF\\s+EXISTS\\s+)?([\\w.\"]+)", FLAGS);
    private static final Pattern ALTERS_TABLE = Pattern.compile("^\\s*ALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:ONLY\\s+)?([\\w.\"]+)", FLAGS);
    private static final Pattern DROP_COLUMN = Pattern.compile("\\bDROP\\s+COLUMN\\b", FLAGS);
    private static final Pattern RENAME = Pattern.compile("\\bRENAME\\b", FLAGS);
    private static final Pattern TYPE_CHANGE = Pattern.compile("\\bALTER\\s+(?:COLUMN\\s+)?[\\w\"]+\\s+(?:SET\\s+DATA\\s+)?TYPE\\b", FLAGS);
    private static final Pattern SET_NOT_NULL = Pattern.compile("\\bSET\\s+NOT\\s+NULL\\b", FLAGS);
    private static final Pattern ADD_COLUMN = Pattern.compile("\\bADD\\s+(?:COLUMN\\s+)?(?!CONSTRAINT\\b|PRIMARY\\b|UNIQUE\\b|CHECK\\b|FOREIGN\\b)"
            + "(?:IF\\s+NOT\\s+EXISTS\\s+)?[\\w\"]+\\s+.*?(?=,\\s*ADD\\b|$)", FLAGS);
    private static final Pattern NOT_NULL = Pattern.compile("\\bNOT\\s+NULL\\b", FLAGS);
    private static final Pattern DEFAULT = Pattern.compile("\\bDEFAULT\\b|\\bGENERATED\\b", FLAGS);

    private ExpandContract() {
    }

    /** One migration file: its name and text. */
    record Migration(String name, String sql) {
    }

    /**
     * What in {@code migrations} (the versioned migrations newer than the previous release, in order)
     * would break the previous release's servers, each as "file: what"; empty when they keep the rule.
     */
    static List<String> violations(List<Migration> migrations) {
        Set<String> created = new HashSet<>();
        for (Migration m : migrations) {
            Matcher c = CREATES.matcher(code(m.sql()));
            while (c.find()) {
                created.add(name(c.group(2)));
            }
        }
        List<String> out = new ArrayList<>();
        for (Migration m : migrations) {
            if (CONTRACT.matcher(m.sql()).find()) {
                continue;
            }
            for (String statement : code(m.sql()).split(";")) {
                check(m.name(), statement.strip(), created, out);
            }
        }
        return out;
    }

    private static void check(String file, String statement, Set<String> created, List<String> out) {
        if (statement.isEmpty()) {
            return;
        }
        String shown = statement.replaceAll("\\s+", " ");
        shown = shown.length() > 120 ? shown.substring(0, 117) + "…" : shown;
        Matcher drop = DROPS.matcher(statement);
        while (drop.find()) {
            if (!created.contains(name(drop.group(2)))) {
                out.add(file + ": drops " + drop.group(1).toLowerCase(Locale.ROOT) + " " + name(drop.group(2))
                        + ", which the previous release may use (a contract step): " + shown);
            }
        }
        Matcher table = ALTERS_TABLE.matcher(statement);
        boolean newTable = table.find() && created.contains(name(table.group(1)));
        if (RENAME.matcher(statement).find()) {
            out.add(file + ": renames, which the previous release does not know (add the new, contract the old later): " + shown);
        }
        if (newTable) {
            return;
        }
        if (DROP_COLUMN.matcher(statement).find()) {
            out.add(file + ": drops a column the previous release may read or write (a contract step): " + shown);
        }
        if (TYPE_CHANGE.matcher(statement).find()) {
            out.add(file + ": changes a column's type under the previous release (add a column, backfill, contract later): " + shown);
        }
        if (SET_NOT_NULL.matcher(statement).find()) {
            out.add(file + ": makes an existing column NOT NULL, which the previous release's writes may leave empty: " + shown);
        }
        if (table.reset().find()) {
            Matcher add = ADD_COLUMN.matcher(statement);
            while (add.find()) {
                if (NOT_NULL.matcher(add.group()).find() && !DEFAULT.matcher(add.group()).find()) {
                    out.add(file + ": adds a NOT NULL column without a default, which the previous release's INSERTs do not fill: " + shown);
                }
            }
        }
    }

    /**
     * The schema's window as {@code migrations} leave it (the last {@code oldest_server_schema} they
     * set), or -1 when they do not set it.
     */
    static int window(List<Migration> migrations) {
        int window = -1;
        for (Migration m : migrations) {
            Matcher w = WINDOW.matcher(code(m.sql()));
            while (w.find()) {
                window = Integer.parseInt(w.group(1));
            }
        }
        return window;
    }

    /** The SQL without function bodies, string literals and comments: the statements themselves. */
    static String code(String sql) {
        String s = DOLLAR_QUOTED.matcher(sql).replaceAll(" ");
        s = LINE_COMMENT.matcher(s).replaceAll(" ");
        return LITERAL.matcher(s).replaceAll("''");
    }

    private static String name(String raw) {
        String n = raw.replace("\"", "").toLowerCase(Locale.ROOT);
        return n.startsWith("public.") ? n.substring("public.".length()) : n;
    }
}

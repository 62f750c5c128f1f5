package cn.haizhu.grid.importers.load;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One dataset as data: everything the load strategies ({@link Load}) need to know of it, and nothing
 * they do. {@link DatasetSpecs} lists them all; the SQL that depends on a dataset is built from these
 * values in {@link LoadSql} alone.
 *
 * @param code        the dataset's name in logs and job records ({@code persons})
 * @param table       the target table
 * @param columns     what a checked row stages, in COPY order: the target's own columns, before the
 *                    place ({@link Placement#placedColumns()}), the gid and the origin
 * @param key         the column that must be unique in the file and finds the stored record
 * @param placement   how a row finds its grid
 * @param merge       which columns make a stored record "changed", and what an update leaves alone
 * @param check       checks one row and writes its {@code columns}, or refuses it; null for the admin
 *                    areas, which {@link AreaLoader} reads as whole reference layers
 * @param firstPass   what the first pass of a two-pass first load stages, or null when the dataset
 *                    never loads in two passes ({@link TwoPassLoad})
 * @param stagedCheck checks on the staged rows that need PostGIS (grids: polygon repair)
 * @param aroundMerge what runs just before and after the merge, in its transaction (grids: the houses
 *                    and enterprises under a reshaped grid are placed again)
 */
public record DatasetSpec(String code, String table, List<Column> columns, Key key, Placement placement, Merge merge,
                          RowCheck check, FirstPass firstPass, StagedCheck stagedCheck, AroundMerge aroundMerge) {
    /** What may stand in SQL as an identifier: the specs' own fixed names, never anything from a file. */
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\[])?( ?\\([A-Za-z0-9, ]+\\))?");

    public DatasetSpec {
        identifier(code);
        identifier(table);
        columns = List.copyOf(columns);
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(merge, "merge");
        Objects.requireNonNull(stagedCheck, "stagedCheck");
        Objects.requireNonNull(aroundMerge, "aroundMerge");
        List<String> names = names(columns);
        if (!names.contains(key.column()) || !names.contains(key.shown())) {
            throw new IllegalArgumentException(code + ": the key " + key + " is not among the staged columns " + names);
        }
        if (firstPass != null && !names(firstPass.columns()).containsAll(List.of(key.column(), key.shown()))) {
            throw new IllegalArgumentException(code + ": the first pass must stage the key and how it is shown " + key);
        }
    }

    /**
     * The staged column a row that finds no place is reported under, with its value: the house code a person
     * names (an unknown house is that field's fault, not the ID number's), else the key as shown.
     */
    public String unplacedColumn() {
        return placement == Placement.HOUSE_CODE ? Placement.HOUSE_FIELD : key.shown();
    }

    /** The staged columns' names, in COPY order. */
    public List<String> columnNames() {
        return names(columns);
    }

    static List<String> names(List<Column> columns) {
        return columns.stream().map(Column::name).toList();
    }

    static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not an SQL identifier of ours: " + name);
        }
        return name;
    }

    /** A staged column: its name and SQL type ({@code geometry(Point, 4326)}, {@code text[]}). */
    public record Column(String name, String type) {
        public Column {
            identifier(name);
            if (type == null || !TYPE.matcher(type).matches()) {
                throw new IllegalArgumentException("not a column type of ours: " + type);
            }
        }

        /** Columns from "name type" pairs, as a table definition writes them. */
        static List<Column> of(String... definitions) {
            return java.util.Arrays.stream(definitions).map(d -> {
                int space = d.indexOf(' ');
                return new Column(d.substring(0, space), d.substring(space + 1));
            }).toList();
        }
    }

    /**
     * The key: the column that is unique in the file and in the table, the column a reject shows for it
     * (a person's ID number masked, not its keyed hash), and, where the table has one, the identity
     * column a COPY fills in file order, by which a one-pass first load tells the copies of a key apart
     * ({@link OnePassLoad}).
     */
    public record Key(String column, String shown, String loadOrder) {
        public Key {
            identifier(column);
            identifier(shown);
            if (loadOrder != null) {
                identifier(loadOrder);
            }
        }

        static Key of(String column) {
            return new Key(column, column, null);
        }
    }

    /**
     * What a re-import compares and writes.
     *
     * @param compared columns whose difference makes a stored record "changed" (a ciphertext never is
     *                 one: its nonce differs on every import; its keyed hash is)
     * @param kept     columns an update leaves as stored (the key's own ciphertext and mask)
     * @param sealed   ciphertext column → the hash column it goes with: replaced only when the hash changed
     */
    public record Merge(List<String> compared, List<String> kept, Map<String, String> sealed) {
        public Merge {
            compared = List.copyOf(compared);
            kept = List.copyOf(kept);
            sealed = Map.copyOf(sealed);
            compared.forEach(DatasetSpec::identifier);
            kept.forEach(DatasetSpec::identifier);
            sealed.forEach((enc, hash) -> {
                identifier(enc);
                identifier(hash);
            });
        }

        static Merge comparing(String... compared) {
            return new Merge(List.of(compared), List.of(), Map.of());
        }
    }

    /** Checks one row and writes its staged values, or refuses it with the field and the reason. */
    @FunctionalInterface
    public interface RowCheck {
        void write(Row row, CopyWriter out) throws RejectedRow;
    }

    /**
     * The first pass of a two-pass first load: the narrow columns staged per row (the key as shown, and
     * what placing it needs), checked exactly as {@link DatasetSpec#check()} checks the row; and, where
     * the key is a code of plain digits and no personal data (a house code), that code, so duplicates
     * are found in memory as the file streams (null: found in SQL).
     */
    public record FirstPass(List<Column> columns, RowCheck check, Function<Row, String> digitKey) {
        public FirstPass {
            columns = List.copyOf(columns);
            Objects.requireNonNull(check, "check");
        }
    }

    /**
     * Checks on the staged rows that need PostGIS, after in-file duplicates are reported: rejects (removing
     * them from the staging table) or warns; returns how many it rejected.
     */
    @FunctionalInterface
    public interface StagedCheck {
        StagedCheck NONE = (s, sink) -> 0;

        long run(Statement s, Sink sink) throws SQLException;
    }

    /** What runs just before the merge (the target still holds the old rows) and just after it, in its transaction. */
    public interface AroundMerge {
        AroundMerge NONE = new AroundMerge() {
        };

        default void before(Statement s) throws SQLException {
        }

        default void after(Statement s, Sink sink) throws SQLException {
        }
    }
}

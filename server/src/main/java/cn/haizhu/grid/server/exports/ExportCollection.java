package cn.haizhu.grid.server.exports;

import cn.haizhu.grid.data.db.SqlFile;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The collections an export can hold (the OGC feature collections of issue 17, and persons, which are
 * no feature collection): their columns in the order they are written, the geometry they carry, the
 * permission reading them needs and the alias of their table in their query, on which a CQL2 filter
 * names its columns. The column names of houses, enterprises and persons are the importers' own field
 * names, so an export imports again as it is ({@code ./gridctl import houses 房屋.gpkg} changes nothing).
 */
public enum ExportCollection {
    STREETS("streets", "a", Geometry.MULTIPOLYGON, "areas.read", "街道",
            List.of(Field.text("code", 9), Field.text("name", 80), Field.real("area_m2"))),
    COMMUNITIES("communities", "a", Geometry.MULTIPOLYGON, "areas.read", "社区",
            List.of(Field.text("code", 12), Field.text("name", 80), Field.text("street_code", "street_cd", 9),
                    Field.real("area_m2"))),
    GRIDS("grids", "g", Geometry.MULTIPOLYGON, "areas.read", "网格",
            List.of(Field.text("code", 14), Field.text("name", 80), Field.text("community_code", "comm_code", 12),
                    Field.text("street_code", "street_cd", 9), Field.real("area_m2"))),
    HOUSES("houses", "h", Geometry.POINT, "records.read", "房屋",
            List.of(Field.text("house_code", 24), Field.text("address", 200), Field.text("building", 40),
                    Field.text("unit", 20), Field.integer("floor", 4), Field.text("room", 20), Field.text("use", 20),
                    Field.text("grid_code", 14), Field.text("community_code", "comm_code", 12),
                    Field.text("street_code", "street_cd", 9))),
    ENTERPRISES("enterprises", "e", Geometry.POINT, "records.read", "企业",
            List.of(Field.text("credit_code", "credit_cd", 18), Field.text("name", 120), Field.text("industry", 60),
                    Field.text("legal_person", "legal_pers", 40), Field.text("address", 200),
                    Field.text("grid_code", 14), Field.text("community_code", "comm_code", 12),
                    Field.text("street_code", "street_cd", 9))),
    CASES("cases", "c", Geometry.POINT, "cases.read", "案件",
            List.of(Field.text("case_number", "case_no", 30), Field.text("source", 20),
                    Field.text("category_code", "category", 6), Field.text("urgency", 10), Field.text("title", 200),
                    Field.text("description", "descr", 254), Field.text("address", 200), Field.text("state", 20),
                    Field.text("department_code", "department", 6), Field.text("grid_code", 14),
                    Field.text("community_code", "comm_code", 12), Field.text("street_code", "street_cd", 9),
                    Field.text("created_at", "created", 19), Field.text("deadline", 19),
                    Field.text("closed_at", "closed", 19))),
    /**
     * Persons (实有人口) as the persons API shows them (people/PersonView): masked by default, in full
     * for pii.read with a purpose; a field the view withholds is empty (masked: birth_date and tags;
     * unmasked: birth_decade). At their house's point. The persons API's permission, records.read.
     */
    PERSONS("persons", "p", Geometry.POINT, "records.read", "实有人口",
            List.of(Field.text("id", 36), Field.text("name", 40), Field.text("gender", 1),
                    Field.text("household_type", "household", 10), Field.text("id_type", 20),
                    Field.text("id_number", 30), Field.text("phone", 20), Field.text("birth_date", 10),
                    Field.integer("birth_decade", "birth_dec", 4), Field.text("tags", 60),
                    Field.text("house_code", 24), Field.text("grid_code", 14), Field.text("community_code", "comm_code", 12),
                    Field.text("street_code", "street_cd", 9)));

    /** The geometry of a collection's rows. */
    public enum Geometry {
        POINT("POINT", 1), MULTIPOLYGON("MULTIPOLYGON", 5);

        final String gpkgName;
        /** The Shapefile shape type (1 point, 5 polygon). */
        final int shapeType;

        Geometry(String gpkgName, int shapeType) {
            this.gpkgName = gpkgName;
            this.shapeType = shapeType;
        }
    }

    /** What a column holds. */
    public enum Type { TEXT, INTEGER, REAL }

    /**
     * A column: its name, the name in a Shapefile's DBF (at most 10 bytes, the format's limit) and, for
     * a DBF, its width in characters (a text longer than the width is cut there, on a character).
     */
    public record Field(String name, String dbfName, Type type, int width) {
        public Field {
            if (dbfName.length() > 10) {
                throw new IllegalArgumentException("a DBF field name has at most 10 bytes: " + dbfName);
            }
        }

        static Field text(String name, int width) {
            return new Field(name, name, Type.TEXT, width);
        }

        static Field text(String name, String dbfName, int width) {
            return new Field(name, dbfName, Type.TEXT, width);
        }

        static Field integer(String name, int width) {
            return new Field(name, name, Type.INTEGER, width);
        }

        static Field integer(String name, String dbfName, int width) {
            return new Field(name, dbfName, Type.INTEGER, width);
        }

        static Field real(String name) {
            return new Field(name, name, Type.REAL, 19);
        }
    }

    private final String code;
    private final String alias;
    private final Geometry geometry;
    private final String permission;
    private final String title;
    private final List<Field> fields;
    private final String sql;

    ExportCollection(String code, String alias, Geometry geometry, String permission, String title, List<Field> fields) {
        this.code = code;
        this.alias = alias;
        this.geometry = geometry;
        this.permission = permission;
        this.title = title;
        this.fields = fields;
        this.sql = SqlFile.load(ExportCollection.class, "export_" + code);
    }

    public String code() {
        return code;
    }

    /** The alias of the collection's table in its {@code export_*.sql}, which a filter's columns are named on. */
    public String alias() {
        return alias;
    }

    /** Whether its rows are residents' personal data: masked unless the reader may and asks (people/Disclosure). */
    public boolean personal() {
        return this == PERSONS;
    }

    public Geometry geometry() {
        return geometry;
    }

    /** The permission reading this collection needs (beyond the route's). */
    public String permission() {
        return permission;
    }

    /** The Chinese name, for file names and layer descriptions. */
    public String title() {
        return title;
    }

    public List<Field> fields() {
        return fields;
    }

    /**
     * The query: the fields in order (persons: the stored columns their view is made from), then the
     * geometry as WKB, {@code geom}; its parameters are the street, twice ('' = all).
     */
    String sql() {
        return sql;
    }

    public static Optional<ExportCollection> byCode(String code) {
        String c = code.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(v -> v.code.equals(c)).findFirst();
    }

    public static List<String> codes() {
        return Arrays.stream(values()).map(ExportCollection::code).toList();
    }
}

package cn.haizhu.grid.server.features.filter;

import static cn.haizhu.grid.server.features.filter.QueryableType.BOOLEAN;
import static cn.haizhu.grid.server.features.filter.QueryableType.GEOMETRY;
import static cn.haizhu.grid.server.features.filter.QueryableType.INTEGER;
import static cn.haizhu.grid.server.features.filter.QueryableType.NUMBER;
import static cn.haizhu.grid.server.features.filter.QueryableType.STRING;
import static cn.haizhu.grid.server.features.filter.QueryableType.TIMESTAMP;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The queryables of the six feature collections (streets, communities, grids, houses, enterprises,
 * cases), over the tables the features read: admin_area (level street or community), grid, house,
 * enterprise, civic_case. Every geometry is {@code geom} in EPSG:4326 and every filter names it
 * {@code geometry}. Personal data is never a queryable: no person is a collection, and of the
 * collections' tables the enterprise's legal person (法定代表人), a case's reporter, assignee and
 * free-text description stay out (a filter on them would reveal them row by row, however the
 * properties are masked). Exports filter persons too, over queryables of their own that hold no
 * personal field ({@link #ofExport}).
 */
public final class Queryables {
    /** The geometry's queryable name in every collection, as OGC API Features Part 3 examples use it. */
    public static final String GEOMETRY_NAME = "geometry";
    private static final int SRID = 4326;

    private static final Queryable UPDATED_AT = Queryable.of("updated_at", TIMESTAMP, "更新时间");
    private static final Queryable AREA = Queryable.of("area_m2", NUMBER, "面积（平方米）");
    private static final Queryable GRID = Queryable.of("grid_code", STRING, "网格编码");
    private static final Queryable COMMUNITY = Queryable.of("community_code", STRING, "社区编码");
    private static final Queryable STREET = Queryable.of("street_code", STRING, "街道编码");
    private static final Queryable GEOMETRY_COLUMN = new Queryable(GEOMETRY_NAME, "geom", GEOMETRY, "几何");

    private static final Map<String, CollectionQueryables> COLLECTIONS = Map.of(
            "streets", new CollectionQueryables("streets", "街道", SRID, "geometry-multipolygon", List.of(
                    Queryable.of("code", STRING, "街道编码"),
                    Queryable.of("name", STRING, "街道名称"),
                    AREA, UPDATED_AT, GEOMETRY_COLUMN)),
            "communities", new CollectionQueryables("communities", "社区", SRID, "geometry-multipolygon", List.of(
                    Queryable.of("code", STRING, "社区编码"),
                    Queryable.of("name", STRING, "社区名称"),
                    STREET, AREA, UPDATED_AT, GEOMETRY_COLUMN)),
            "grids", new CollectionQueryables("grids", "单元网格", SRID, "geometry-multipolygon", List.of(
                    Queryable.of("code", STRING, "网格编码"),
                    Queryable.of("name", STRING, "网格名称"),
                    COMMUNITY, STREET, AREA, UPDATED_AT, GEOMETRY_COLUMN)),
            "houses", new CollectionQueryables("houses", "房屋", SRID, "geometry-point", List.of(
                    Queryable.of("code", STRING, "房屋编码"),
                    Queryable.of("address", STRING, "标准地址"),
                    Queryable.of("building", STRING, "楼栋"),
                    Queryable.of("unit", STRING, "单元"),
                    Queryable.of("floor", INTEGER, "楼层"),
                    Queryable.of("room", STRING, "房号"),
                    Queryable.of("use", STRING, "房屋用途"),
                    GRID, COMMUNITY, STREET, UPDATED_AT, GEOMETRY_COLUMN)),
            "enterprises", new CollectionQueryables("enterprises", "法人单位", SRID, "geometry-point", List.of(
                    Queryable.of("credit_code", STRING, "统一社会信用代码"),
                    Queryable.of("name", STRING, "单位名称"),
                    Queryable.of("industry", STRING, "行业"),
                    Queryable.of("address", STRING, "地址"),
                    GRID, COMMUNITY, STREET, UPDATED_AT, GEOMETRY_COLUMN)),
            "cases", new CollectionQueryables("cases", "案件", SRID, "geometry-point", List.of(
                    Queryable.of("case_number", STRING, "案件编号"),
                    Queryable.of("source", STRING, "案件来源"),
                    Queryable.of("category_code", STRING, "案件类别"),
                    Queryable.of("urgency", STRING, "紧急程度"),
                    Queryable.of("title", STRING, "案件标题"),
                    Queryable.of("address", STRING, "发生地址"),
                    Queryable.of("state", STRING, "案件状态"),
                    Queryable.of("department_code", STRING, "责任部门"),
                    Queryable.of("escalation_level", INTEGER, "督办级别"),
                    Queryable.of("near_boundary", BOOLEAN, "靠近网格边界"),
                    Queryable.of("outside_district", BOOLEAN, "辖区外"),
                    Queryable.of("closed_on_time", BOOLEAN, "按期结案"),
                    Queryable.of("created_at", TIMESTAMP, "上报时间"),
                    Queryable.of("filed_at", TIMESTAMP, "立案时间"),
                    Queryable.of("deadline", TIMESTAMP, "处置时限"),
                    Queryable.of("closed_at", TIMESTAMP, "结案时间"),
                    GRID, COMMUNITY, STREET, UPDATED_AT, GEOMETRY_COLUMN)));

    /**
     * Persons (实有人口) are no feature collection, but they are exported (server/.../exports), and an
     * export takes the same filters. Only what says where a person lives and of which kind: codes, the
     * document type, gender, household type, the time of the last change and the house's point. No ID
     * number, phone, name, birth date or tag: a filter on one would tell it row by row, whatever the
     * file masks. Not listed under /collections (so no queryables document either).
     */
    private static final CollectionQueryables PERSONS = new CollectionQueryables("persons", "实有人口", SRID, "geometry-point",
            List.of(Queryable.of("house_code", STRING, "房屋编码"), GRID, COMMUNITY, STREET,
                    Queryable.of("id_type", STRING, "证件类型"),
                    Queryable.of("gender", STRING, "性别"),
                    Queryable.of("household_type", STRING, "户籍类型"),
                    UPDATED_AT, GEOMETRY_COLUMN));

    private Queryables() {
    }

    /** The queryables of the collection {@code collectionId}, if it is one of the six. */
    public static Optional<CollectionQueryables> of(String collectionId) {
        return Optional.ofNullable(COLLECTIONS.get(collectionId));
    }

    /** The queryables of an export of {@code collectionId}: a feature collection's, or the persons'. */
    public static Optional<CollectionQueryables> ofExport(String collectionId) {
        return collectionId.equals(PERSONS.collectionId()) ? Optional.of(PERSONS) : of(collectionId);
    }

    public static List<String> collectionIds() {
        return COLLECTIONS.keySet().stream().sorted().toList();
    }
}

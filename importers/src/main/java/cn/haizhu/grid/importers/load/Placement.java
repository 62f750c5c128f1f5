package cn.haizhu.grid.importers.load;

import java.util.List;

/**
 * How a row of a dataset finds its grid, and with it its community and street ({@link #placedColumns()}).
 * A row that finds none is rejected with the placement's reason. The SQL of each is in {@link LoadSql}.
 */
public enum Placement {
    /**
     * Houses, enterprises: the grid the row's point lies in, by point-in-polygon in PostGIS, grid by grid
     * over a spatial index on the staged points (a point on a shared edge goes to the smallest code).
     */
    POINT_IN_GRID(true, "the location lies in no unit grid", "坐标不在任何单元网格内"),
    /**
     * Persons: the place of the house whose code the row names ({@code house_code}), looked up in memory
     * on a first load ({@link KnownPlaces}), joined to the house table otherwise.
     */
    HOUSE_CODE(true, "house_code names no known house (not in this file's house import nor in the database)",
            "房屋编码不存在（数据库中无此房屋）"),
    /**
     * Grids: their own code says their community and street (digits 1-12 and 1-9); that community must be
     * a known one of that street. A grid is a polygon drawn into its street: a street's officer may not
     * draw it into a neighbouring one.
     */
    OWN_CODE(false, "the grid's community (digits 1-12 of its code) is not a known community of its street;"
            + " load the admin areas first", "网格所属社区（编码前 12 位）不是已知的本街道社区，请先导入行政区划"),
    /** Admin areas: reference data, placed by nothing. */
    NONE(false, null, null);

    /** The row field that names the house of a {@link #HOUSE_CODE} placement. */
    static final String HOUSE_FIELD = "house_code";

    private final boolean gridColumns;
    private final String unplacedEn;
    private final String unplacedZh;

    Placement(boolean gridColumns, String unplacedEn, String unplacedZh) {
        this.gridColumns = gridColumns;
        this.unplacedEn = unplacedEn;
        this.unplacedZh = unplacedZh;
    }

    /** The target columns the place fills, after the staged ones (a grid carries its own in its code). */
    public List<String> placedColumns() {
        return gridColumns ? List.of("grid_code", "community_code", "street_code") : List.of();
    }

    /** Why a row could not be placed, in English. */
    public String unplacedEn() {
        return unplacedEn;
    }

    /** Why a row could not be placed, in Chinese. */
    public String unplacedZh() {
        return unplacedZh;
    }
}

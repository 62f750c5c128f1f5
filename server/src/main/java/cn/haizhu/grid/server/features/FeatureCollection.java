package cn.haizhu.grid.server.features;

import cn.haizhu.grid.data.db.SqlFile;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One collection of the OGC API: its id, titles, the permission that reads it (the same as the
 * API's reads of those records), the shape of its feature ids, and its source query
 * ({@code <id>.sql}: {@code id, geom, at, properties} per record, keyed and ordered by {@code id}), with
 * a {@code {filter}} slot in its WHERE for a CQL2 filter over its table, whose alias is {@code alias}
 * (the filter names the table's columns, the queryables, not the answer's properties).
 *
 * @param temporal whether its time ({@code at}) is the records' own time (the cases' reporting), so
 *                 the collection has a temporal extent; elsewhere {@code at} is the last change
 */
public record FeatureCollection(String id, String title, String description, String permission, Pattern key,
                                boolean temporal, String alias, String source) {
    public static final List<FeatureCollection> ALL = List.of(
            of("streets", "街道 Streets", "海珠区的街道及其边界", "areas.read", "\\d{9}", false, "a"),
            of("communities", "社区 Communities", "社区（居委会）及其边界", "areas.read", "\\d{12}", false, "a"),
            of("grids", "单元网格 Unit grids", "单元网格及其边界", "areas.read", "\\d{14}", false, "g"),
            of("houses", "房屋 Houses", "标准地址房屋（点）", "records.read", "\\d{14,24}", false, "h"),
            of("enterprises", "法人单位 Enterprises", "法人单位（点），以统一社会信用代码为标识", "records.read",
                    "[0-9A-HJ-NPQRTUWXY]{18}", false, "e"),
            of("cases", "案件 Cases", "城市管理案件（上报位置），时间为上报时间", "cases.read", "[A-Za-z0-9-]{1,40}", true, "c"));

    private static FeatureCollection of(String id, String title, String description, String permission, String key,
                                        boolean temporal, String alias) {
        return new FeatureCollection(id, title, description, permission, Pattern.compile(key), temporal, alias,
                SqlFile.load(FeatureCollection.class, id).strip());
    }

    public static Optional<FeatureCollection> find(String id) {
        return ALL.stream().filter(c -> c.id.equals(id)).findFirst();
    }
}

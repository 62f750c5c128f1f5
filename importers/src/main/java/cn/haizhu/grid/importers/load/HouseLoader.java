package cn.haizhu.grid.importers.load;

import java.util.List;
import java.util.Map;

/** Houses (房屋): code, standard address, building/unit/floor/room, use, lon/lat; grid by point-in-polygon. */
public final class HouseLoader extends CsvDatasetLoader {
    static final Map<String, String> USES = Map.of("住宅", "住宅", "商铺", "商铺", "办公", "办公", "厂房", "厂房", "其他", "其他");

    @Override
    protected String dataset() {
        return "houses";
    }

    @Override
    protected String targetTable() {
        return "house";
    }

    @Override
    protected List<String> requiredColumns() {
        return List.of("house_code", "address", "use", "lon", "lat");
    }

    @Override
    protected String stageTableSql() {
        return """
            CREATE TEMP TABLE stage_house (
                code text, address text, building text, unit text, floor smallint, room text, use text,
                geom geometry(Point, 4326)
            ) ON COMMIT DROP""";
    }

    @Override
    protected String copySql() {
        return "COPY stage_house (code, address, building, unit, floor, room, use, geom) FROM STDIN";
    }

    @Override
    protected void stage(Row row, CopyWriter out) throws RejectedRow {
        String code = row.required("house_code");
        if (!code.matches("\\d{14,24}")) {
            throw new RejectedRow("house_code '" + code + "' must be 14-24 digits");
        }
        String use = USES.get(row.required("use"));
        if (use == null) {
            throw new RejectedRow("use '" + row.get("use") + "' is not one of " + USES.keySet());
        }
        String floor = row.get("floor");
        if (floor != null && !floor.matches("-?\\d{1,3}")) {
            throw new RejectedRow("floor '" + floor + "' is not a whole number");
        }
        double lon = row.coordinate("lon", -180, 180);
        double lat = row.coordinate("lat", -90, 90);
        out.text(code).text(row.required("address")).text(row.get("building")).text(row.get("unit"))
                .text(floor).text(row.get("room")).text(use).point(lon, lat);
    }

    @Override
    protected List<String> prepareStageSql() {
        return PointPlacement.prepare("stage_house");
    }

    @Override
    protected String placedSql() {
        return PointPlacement.placed("stage_house", "code");
    }

    @Override
    protected String insertColumns() {
        return "code, address, building, unit, floor, room, use, geom, grid_code, community_code, street_code";
    }

    @Override
    protected String conflictClause() {
        return """
            ON CONFLICT (code) DO UPDATE SET
                address = EXCLUDED.address, building = EXCLUDED.building, unit = EXCLUDED.unit,
                floor = EXCLUDED.floor, room = EXCLUDED.room, use = EXCLUDED.use, geom = EXCLUDED.geom,
                grid_code = EXCLUDED.grid_code, community_code = EXCLUDED.community_code, street_code = EXCLUDED.street_code
            WHERE (t.address, t.building, t.unit, t.floor, t.room, t.use, t.geom, t.grid_code)
                  IS DISTINCT FROM
                  (EXCLUDED.address, EXCLUDED.building, EXCLUDED.unit, EXCLUDED.floor, EXCLUDED.room, EXCLUDED.use,
                   EXCLUDED.geom, EXCLUDED.grid_code)""";
    }
}

package cn.haizhu.grid.server.tiles;

import cn.haizhu.grid.data.codes.HouseUse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of tile layers. Request values are matched against these names and never reach
 * SQL: each layer's query is fixed text with z, x, y as parameters.
 *
 * <p>Zoom bands: outlines from the district view down; grids from z10 (the whole district is two
 * z10 tiles), carrying their counts so the wall colours and labels them without touching houses;
 * enterprises from z14 and houses from z15, where a tile holds a few blocks.
 */
public final class TileLayers {
    public static final int MAX_ZOOM = 18;

    private final Map<String, TileLayer> byName = new LinkedHashMap<>();

    private TileLayers() {
    }

    public static TileLayers standard() {
        TileLayers layers = new TileLayers();
        layers.add(TileLayer.of("district", 6, MAX_ZOOM, "海珠区 district outline",
                Map.of("code", "String: 6-digit admin code", "name", "String: name")));
        layers.add(TileLayer.of("streets", 8, MAX_ZOOM, "Streets (街道)",
                fields("code", "String: 9-digit street code", "name", "String: name")));
        layers.add(TileLayer.of("communities", 10, MAX_ZOOM, "Communities (社区)",
                fields("code", "String: 12-digit community code", "name", "String: name",
                        "street_code", "String: 9-digit street code")));
        layers.add(TileLayer.of("grids", 10, MAX_ZOOM, "Unit grids (单元网格) with their counts",
                fields("code", "String: 14-digit grid code", "name", "String: name",
                        "community_code", "String: 12-digit community code", "street_code", "String: 9-digit street code",
                        "residents", "Number: persons registered in the grid", "houses", "Number: houses",
                        "enterprises", "Number: enterprises", "area_m2", "Number: area in m²",
                        "density", "Number: residents per km²")));
        layers.add(TileLayer.of("houses", 15, MAX_ZOOM, "Houses (房屋), points",
                fields("code", "String: house code", "use", "String: house use, a GB/T 17986.1 class: " + String.join("/", HouseUse.storedValues()),
                        "grid_code", "String: 14-digit grid code")));
        layers.add(TileLayer.of("enterprises", 14, MAX_ZOOM, "Enterprises (法人单位), points",
                fields("credit_code", "String: unified social credit code", "name", "String: name",
                        "industry", "String: industry")));
        return layers;
    }

    private void add(TileLayer layer) {
        byName.put(layer.name(), layer);
    }

    public Optional<TileLayer> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Iterable<TileLayer> all() {
        return byName.values();
    }

    /** Field map in the order given (TileJSON lists them as written). */
    private static Map<String, String> fields(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}

package cn.haizhu.grid.server.tiles;

import cn.haizhu.grid.data.codes.HouseUse;
import java.util.LinkedHashMap;
import java.util.List;
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
    /**
     * The zoom from which the houses layer has one point per house. Below it, one point per location:
     * the rooms of a building share their building's point, and a z15 tile of them one by one weighed
     * up to 650 KB on the full demo; the point says how many houses it stands for (nothing is hidden).
     */
    public static final int HOUSES_ONE_BY_ONE = 17;

    private final Map<String, TileLayer> byName = new LinkedHashMap<>();

    private TileLayers() {
    }

    public static TileLayers standard() {
        TileLayers layers = new TileLayers();
        layers.add(TileLayer.of("district", 6, MAX_ZOOM, "海珠区 district outline", 2,
                fields(text("code", "6-digit admin code"), text("name", "name"))));
        layers.add(TileLayer.of("streets", 8, MAX_ZOOM, "Streets (街道)", 2,
                fields(text("code", "9-digit street code"), text("name", "name"))));
        layers.add(TileLayer.of("communities", 10, MAX_ZOOM, "Communities (社区)", 2,
                fields(text("code", "12-digit community code"), text("name", "name"),
                        text("street_code", "9-digit street code"))));
        layers.add(TileLayer.of("grids", 10, MAX_ZOOM, "Unit grids (单元网格) with their counts", 2,
                fields(text("code", "14-digit grid code"), text("name", "name"),
                        text("community_code", "12-digit community code"), text("street_code", "9-digit street code"),
                        number("residents", "persons registered in the grid"), number("houses", "houses"),
                        number("enterprises", "enterprises"), number("area_m2", "area in m²"),
                        number("density", "residents per km²"))));
        layers.add(TileLayer.of("houses", 15, MAX_ZOOM, "Houses (房屋), points; below z" + HOUSES_ONE_BY_ONE
                        + " one point per location (the rooms of a building share one), carrying how many houses stand there", 0,
                fields(text("code", "house code (below z" + HOUSES_ONE_BY_ONE + ": the lowest code at the point)"),
                        text("use", "house use, a GB/T 17986.1 class: " + String.join("/", HouseUse.storedValues())
                                + " (below z" + HOUSES_ONE_BY_ONE + ": the most frequent at the point)"),
                        text("grid_code", "14-digit grid code"),
                        number("houses", "houses at this point (1 from z" + HOUSES_ONE_BY_ONE + ")"))));
        layers.add(TileLayer.of("enterprises", 14, MAX_ZOOM, "Enterprises (法人单位), points", 0,
                fields(text("credit_code", "unified social credit code"), text("name", "name"),
                        text("industry", "industry"))));
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

    private static List<TileLayer.Field> fields(TileLayer.Field... fields) {
        return List.of(fields);
    }

    private static TileLayer.Field text(String name, String description) {
        return new TileLayer.Field(name, TileLayer.Field.STRING, description);
    }

    private static TileLayer.Field number(String name, String description) {
        return new TileLayer.Field(name, TileLayer.Field.NUMBER, description);
    }
}

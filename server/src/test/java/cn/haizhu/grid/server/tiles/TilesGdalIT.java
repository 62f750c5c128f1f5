package cn.haizhu.grid.server.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cn.haizhu.grid.server.Http;
import cn.haizhu.grid.server.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GDAL's MVT driver reads a zoom level of the tiles to the end (issue 17: it exited 1 on the 404s around the data). */
public class TilesGdalIT {
    static String command;

    @BeforeAll
    static void login() {
        Gdal.assumeInstalled();
        command = Http.token("command");
    }

    @Test
    void ogr2ogrCopiesAZoomLevelOfGridsAndExits0(@TempDir Path dir) throws Exception {
        String base = TestServer.get().baseUrl();
        Path out = dir.resolve("grids.gpkg");
        // the zoom level as a "directory" of tiles, its TileJSON as the metadata (bounds, fields and their types)
        Gdal.Run copy = Gdal.run(command, "ogr2ogr", "-f", "GPKG", out.toString(), "MVT:" + base + "/tiles/grids/12",
                "-oo", "TILE_EXTENSION=mvt", "-oo", "METADATA_FILE=" + base + "/tiles/grids.json");
        assertEquals(0, copy.exit(), copy.output());
        Gdal.Run info = Gdal.run(command, "ogrinfo", "-so", "-al", out.toString());
        assertEquals(0, info.exit(), info.output());
        Matcher count = Pattern.compile("Feature Count: (\\d+)").matcher(info.output());
        assertTrue(count.find(), info.output());
        // every grid is in some z12 tile (GDAL keeps a grid once per tile it crosses)
        assertTrue(Long.parseLong(count.group(1)) >= TestServer.get().count("SELECT count(*) FROM grid"), info.output());
        // typed by the TileJSON's type words: numbers are numbers, not String
        assertTrue(Pattern.compile("residents: (Real|Integer)").matcher(info.output()).find(), info.output());
        assertTrue(info.output().contains("code: String"), info.output());
    }
}

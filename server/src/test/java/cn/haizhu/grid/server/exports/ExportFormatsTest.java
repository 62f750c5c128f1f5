package cn.haizhu.grid.server.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rules of the formats that need no database: names, limits, and how a CSV cell is written. */
class ExportFormatsTest {

    @Test
    void aFileNameTellsItsFormat() {
        assertEquals(Optional.of(ExportFormat.GPKG), ExportFormat.ofFileName("房屋.gpkg"));
        assertEquals(Optional.of(ExportFormat.SHP), ExportFormat.ofFileName("houses.ZIP"), "a .zip is a zipped Shapefile");
        assertEquals(Optional.of(ExportFormat.SHP), ExportFormat.byCode("shp"));
        assertEquals(Optional.of(ExportFormat.GEOJSON), ExportFormat.ofFileName("a.json"));
        assertEquals(Optional.of(ExportFormat.XLSX), ExportFormat.ofFileName("a.b.xlsx"));
        assertEquals(Optional.empty(), ExportFormat.ofFileName("houses"));
        assertEquals(Optional.empty(), ExportFormat.ofFileName("houses.pdf"));
    }

    @Test
    void everyDbfFieldNameFitsTenBytesAndIsUniqueInItsCollection() {
        for (ExportCollection c : ExportCollection.values()) {
            Set<String> names = new HashSet<>();
            for (ExportCollection.Field f : c.fields()) {
                assertTrue(f.dbfName().getBytes(StandardCharsets.US_ASCII).length <= 10, c + " " + f);
                assertTrue(names.add(f.dbfName()), c + ": " + f.dbfName() + " twice");
                assertTrue(f.width() <= 254, c + " " + f);
            }
        }
    }

    @Test
    void crsAndEncodingNames() {
        assertEquals(Optional.of(ExportCrs.WGS84), ExportCrs.byName("EPSG:4326"));
        assertEquals(Optional.of(ExportCrs.WGS84), ExportCrs.byName("crs84"));
        assertEquals(Optional.of(ExportCrs.CGCS2000), ExportCrs.byName("epsg:4490"));
        assertEquals(Optional.empty(), ExportCrs.byName("EPSG:3857"), "no reprojection offered");
        assertEquals(Optional.of(ExportCrs.GBK), ExportCrs.dbfCharset("gbk"));
        assertEquals(Optional.of(StandardCharsets.UTF_8), ExportCrs.dbfCharset("utf8"));
        assertEquals(Optional.empty(), ExportCrs.dbfCharset("latin1"));
    }

    @Test
    void csvCellsAreQuotedAsExcelReadsThemAndFormulasAreDefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CsvWriter w = new CsvWriter(bytes);
        w.begin(ExportCollection.STREETS, ExportCrs.WGS84);
        Feature f = new Feature(3);
        f.values[0] = "440105001";
        f.values[1] = "=HYPERLINK(\"x\",\"赤岗, 街道\")";
        f.values[2] = 12345678.5;
        f.geometry(new org.locationtech.jts.io.WKBWriter(2, org.locationtech.jts.io.ByteOrderValues.LITTLE_ENDIAN).write(
                new org.locationtech.jts.io.WKTReader().read("MULTIPOLYGON (((113 23, 113.1 23, 113.1 23.1, 113 23)))")));
        w.write(f);
        w.finish();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals("\uFEFFcode,name,area_m2,wkt\r\n"
                + "440105001,\"\t=HYPERLINK(\"\"x\"\",\"\"赤岗, 街道\"\")\",12345678.5,\"MULTIPOLYGON (((113 23, 113.1 23, 113.1 23.1, 113 23)))\"\r\n", text);
        assertEquals("0.0001", CsvWriter.number(1e-4), "never in exponent form");
        assertEquals("113.26437123456789", CsvWriter.number(113.26437123456789));
    }
}

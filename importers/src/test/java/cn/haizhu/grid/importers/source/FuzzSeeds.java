package cn.haizhu.grid.importers.source;

import cn.haizhu.grid.importers.source.flatgeobuf.TestFlatGeobufWriter;
import cn.haizhu.grid.importers.source.geopackage.GeoPackageSourceTest;
import cn.haizhu.grid.importers.source.shapefile.TestShapefileWriter;
import com.linuxense.javadbf.DBFDataType;
import com.linuxense.javadbf.DBFField;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.io.WKTReader;
import org.wololo.flatgeobuf.generated.ColumnType;
import org.wololo.flatgeobuf.generated.GeometryType;

/**
 * Writes the seed files of {@link RecordSourcesFuzzTest}: one or two small valid files per reader,
 * the kind officers send (Chinese text, GBK and UTF-8, polygons with holes, a .prj), under
 * {@code src/test/resources/cn/haizhu/grid/importers/source/RecordSourcesFuzzTestInputs/<method>/}.
 * Archives (xlsx, zip) are written once deflated and once stored, so that mutations also reach the
 * XML and shapefile bytes inside. Run it from the importers module when a reader learns a new
 * feature worth seeding:
 * {@code mvn -q test-compile exec:java -Dexec.mainClass=cn.haizhu.grid.importers.source.FuzzSeeds -Dexec.classpathScope=test}.
 */
public final class FuzzSeeds {
    static final String GRID = "POLYGON ((113.30 23.09, 113.31 23.09, 113.31 23.10, 113.30 23.10, 113.30 23.09),"
            + " (113.302 23.092, 113.302 23.094, 113.304 23.094, 113.304 23.092, 113.302 23.092))";
    static final String TWO_GRIDS = "MULTIPOLYGON (((113.32 23.09, 113.33 23.09, 113.33 23.10, 113.32 23.09)),"
            + " ((113.34 23.09, 113.35 23.09, 113.35 23.10, 113.34 23.09)))";

    private FuzzSeeds() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0]
                : "src/test/resources/cn/haizhu/grid/importers/source/RecordSourcesFuzzTestInputs");
        Path tmp = Files.createTempDirectory("haizhu-seeds-");
        csv(root.resolve("csv"));
        xlsx(root.resolve("xlsx"), tmp);
        geoJson(root.resolve("geoJson"));
        geoPackage(root.resolve("geoPackage"), tmp);
        shapefiles(root.resolve("shapefile"), root.resolve("shapefileZip"), tmp);
        flatGeobuf(root.resolve("flatGeobuf"), tmp);
        System.out.println("seeds written under " + root.toAbsolutePath());
    }

    static void csv(Path out) throws IOException {
        String text = "身份证号,姓名,性别,出生日期,联系电话,现住址,lon,lat\r\n"
                + "44010519900307123X,张三,男,1990-03-07,13800138000,\"海珠区江南中街道,3号\",113.3205,23.0957\r\n"
                + "440105198512120011,\"李\"\"四\",女,1985-12-12,,\"多行\n地址\",113.31,23.10\r\n"
                + "\r\n"
                + "440105200001010022,王五,男,2000-01-01,020-12345678,=1+1,,\r\n";
        write(out.resolve("seed-utf8.csv"), text.getBytes(StandardCharsets.UTF_8));
        write(out.resolve("seed-gbk.csv"), text.getBytes(Charset.forName("GBK")));
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        write(out.resolve("seed-bom-tabs.csv"), concat(bom, text.replace(',', '\t').getBytes(StandardCharsets.UTF_8)));
    }

    static void xlsx(Path out, Path tmp) throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook()) {
            Sheet sh = wb.createSheet("房屋");
            CellStyle date = wb.createCellStyle();
            date.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
            Row h = sh.createRow(0);
            String[] header = {"房屋编码", "地址", "楼层", "用途", "登记日期", "经度", "纬度"};
            for (int i = 0; i < header.length; i++) {
                h.createCell(i).setCellValue(header[i]);
            }
            Row r = sh.createRow(1);
            r.createCell(0).setCellValue("44010500110101000001");
            r.createCell(1).setCellValue("海珠区江南中街道江南大道中 1 号");
            r.createCell(2).setCellValue(3);
            r.createCell(3).setCellValue("住宅");
            r.createCell(4).setCellValue(45000);
            r.getCell(4).setCellStyle(date);
            r.createCell(5).setCellValue(113.3205);
            r.createCell(6).setCellFormula("23+0.0957");
            Row r3 = sh.createRow(3);
            r3.createCell(1).setCellValue(true);
            r3.createCell(9).setCellValue("beyond the header");
            Path file = tmp.resolve("seed.xlsx");
            try (OutputStream o = Files.newOutputStream(file)) {
                wb.write(o);
            }
            write(out.resolve("seed-deflated.xlsx"), Files.readAllBytes(file));
            write(out.resolve("seed-stored.xlsx"), stored(file));
        }
    }

    static void geoJson(Path out) throws IOException {
        String collection = """
                {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4490"}},
                 "features":[
                  {"type":"Feature","id":1,"properties":{"code":"44010500110101","名称":"下渡社区01网格","area":0.25,"tags":["a",{"b":null}],"ok":true},
                   "geometry":{"type":"Polygon","coordinates":[[[113.30,23.09],[113.31,23.09],[113.31,23.10],[113.30,23.10],[113.30,23.09]],
                     [[113.302,23.092],[113.302,23.094],[113.304,23.094],[113.304,23.092],[113.302,23.092]]]}},
                  {"type":"Feature","properties":{"code":"44010500110102"},
                   "geometry":{"type":"MultiPolygon","coordinates":[[[[113.32,23.09],[113.33,23.09],[113.33,23.10],[113.32,23.09]]]]}},
                  {"type":"Feature","properties":null,"geometry":{"type":"GeometryCollection","geometries":[
                    {"type":"Point","coordinates":[113.3205,23.0957,12.5]},{"type":"LineString","coordinates":[[1,2],[3,4]]},
                    {"type":"MultiPoint","coordinates":[[1,2]]},{"type":"MultiLineString","coordinates":[[[1,2],[3,4]]]}]}},
                  {"type":"Feature","properties":{"code":null},"geometry":null}
                 ]}
                """;
        write(out.resolve("seed-collection.geojson"), collection.getBytes(StandardCharsets.UTF_8));
        String lines = "\u001e{\"type\":\"Feature\",\"properties\":{\"地址\":\"江南大道中1号\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[113.32,23.09]}}\n"
                + "\u001e{\"type\":\"Feature\",\"properties\":{\"地址\":\"\\u6c5f\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[113.33,23.10]}}\n";
        write(out.resolve("seed-lines.geojsonl"), lines.getBytes(StandardCharsets.UTF_8));
    }

    static void geoPackage(Path out, Path tmp) throws Exception {
        Path file = GeoPackageSourceTest.writeSample(tmp.resolve("seed.gpkg"));
        // the writer leaves free pages behind; the fuzzer mutates every byte, so the fewer the better
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            s.execute("VACUUM");
        }
        write(out.resolve("seed-layers.gpkg"), Files.readAllBytes(file));
    }

    static void shapefiles(Path loose, Path zipped, Path tmp) throws Exception {
        WKTReader wkt = new WKTReader();
        List<TestShapefileWriter.Shape> shapes = new ArrayList<>();
        shapes.add(TestShapefileWriter.Shape.of(wkt.read(GRID)));
        shapes.add(TestShapefileWriter.Shape.of(wkt.read(TWO_GRIDS)));
        shapes.add(null);
        DBFField[] fields = {
            new DBFField("GRID_CODE", DBFDataType.CHARACTER, 14),
            new DBFField("名称", DBFDataType.CHARACTER, 30),
            new DBFField("AREA_M2", DBFDataType.NUMERIC, 12, 2),
            new DBFField("SURVEYED", DBFDataType.DATE),
            new DBFField("ACTIVE", DBFDataType.LOGICAL),
        };
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"44010500110101", "下渡社区01网格", new BigDecimal("150000.50"), new java.util.Date(0), true});
        rows.add(new Object[] {"44010500110102", "下渡社区02网格", new BigDecimal("100000"), null, false});
        rows.add(new Object[] {"44010500110103", null, null, null, null});
        Path dir = tmp.resolve("grid");
        TestShapefileWriter.write(dir, "grid", TestShapefileWriter.POLYGON, shapes, fields, rows,
                Charset.forName("GBK"), 0x4D, null, TestShapefileWriter.PRJ_4547);
        List<byte[]> parts = new ArrayList<>();
        for (String name : RecordSourcesFuzzTest.SHAPEFILE_PARTS) {
            parts.add(Files.readAllBytes(dir.resolve(name)));
        }
        write(loose.resolve("seed-polygons"), RecordSourcesFuzzTest.pack(parts));

        Path points = tmp.resolve("points");
        List<TestShapefileWriter.Shape> pts = List.of(TestShapefileWriter.Shape.of(wkt.read("POINT (430000 2555000)")));
        TestShapefileWriter.write(points, "grid", TestShapefileWriter.POINT, pts,
                new DBFField[] {new DBFField("ADDRESS", DBFDataType.CHARACTER, 40)},
                List.<Object[]>of(new Object[] {"江南大道中 1 号"}), StandardCharsets.UTF_8, 0x00, "UTF-8", null);
        List<byte[]> pointParts = new ArrayList<>();
        for (String name : RecordSourcesFuzzTest.SHAPEFILE_PARTS) {
            Path p = points.resolve(name);
            pointParts.add(Files.exists(p) ? Files.readAllBytes(p) : new byte[0]);
        }
        write(loose.resolve("seed-points"), RecordSourcesFuzzTest.pack(pointParts));

        Path zip = tmp.resolve("grid.zip");
        try (ZipOutputStream o = new ZipOutputStream(Files.newOutputStream(zip))) {
            o.putNextEntry(new ZipEntry("海珠区/"));
            o.closeEntry();
            for (String name : List.of("grid.shp", "grid.shx", "grid.dbf", "grid.prj")) {
                o.putNextEntry(new ZipEntry("海珠区/" + name));
                o.write(Files.readAllBytes(dir.resolve(name)));
                o.closeEntry();
            }
            o.putNextEntry(new ZipEntry("__MACOSX/海珠区/._grid.shp"));
            o.write(new byte[] {0, 5, 22, 7});
            o.closeEntry();
        }
        write(zipped.resolve("seed-deflated.zip"), Files.readAllBytes(zip));
        write(zipped.resolve("seed-stored.zip"), stored(zip));
    }

    static void flatGeobuf(Path out, Path tmp) throws Exception {
        WKTReader wkt = new WKTReader();
        List<TestFlatGeobufWriter.Col> cols = List.of(
                new TestFlatGeobufWriter.Col("grid_code", ColumnType.String),
                new TestFlatGeobufWriter.Col("名称", ColumnType.String),
                new TestFlatGeobufWriter.Col("houses", ColumnType.Int),
                new TestFlatGeobufWriter.Col("population", ColumnType.Long),
                new TestFlatGeobufWriter.Col("area_km2", ColumnType.Double),
                new TestFlatGeobufWriter.Col("active", ColumnType.Bool));
        List<Geometry> geoms = List.of(wkt.read("MULTIPOLYGON (" + GRID.substring("POLYGON ".length()) + ")"), wkt.read(TWO_GRIDS));
        List<Object[]> props = List.of(
                new Object[] {"44010500110101", "下渡社区01网格", 120, 3400L, 0.25, true},
                new Object[] {"44010500110102", null, null, null, 1.5, false});
        for (boolean index : new boolean[] {true, false}) {
            Path file = tmp.resolve("seed-" + index + ".fgb");
            TestFlatGeobufWriter.write(file, (byte) GeometryType.MultiPolygon, 4490, cols, geoms, props, index);
            write(out.resolve(index ? "seed-indexed.fgb" : "seed-plain.fgb"), Files.readAllBytes(file));
        }
    }

    /** The same archive with every entry STORED, so that mutated bytes are the content itself. */
    static byte[] stored(Path zip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipFile in = new ZipFile(zip.toFile()); ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Enumeration<? extends ZipEntry> en = in.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                byte[] content;
                try (InputStream is = in.getInputStream(e)) {
                    content = is.readAllBytes();
                }
                ZipEntry s = new ZipEntry(e.getName());
                s.setMethod(ZipEntry.STORED);
                s.setSize(content.length);
                CRC32 crc = new CRC32();
                crc.update(content);
                s.setCrc(crc.getValue());
                out.putNextEntry(s);
                out.write(content);
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

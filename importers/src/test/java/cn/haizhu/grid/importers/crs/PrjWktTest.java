package cn.haizhu.grid.importers.crs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * .prj texts as ArcGIS writes them (ESRI WKT, one line; produced here with
 * {@code gdalsrsinfo -o wkt_esri EPSG:nnnn}, which writes the same strings as ArcGIS),
 * OGC WKT1 as GDAL/QGIS write them, and WKT2.
 */
class PrjWktTest {
    static final String ESRI_4547 = "PROJCS[\"CGCS2000_3_Degree_GK_CM_114E\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\","
            + "DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
            + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_Easting\",500000.0],"
            + "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",114.0],PARAMETER[\"Scale_Factor\",1.0],"
            + "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
    static final String ESRI_4526 = "PROJCS[\"CGCS2000_3_Degree_GK_Zone_38\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\","
            + "DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
            + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_Easting\",38500000.0],"
            + "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",114.0],PARAMETER[\"Scale_Factor\",1.0],"
            + "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
    static final String ESRI_4490 = "GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\",DATUM[\"D_China_2000\","
            + "SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";
    static final String ESRI_4326 = "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],"
            + "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";
    static final String ESRI_3857 = "PROJCS[\"WGS_1984_Web_Mercator_Auxiliary_Sphere\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\","
            + "SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],"
            + "PROJECTION[\"Mercator_Auxiliary_Sphere\"],PARAMETER[\"False_Easting\",0.0],PARAMETER[\"False_Northing\",0.0],"
            + "PARAMETER[\"Central_Meridian\",0.0],PARAMETER[\"Standard_Parallel_1\",0.0],PARAMETER[\"Auxiliary_Sphere_Type\",0.0],"
            + "UNIT[\"Meter\",1.0]]";
    /** The older ArcGIS Web Mercator (ESRI:102113), on a sphere. */
    static final String ESRI_102113 = "PROJCS[\"WGS_1984_Web_Mercator\",GEOGCS[\"GCS_WGS_1984_Major_Auxiliary_Sphere\","
            + "DATUM[\"D_WGS_1984_Major_Auxiliary_Sphere\",SPHEROID[\"WGS_1984_Major_Auxiliary_Sphere\",6378137.0,0.0]],"
            + "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Mercator_1SP\"],"
            + "PARAMETER[\"False_Easting\",0.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",0.0],"
            + "PARAMETER[\"latitude_of_origin\",0.0],UNIT[\"Meter\",1.0]]";
    /** OGC WKT1 of a GDAL 2 era .prj ("Popular Visualisation"), no AUTHORITY. */
    static final String OGC_POPULAR_VISUALISATION = "PROJCS[\"Popular Visualisation CRS / Mercator\","
            + "GEOGCS[\"Popular Visualisation CRS\",DATUM[\"Popular_Visualisation_Datum\",SPHEROID[\"Popular Visualisation Sphere\","
            + "6378137,0]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],"
            + "PROJECTION[\"Mercator_1SP\"],PARAMETER[\"central_meridian\",0],PARAMETER[\"scale_factor\",1],"
            + "PARAMETER[\"false_easting\",0],PARAMETER[\"false_northing\",0],UNIT[\"metre\",1]]";
    /** gdalsrsinfo -o wkt1 EPSG:4547 (pretty-printed, as QGIS writes it). */
    static final String OGC_4547 = """
            PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 114E",
                GEOGCS["China Geodetic Coordinate System 2000",
                    DATUM["China_2000",
                        SPHEROID["CGCS2000",6378137,298.257222101,
                            AUTHORITY["EPSG","1024"]],
                        AUTHORITY["EPSG","1043"]],
                    PRIMEM["Greenwich",0,
                        AUTHORITY["EPSG","8901"]],
                    UNIT["degree",0.0174532925199433,
                        AUTHORITY["EPSG","9122"]],
                    AUTHORITY["EPSG","4490"]],
                PROJECTION["Transverse_Mercator"],
                PARAMETER["latitude_of_origin",0],
                PARAMETER["central_meridian",114],
                PARAMETER["scale_factor",1],
                PARAMETER["false_easting",500000],
                PARAMETER["false_northing",0],
                UNIT["metre",1,
                    AUTHORITY["EPSG","9001"]],
                AXIS["Northing",NORTH],
                AXIS["Easting",EAST],
                AUTHORITY["EPSG","4547"]]
            """;
    /** gdalsrsinfo -o wkt2 EPSG:4526 with the ID removed, so the parameters must do the work. */
    static final String WKT2_4526_NO_ID = "PROJCRS[\"CGCS2000 / 3-degree Gauss-Kruger zone 38\", BASEGEOGCRS[\"China Geodetic "
            + "Coordinate System 2000\", DATUM[\"China 2000\", ELLIPSOID[\"CGCS2000\",6378137,298.257222101, LENGTHUNIT[\"metre\",1]]], "
            + "PRIMEM[\"Greenwich\",0, ANGLEUNIT[\"degree\",0.0174532925199433]], ID[\"EPSG\",4490]], CONVERSION[\"3-degree "
            + "Gauss-Kruger zone 38\", METHOD[\"Transverse Mercator\", ID[\"EPSG\",9807]], PARAMETER[\"Latitude of natural origin\",0, "
            + "ANGLEUNIT[\"degree\",0.0174532925199433], ID[\"EPSG\",8801]], PARAMETER[\"Longitude of natural origin\",114, "
            + "ANGLEUNIT[\"degree\",0.0174532925199433], ID[\"EPSG\",8802]], PARAMETER[\"Scale factor at natural origin\",1, "
            + "SCALEUNIT[\"unity\",1], ID[\"EPSG\",8805]], PARAMETER[\"False easting\",38500000, LENGTHUNIT[\"metre\",1], "
            + "ID[\"EPSG\",8806]], PARAMETER[\"False northing\",0, LENGTHUNIT[\"metre\",1], ID[\"EPSG\",8807]]], CS[Cartesian,2], "
            + "AXIS[\"northing (X)\",north, ORDER[1], LENGTHUNIT[\"metre\",1]], AXIS[\"easting (Y)\",east, ORDER[2], "
            + "LENGTHUNIT[\"metre\",1]], USAGE[ SCOPE[\"Cadastre, engineering survey, topographic mapping (large scale).\"], "
            + "AREA[\"China - onshore between 112°30'E and 115°30'E.\"], BBOX[21.52,112.5,45.45,115.5]]]";
    static final String ESRI_ZONE_37 = "PROJCS[\"CGCS2000_3_Degree_GK_Zone_37\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\","
            + "DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
            + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_Easting\",37500000.0],"
            + "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",111.0],PARAMETER[\"Scale_Factor\",1.0],"
            + "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
    static final String ESRI_UTM_49N = "PROJCS[\"WGS_1984_UTM_Zone_49N\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\","
            + "SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],"
            + "PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],"
            + "PARAMETER[\"Central_Meridian\",111.0],PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],"
            + "UNIT[\"Meter\",1.0]]";
    /** An unnamed local transverse Mercator on CGCS2000 (CM 113.5E), as surveyors' software writes them. */
    static final String CUSTOM_TM = "PROJCS[\"Custom\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\","
            + "DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],"
            + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],"
            + "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",113.5],PARAMETER[\"Scale_Factor\",1.0],"
            + "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
    static final String ESRI_XIAN80_114E = "PROJCS[\"Xian_1980_3_Degree_GK_CM_114E\",GEOGCS[\"GCS_Xian_1980\",DATUM[\"D_Xian_1980\","
            + "SPHEROID[\"Xian_1980\",6378140.0,298.257]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],"
            + "PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],"
            + "PARAMETER[\"Central_Meridian\",114.0],PARAMETER[\"Scale_Factor\",1.0],PARAMETER[\"Latitude_Of_Origin\",0.0],"
            + "UNIT[\"Meter\",1.0]]";
    static final String ESRI_BEIJING54_114E = "PROJCS[\"Beijing_1954_3_Degree_GK_CM_114E\",GEOGCS[\"GCS_Beijing_1954\","
            + "DATUM[\"D_Beijing_1954\",SPHEROID[\"Krasovsky_1940\",6378245.0,298.3]],PRIMEM[\"Greenwich\",0.0],"
            + "UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_Easting\",500000.0],"
            + "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",114.0],PARAMETER[\"Scale_Factor\",1.0],"
            + "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
    static final String ESRI_WORLD_MERCATOR = "PROJCS[\"WGS_1984_World_Mercator\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\","
            + "SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],"
            + "PROJECTION[\"Mercator\"],PARAMETER[\"False_Easting\",0.0],PARAMETER[\"False_Northing\",0.0],"
            + "PARAMETER[\"Central_Meridian\",0.0],PARAMETER[\"Standard_Parallel_1\",0.0],UNIT[\"Meter\",1.0]]";
    static final String ESRI_LAMBERT = "PROJCS[\"Asia_Lambert_Conformal_Conic\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\","
            + "SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],"
            + "PROJECTION[\"Lambert_Conformal_Conic\"],PARAMETER[\"False_Easting\",0.0],PARAMETER[\"False_Northing\",0.0],"
            + "PARAMETER[\"Central_Meridian\",105.0],PARAMETER[\"Standard_Parallel_1\",30.0],PARAMETER[\"Standard_Parallel_2\",62.0],"
            + "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
    static final String ESRI_4547_FEET = ESRI_4547.replace("UNIT[\"Meter\",1.0]", "UNIT[\"Foot_US\",0.3048006096012192]");

    @Test
    void recognisesArcGisPrjFiles() {
        assertEquals("EPSG:4547", CoordinateSystems.resolve(ESRI_4547).name());
        assertEquals("EPSG:4526", CoordinateSystems.resolve(ESRI_4526).name());
        assertEquals("EPSG:4490", CoordinateSystems.resolve(ESRI_4490).name());
        assertEquals("EPSG:4326", CoordinateSystems.resolve(ESRI_4326).name());
        assertEquals("EPSG:3857", CoordinateSystems.resolve(ESRI_3857).name());
        assertEquals("EPSG:3857", CoordinateSystems.resolve(ESRI_102113).name());
    }

    @Test
    void recognisesOgcWkt() {
        assertEquals("EPSG:4547", CoordinateSystems.resolve(OGC_4547).name());
        assertEquals("EPSG:3857", CoordinateSystems.resolve(OGC_POPULAR_VISUALISATION).name());
        assertEquals("EPSG:4526", CoordinateSystems.resolve(WKT2_4526_NO_ID).name());
        // the file's BOM and trailing newline are ignored
        assertEquals("EPSG:4547", CoordinateSystems.resolve("\uFEFF" + ESRI_4547 + "\r\n").name());
    }

    @Test
    void recognisedSystemsTransformLikeTheirEpsgCodes() {
        double[] p = ProjectedCrsTest.TOWER_4526.clone();
        CoordinateSystems.resolve(ESRI_4526).toWgs84(p);
        assertEquals(113.3245, p[0], 1e-8);
        assertEquals(23.1064, p[1], 1e-8);
        p = ProjectedCrsTest.TOWER_3857.clone();
        CoordinateSystems.resolve(ESRI_102113).toWgs84(p);
        assertEquals(113.3245, p[0], 1e-9);
        assertEquals(23.1064, p[1], 1e-9);
    }

    @Test
    void otherZonesAndUnnamedTransverseMercatorFromParameters() {
        // echo "113.3245 23.1064" | gdaltransform -output_xy -s_srs EPSG:4326 -t_srs EPSG:4525
        // 37738171.9624244 2558217.53974101
        SourceCrs zone37 = CoordinateSystems.resolve(ESRI_ZONE_37);
        assertTrue(zone37.name().contains("lon_0=111 x_0=37500000"), zone37.name());
        assertTrue(zone37.name().contains("CGCS2000_3_Degree_GK_Zone_37"), zone37.name());
        assertLonLat(zone37, 37738171.9624244, 2558217.53974101);

        // echo "113.3245 23.1064" | gdaltransform -output_xy -s_srs EPSG:4326 -t_srs EPSG:32649
        // 738076.693638791 2557194.25280279
        SourceCrs utm = CoordinateSystems.resolve(ESRI_UTM_49N);
        assertTrue(utm.name().startsWith("WGS84 Transverse Mercator lon_0=111 x_0=500000 k=0.9996"), utm.name());
        assertLonLat(utm, 738076.693638791, 2557194.25280279);

        // echo "113.3245 23.1064" | gdaltransform -output_xy -s_srs EPSG:4326 \
        //   -t_srs "+proj=tmerc +lat_0=0 +lon_0=113.5 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs"
        // 482021.408749904 2556331.62605211
        SourceCrs custom = CoordinateSystems.resolve(CUSTOM_TM);
        assertTrue(custom.name().contains("lon_0=113.5"), custom.name());
        assertLonLat(custom, 482021.408749904, 2556331.62605211);
    }

    @Test
    void unknownOrUnsupportedWktQuotesTheName() {
        String xian = message(ESRI_XIAN80_114E);
        assertTrue(xian.contains("\"Xian_1980_3_Degree_GK_CM_114E\"") && xian.contains("7 parameters"), xian);
        String beijing = message(ESRI_BEIJING54_114E);
        assertTrue(beijing.contains("\"Beijing_1954_3_Degree_GK_CM_114E\""), beijing);
        String world = message(ESRI_WORLD_MERCATOR);
        assertTrue(world.contains("\"WGS_1984_World_Mercator\"") && world.contains("\"Mercator\""), world);
        String lambert = message(ESRI_LAMBERT);
        assertTrue(lambert.contains("PROJCS \"Asia_Lambert_Conformal_Conic\""), lambert);
        assertTrue(lambert.contains("\"Lambert_Conformal_Conic\""), lambert);
        String feet = message(ESRI_4547_FEET);
        assertTrue(feet.contains("Foot_US") && feet.contains("only metres"), feet);
        String tokyo = message("GEOGCS[\"GCS_Tokyo\",DATUM[\"D_Tokyo\",SPHEROID[\"Bessel_1841\",6377397.155,299.1528128]],"
                + "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]");
        assertTrue(tokyo.contains("\"GCS_Tokyo\"") && tokyo.contains("D_Tokyo"), tokyo);
        for (String m : new String[] {xian, world, lambert, feet, tokyo}) {
            assertTrue(m.contains("Supported coordinate systems: EPSG:4326"), m);
        }
    }

    @Test
    void malformedWktSaysWhere() {
        String m = message("PROJCS[\"CGCS2000_3_Degree_GK_CM_114E\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\"");
        assertTrue(m.startsWith("malformed WKT"), m);
        m = message("PROJCS[\"x\" GEOGCS[\"y\"]]");
        assertTrue(m.startsWith("malformed WKT: expected ',' or ']'"), m);
    }

    private static void assertLonLat(SourceCrs crs, double x, double y) {
        double[] p = {x, y};
        crs.toWgs84(p);
        assertEquals(113.3245, p[0], 1e-8, crs.name());
        assertEquals(23.1064, p[1], 1e-8, crs.name());
    }

    private static String message(String wkt) {
        return assertThrows(IllegalArgumentException.class, () -> CoordinateSystems.resolve(wkt)).getMessage();
    }
}

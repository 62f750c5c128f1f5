package cn.haizhu.grid.server.exports;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;

/**
 * GeoJSON (RFC 7946), written feature by feature: longitude first, in CRS84. A CGCS2000 export names
 * its CRS in the old {@code crs} member, which GDAL and the importers read.
 */
final class GeoJsonWriter implements FeatureWriter {
    private final JsonGenerator json;
    private ExportCollection collection;

    GeoJsonWriter(OutputStream out) throws IOException {
        this.json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    }

    @Override
    public void begin(ExportCollection collection, ExportCrs crs) throws IOException {
        this.collection = collection;
        json.writeStartObject();
        json.writeStringField("type", "FeatureCollection");
        json.writeStringField("name", collection.code());
        if (crs != ExportCrs.WGS84) {
            json.writeObjectFieldStart("crs");
            json.writeStringField("type", "name");
            json.writeObjectFieldStart("properties");
            json.writeStringField("name", "urn:ogc:def:crs:EPSG::" + crs.srid);
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeArrayFieldStart("features");
    }

    @Override
    public void write(Feature f) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "Feature");
        json.writeObjectFieldStart("properties");
        var fields = collection.fields();
        for (int i = 0; i < fields.size(); i++) {
            Object v = f.values[i];
            json.writeFieldName(fields.get(i).name());
            if (v == null) {
                json.writeNull();
            } else if (v instanceof Integer n) {
                json.writeNumber(n);
            } else if (v instanceof Double d) {
                json.writeNumber(d);
            } else {
                json.writeString(v.toString());
            }
        }
        json.writeEndObject();
        json.writeObjectFieldStart("geometry");
        if (collection.geometry() == ExportCollection.Geometry.POINT) {
            json.writeStringField("type", "Point");
            json.writeArrayFieldStart("coordinates");
            json.writeNumber(f.x());
            json.writeNumber(f.y());
            json.writeEndArray();
        } else {
            MultiPolygon mp = (MultiPolygon) f.jts();
            json.writeStringField("type", "MultiPolygon");
            json.writeArrayFieldStart("coordinates");
            for (int p = 0; p < mp.getNumGeometries(); p++) {
                Polygon polygon = (Polygon) mp.getGeometryN(p);
                json.writeStartArray();
                ring(polygon.getExteriorRing());
                for (int h = 0; h < polygon.getNumInteriorRing(); h++) {
                    ring(polygon.getInteriorRingN(h));
                }
                json.writeEndArray();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private void ring(LineString ring) throws IOException {
        json.writeStartArray();
        for (Coordinate c : ring.getCoordinates()) {
            json.writeStartArray();
            json.writeNumber(c.x);
            json.writeNumber(c.y);
            json.writeEndArray();
        }
        json.writeEndArray();
    }

    @Override
    public void flush() throws IOException {
        json.flush();
    }

    @Override
    public void finish() throws IOException {
        json.writeEndArray();
        json.writeEndObject();
        json.flush();
    }
}

package cn.haizhu.grid.importers.crs;

/** Lon/lat on WGS84 or CGCS2000 (EPSG:4326, EPSG:4490, OGC:CRS84): nothing to do. */
final class IdentityCrs implements SourceCrs {
    private final String name;

    IdentityCrs(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isIdentity() {
        return true;
    }

    @Override
    public void toWgs84(double[] xy, int offset, int points) {
        // already lon/lat
    }

    @Override
    public String toString() {
        return name;
    }
}

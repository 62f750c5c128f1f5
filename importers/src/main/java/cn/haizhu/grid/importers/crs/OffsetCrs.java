package cn.haizhu.grid.importers.crs;

/** GCJ-02 or BD-09 lon/lat, brought back to WGS84 with {@link ChinaOffsets}. */
final class OffsetCrs implements SourceCrs {
    static final OffsetCrs GCJ02 = new OffsetCrs("GCJ-02", false);
    static final OffsetCrs BD09 = new OffsetCrs("BD-09", true);

    private final String name;
    private final boolean baidu;

    private OffsetCrs(String name, boolean baidu) {
        this.name = name;
        this.baidu = baidu;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void toWgs84(double[] xy, int offset, int points) {
        if (baidu) {
            ChinaOffsets.bd09ToWgs84(xy, offset, points);
        } else {
            ChinaOffsets.gcj02ToWgs84(xy, offset, points);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}

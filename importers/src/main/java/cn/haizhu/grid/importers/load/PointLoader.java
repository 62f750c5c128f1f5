package cn.haizhu.grid.importers.load;

import java.util.List;

/** Records placed by their point (houses, enterprises): the grid the point lies in, found in PostGIS ({@link PointPlacement}). */
abstract class PointLoader extends RecordLoader {

    @Override
    protected List<String> prepareStageSql() {
        return PointPlacement.prepare(stageTable(), placementTable());
    }

    @Override
    protected String placementJoin() {
        return PointPlacement.join(placementTable());
    }

    @Override
    protected List<String> prepareKeySql() {
        return PointPlacement.indexStage(stageTable());
    }

    @Override
    protected String keyPlacementJoin() {
        return PointPlacement.inlineJoin(stageTable());
    }
}

package cn.haizhu.grid.importers.demo;

import java.nio.file.Path;
import java.util.List;

/**
 * What one {@link DemoGenerator#writeTo} run wrote: the counts per layer and the files.
 *
 * @param scale the scale the data was generated at (1.0 = the real Haizhu figures)
 * @param seed the seed of the run
 * @param streets street polygons written (always 18)
 * @param communities community polygons written (always 267)
 * @param grids unit grid polygons written
 * @param houses rows of houses.csv
 * @param persons rows of persons.csv
 * @param enterprises rows of enterprises.csv
 * @param districtFile district.geojson; the other files sit next to it
 */
public record DemoManifest(double scale, long seed, int streets, int communities, int grids, int houses,
        int persons, int enterprises, Path districtFile, Path streetsFile, Path communitiesFile, Path gridsFile,
        Path housesFile, Path personsFile, Path enterprisesFile) {

    /** All seven files, polygon layers first, in the order they should be loaded. */
    public List<Path> files() {
        return List.of(districtFile, streetsFile, communitiesFile, gridsFile, housesFile, personsFile, enterprisesFile);
    }

    /** One line for logs: {@code scale 1.0 seed 20240105: 18 streets, 267 communities, …}. */
    @Override
    public String toString() {
        return "scale " + scale + " seed " + seed + ": " + streets + " streets, " + communities + " communities, "
                + grids + " grids, " + houses + " houses, " + persons + " persons, " + enterprises
                + " enterprises in " + districtFile.getParent();
    }
}

package cn.haizhu.grid.importers.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which column of the file holds which field of the dataset. Explicit choices (a mapping file or
 * {@code --map field=列名}) win; otherwise the field's own name or a known alias finds it.
 * A required field that nothing finds is an error before anything loads, naming the field, the
 * names it would have accepted, and the header the file has.
 */
public final class ColumnMapping {
    private final Map<String, Integer> indexByField;
    private final ValueMapping values;

    private ColumnMapping(Map<String, Integer> indexByField, ValueMapping values) {
        this.indexByField = indexByField;
        this.values = values;
    }

    public Map<String, Integer> indexByField() {
        return indexByField;
    }

    /** The officer's translations of the file's words, applied as the rows are read. */
    public ValueMapping values() {
        return values;
    }

    /** As {@link #resolve(Dataset, List, Map, ValueMapping, boolean)} with no value mapping. */
    public static ColumnMapping resolve(Dataset dataset, List<String> header, Map<String, String> explicit,
                                        boolean geometryInFile) throws MappingException {
        return resolve(dataset, header, explicit, ValueMapping.NONE, geometryInFile);
    }

    /**
     * @param explicit field → header name as written in the file
     * @param values the officer's translations of words, per field (a field the dataset lacks is an error)
     * @param geometryInFile whether the records carry a geometry (then lon/lat are not needed)
     */
    public static ColumnMapping resolve(Dataset dataset, List<String> header, Map<String, String> explicit,
                                        ValueMapping values, boolean geometryInFile) throws MappingException {
        Map<String, Integer> byNormalised = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            byNormalised.putIfAbsent(Dataset.normaliseHeader(header.get(i)), i);
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String field : explicit.keySet()) {
            if (dataset.fields().stream().noneMatch(f -> f.name().equals(field))) {
                problems.add("mapping names unknown field '" + field + "' (" + dataset.code() + " has "
                        + dataset.fields().stream().map(Dataset.Field::name).toList() + ")");
            }
        }
        for (String field : values.byField().keySet()) {
            if (dataset.fields().stream().noneMatch(f -> f.name().equals(field))) {
                problems.add("--map-values names unknown field '" + field + "' (" + dataset.code() + " has "
                        + dataset.fields().stream().map(Dataset.Field::name).toList() + ")");
            }
        }
        for (Dataset.Field f : dataset.fields()) {
            Integer index = null;
            if (explicit.containsKey(f.name())) {
                index = byNormalised.get(Dataset.normaliseHeader(explicit.get(f.name())));
                if (index == null) {
                    problems.add("mapping says " + f.name() + " is column '" + explicit.get(f.name())
                            + "', but the file has no such column");
                    continue;
                }
            } else {
                index = byNormalised.get(Dataset.normaliseHeader(f.name()));
                for (int a = 0; index == null && a < f.aliases().size(); a++) {
                    index = byNormalised.get(Dataset.normaliseHeader(f.aliases().get(a)));
                }
            }
            if (index != null) {
                out.put(f.name(), index);
            } else if (f.required()) {
                problems.add("required column " + f.name() + " not found (accepted names: " + f.name() + ", "
                        + String.join(", ", f.aliases()) + ")");
            }
        }
        if (dataset.located() && !geometryInFile && !(out.containsKey("lon") && out.containsKey("lat"))) {
            problems.add("no location: the file has neither geometry nor lon/lat columns (经度/纬度)");
        }
        if (dataset.polygons() && !geometryInFile && !out.containsKey("wkt")) {
            problems.add("no polygons: grids need a spatial file (GeoJSON, GeoPackage, Shapefile, FlatGeobuf) or a WKT column"
                    + " (wkt, geometry, 几何)");
        }
        if (!problems.isEmpty()) {
            throw new MappingException(problems, header);
        }
        return new ColumnMapping(out, values);
    }

    /** The file's columns do not fit the dataset; nothing was loaded. */
    public static final class MappingException extends Exception {
        private final List<String> problems;

        MappingException(List<String> problems, List<String> header) {
            super(String.join("; ", problems) + ". The file's header: " + header);
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}

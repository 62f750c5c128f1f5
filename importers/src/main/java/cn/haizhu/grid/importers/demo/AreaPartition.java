package cn.haizhu.grid.importers.demo;

import cn.haizhu.grid.data.areas.ReferenceAreas.Community;
import cn.haizhu.grid.data.areas.ReferenceAreas.Street;
import cn.haizhu.grid.data.codes.GridCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.MultiPolygon;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.PrecisionModel;
import org.locationtech.jts.geom.util.LinearComponentExtracter;
import org.locationtech.jts.operation.distance.DistanceOp;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.operation.overlayng.UnaryUnionNG;
import org.locationtech.jts.operation.polygonize.Polygonizer;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.triangulate.VoronoiDiagramBuilder;

/**
 * Cuts the district outline into streets, each street into its communities and each community into
 * unit grids, with no gaps and no overlaps at any level.
 *
 * <p>How: every level is a Voronoi diagram of seed points inside its parent (streets from their
 * approximate real centres, communities and grids from a density-weighted k-means, so cells are
 * smaller where the district is denser). The edges of all diagrams, each clipped to its parent, and
 * the outline are noded together once with snap rounding on the 1e-7 degree grid and polygonized
 * into faces. Each face takes its street, community and grid from the nearest seeds, which is what
 * the diagrams mean, and every area is the exact union of its faces. Because all areas are built from
 * one set of faces, neighbours share identical edges and every level nests exactly in the one above;
 * faces smaller than {@value #SLIVER_AREA} deg² (snap-rounding slivers, about 1 m²) join the
 * neighbour they share most boundary with.
 */
final class AreaPartition {
    /** Output coordinates lie on this grid: 1e-7 degree, about 1 cm. */
    static final PrecisionModel PRECISION = new PrecisionModel(1e7);
    static final GeometryFactory FACTORY = new GeometryFactory(PRECISION, 4326);
    /**
     * For the intermediate steps: OverlayNG works in the precision model of its first argument, and
     * rounding each clipped diagram on its own would leave an edge's end a pixel away from the edge
     * it ends on. Only the final noding rounds, all edges at once.
     */
    private static final GeometryFactory FLOATING = new GeometryFactory();
    /** Faces below this area in deg² (≈ 1.2 m²) are merged into a neighbour. */
    static final double SLIVER_AREA = 1e-10;

    /** Approximate centres of the 18 streets (lon, lat), keyed by name without 街道. */
    private static final Map<String, double[]> STREET_CENTRES = Map.ofEntries(
            Map.entry("南华西", new double[] {113.262, 23.113}), Map.entry("龙凤", new double[] {113.258, 23.104}),
            Map.entry("沙园", new double[] {113.262, 23.094}), Map.entry("南石头", new double[] {113.250, 23.083}),
            Map.entry("凤阳", new double[] {113.278, 23.083}), Map.entry("瑞宝", new double[] {113.268, 23.068}),
            Map.entry("江海", new double[] {113.292, 23.076}), Map.entry("昌岗", new double[] {113.276, 23.095}),
            Map.entry("江南中", new double[] {113.275, 23.106}), Map.entry("素社", new double[] {113.287, 23.100}),
            Map.entry("海幢", new double[] {113.280, 23.114}), Map.entry("滨江", new double[] {113.296, 23.112}),
            Map.entry("新港", new double[] {113.312, 23.104}), Map.entry("赤岗", new double[] {113.330, 23.100}),
            Map.entry("琶洲", new double[] {113.372, 23.100}), Map.entry("南洲", new double[] {113.312, 23.082}),
            Map.entry("华洲", new double[] {113.345, 23.075}), Map.entry("官洲", new double[] {113.385, 23.068}));
    /** A street centre outside the coarse outline moves this far (degrees, ≈ 300 m) inside it. */
    private static final double INSET = 0.003;
    private static final int KMEANS_SAMPLES_PER_SEED = 60;
    private static final int KMEANS_ROUNDS = 12;
    private static final int WEIGHT_SAMPLES = 400;

    /** One street, community or grid: real or generated code and name, parent code, polygons. */
    record Area(String code, String name, String parentCode, MultiPolygon geometry) {
    }

    private final MultiPolygon district;
    private final List<Area> streets;
    private final List<Area> communities;
    private final List<Area> grids;

    private AreaPartition(MultiPolygon district, List<Area> streets, List<Area> communities, List<Area> grids) {
        this.district = district;
        this.streets = streets;
        this.communities = communities;
        this.grids = grids;
    }

    /** The district: the union of all streets (the outline after snap rounding). */
    MultiPolygon district() {
        return district;
    }

    /** The streets in the order given to {@link #build}. */
    List<Area> streets() {
        return streets;
    }

    /** The communities in the order given to {@link #build}. */
    List<Area> communities() {
        return communities;
    }

    /** The grids in code order. */
    List<Area> grids() {
        return grids;
    }

    /**
     * Partitions {@code outline} (whose coordinates should already lie on the 1e-7 grid) into the
     * given streets and communities and {@code gridCount} grids, at least one and at most 99 per
     * community, shared out by each community's area weighted by {@link Density#residential}.
     * The same arguments always give the same result.
     *
     * @throws IllegalArgumentException if a street has no known centre or no community, a community
     *     no listed street, or {@code gridCount} cannot be shared out
     */
    static AreaPartition build(Polygon outline, List<Street> streetList, List<Community> communityList,
            int gridCount, long seed) {
        return new Builder(outline, streetList, communityList, seed).build(gridCount);
    }

    private static final class Builder {
        private final Polygon outline;
        private final List<Street> streetList;
        private final List<Community> communityList;
        private final long seed;
        private final Envelope clip;

        private Coordinate[] streetSeeds;
        /** For each street, indexes into communityList. */
        private int[][] streetCommunities;
        private Coordinate[] communitySeeds;
        private Geometry[] communityCells;
        /** For each community, its grids' seeds. */
        private Coordinate[][] gridSeeds;
        private final List<Geometry> lines = new ArrayList<>();

        Builder(Polygon outline, List<Street> streetList, List<Community> communityList, long seed) {
            this.outline = outline;
            this.streetList = streetList;
            this.communityList = communityList;
            this.seed = seed;
            this.clip = new Envelope(outline.getEnvelopeInternal());
            clip.expandBy(0.05);
        }

        AreaPartition build(int gridCount) {
            lines.add(outline.getBoundary());
            Geometry[] streetCells = streets();
            communities(streetCells);
            grids(gridCount);
            List<Polygon> faces = faces();
            int[][] labels = labels(faces);
            mergeSlivers(faces, labels);
            return assemble(faces, labels);
        }

        private Geometry[] streets() {
            Geometry inner = outline.buffer(-INSET);
            streetSeeds = new Coordinate[streetList.size()];
            for (int i = 0; i < streetSeeds.length; i++) {
                String name = streetList.get(i).name().replaceFirst("街道$", "");
                double[] c = STREET_CENTRES.get(name);
                if (c == null) {
                    throw new IllegalArgumentException("no centre known for street " + streetList.get(i));
                }
                Coordinate p = new Coordinate(c[0], c[1]);
                if (!inner.contains(FACTORY.createPoint(p))) {
                    p = DistanceOp.nearestPoints(inner, FACTORY.createPoint(p))[0];
                }
                streetSeeds[i] = p;
            }
            return clippedCells(streetSeeds, outline);
        }

        private void communities(Geometry[] streetCells) {
            Map<String, Integer> streetIndex = new HashMap<>();
            for (int i = 0; i < streetList.size(); i++) {
                streetIndex.put(streetList.get(i).code(), i);
            }
            List<List<Integer>> members = new ArrayList<>();
            streetList.forEach(s -> members.add(new ArrayList<>()));
            for (int c = 0; c < communityList.size(); c++) {
                Integer s = streetIndex.get(communityList.get(c).streetCode());
                if (s == null) {
                    throw new IllegalArgumentException("community " + communityList.get(c) + " has no listed street");
                }
                members.get(s).add(c);
            }
            streetCommunities = new int[streetList.size()][];
            communitySeeds = new Coordinate[communityList.size()];
            communityCells = new Geometry[communityList.size()];
            for (int s = 0; s < streetList.size(); s++) {
                int[] ids = members.get(s).stream().mapToInt(Integer::intValue).toArray();
                streetCommunities[s] = ids;
                if (ids.length == 0) {
                    throw new IllegalArgumentException("street " + streetList.get(s) + " has no communities");
                }
                SplittableRandom rng = Seeds.stream(seed, "community-seeds", s);
                Coordinate[] seeds = kMeans(streetCells[s], ids.length, rng);
                // Codes follow the reading order of the seeds, so consecutive codes are neighbours.
                Integer[] order = readingOrder(seeds, streetCells[s].getEnvelopeInternal(), streetCells[s].getArea());
                Coordinate[] ordered = new Coordinate[seeds.length];
                for (int k = 0; k < seeds.length; k++) {
                    ordered[k] = seeds[order[k]];
                    communitySeeds[ids[k]] = ordered[k];
                }
                Geometry[] cells = clippedCells(ordered, streetCells[s]);
                for (int k = 0; k < ids.length; k++) {
                    communityCells[ids[k]] = cells[k];
                }
            }
        }

        private void grids(int gridCount) {
            int n = communityList.size();
            double[] weights = new double[n];
            for (int c = 0; c < n; c++) {
                InteriorSampler sampler = new InteriorSampler(communityCells[c]);
                SplittableRandom rng = Seeds.stream(seed, "community-weight", c);
                double sum = 0;
                for (int k = 0; k < WEIGHT_SAMPLES; k++) {
                    Coordinate p = sampler.next(rng);
                    sum += Density.residential(p.x, p.y);
                }
                weights[c] = communityCells[c].getArea() * sum / WEIGHT_SAMPLES;
            }
            int[] counts = Allocation.split(weights, gridCount, 1, GridCode.MAX_SEQUENCE);
            gridSeeds = new Coordinate[n][];
            for (int c = 0; c < n; c++) {
                gridSeeds[c] = counts[c] == 1
                        ? new Coordinate[] {communitySeeds[c]}
                        : kMeans(communityCells[c], counts[c], Seeds.stream(seed, "grid-seeds", c));
                clippedCells(gridSeeds[c], communityCells[c]);
            }
        }

        /**
         * The Voronoi cells of {@code sites} clipped to {@code parent}, in site order. Their edges
         * inside the parent are kept for the final noding.
         */
        private Geometry[] clippedCells(Coordinate[] sites, Geometry parent) {
            Geometry[] cells = new Geometry[sites.length];
            if (sites.length == 1) {
                cells[0] = parent;
                return cells;
            }
            VoronoiDiagramBuilder builder = new VoronoiDiagramBuilder();
            builder.setSites(Arrays.asList(sites));
            builder.setClipEnvelope(clip);
            Geometry diagram = builder.getDiagram(FLOATING);
            Map<Coordinate, Integer> index = new HashMap<>();
            for (int i = 0; i < sites.length; i++) {
                index.put(sites[i], i);
            }
            List<LineString> edges = new ArrayList<>();
            for (int k = 0; k < diagram.getNumGeometries(); k++) {
                Geometry cell = diagram.getGeometryN(k);
                Integer i = index.get((Coordinate) cell.getUserData());
                if (i == null) {
                    throw new IllegalStateException("Voronoi cell of an unknown site " + cell.getUserData());
                }
                cells[i] = OverlayNGRobust.overlay(cell, parent, OverlayNG.INTERSECTION);
                edges.add(((Polygon) cell).getExteriorRing());
            }
            for (int i = 0; i < sites.length; i++) {
                if (cells[i] == null || cells[i].isEmpty()) {
                    throw new IllegalStateException("seed " + sites[i] + " has no cell inside its parent");
                }
            }
            Geometry all = FLOATING.createMultiLineString(edges.toArray(LineString[]::new));
            lines.add(OverlayNGRobust.overlay(all, parent, OverlayNG.INTERSECTION));
            return cells;
        }

        /**
         * {@code k} well-spread points inside {@code area}, denser where {@link Density#residential}
         * is higher: Lloyd's k-means over density-weighted samples, started k-means++ style. A centre
         * that falls outside a concave area moves to the nearest of its samples.
         */
        private Coordinate[] kMeans(Geometry area, int k, SplittableRandom rng) {
            InteriorSampler sampler = new InteriorSampler(area);
            double bound = Density.residentialBound(sampler.envelope());
            int m = Math.max(200, KMEANS_SAMPLES_PER_SEED * k);
            double[] xs = new double[m];
            double[] ys = new double[m];
            for (int i = 0; i < m; ) {
                Coordinate p = sampler.next(rng);
                if (rng.nextDouble() * bound < Density.residential(p.x, p.y)) {
                    xs[i] = p.x;
                    ys[i] = p.y;
                    i++;
                }
            }
            double[] cx = new double[k];
            double[] cy = new double[k];
            double[] d2 = new double[m];
            Arrays.fill(d2, Double.MAX_VALUE);
            int first = rng.nextInt(m);
            cx[0] = xs[first];
            cy[0] = ys[first];
            for (int j = 1; j < k; j++) {
                double total = 0;
                for (int i = 0; i < m; i++) {
                    double dx = xs[i] - cx[j - 1];
                    double dy = ys[i] - cy[j - 1];
                    d2[i] = Math.min(d2[i], dx * dx + dy * dy);
                    total += d2[i];
                }
                double r = rng.nextDouble() * total;
                int pick = m - 1;
                for (int i = 0; i < m; i++) {
                    r -= d2[i];
                    if (r <= 0) {
                        pick = i;
                        break;
                    }
                }
                cx[j] = xs[pick];
                cy[j] = ys[pick];
            }
            int[] owner = new int[m];
            for (int round = 0; round < KMEANS_ROUNDS; round++) {
                assign(xs, ys, cx, cy, owner);
                double[] sx = new double[k];
                double[] sy = new double[k];
                int[] count = new int[k];
                for (int i = 0; i < m; i++) {
                    sx[owner[i]] += xs[i];
                    sy[owner[i]] += ys[i];
                    count[owner[i]]++;
                }
                for (int j = 0; j < k; j++) {
                    if (count[j] > 0) {
                        cx[j] = sx[j] / count[j];
                        cy[j] = sy[j] / count[j];
                    }
                }
            }
            assign(xs, ys, cx, cy, owner);
            Coordinate[] centres = new Coordinate[k];
            for (int j = 0; j < k; j++) {
                centres[j] = new Coordinate(cx[j], cy[j]);
                if (!sampler.isInterior(centres[j])) {
                    int best = -1;
                    double bestD = Double.MAX_VALUE;
                    for (int i = 0; i < m; i++) {
                        double dx = xs[i] - cx[j];
                        double dy = ys[i] - cy[j];
                        if (owner[i] == j && dx * dx + dy * dy < bestD) {
                            bestD = dx * dx + dy * dy;
                            best = i;
                        }
                    }
                    if (best < 0) {
                        throw new IllegalStateException("k-means centre " + j + " of " + k + " lost all its samples");
                    }
                    centres[j] = new Coordinate(xs[best], ys[best]);
                }
            }
            for (int a = 0; a < k; a++) {
                for (int b = a + 1; b < k; b++) {
                    if (centres[a].distance(centres[b]) < 1e-5) {
                        throw new IllegalStateException("two k-means centres within 1 m at " + centres[a]);
                    }
                }
            }
            return centres;
        }

        private static void assign(double[] xs, double[] ys, double[] cx, double[] cy, int[] owner) {
            for (int i = 0; i < xs.length; i++) {
                int best = 0;
                double bestD = Double.MAX_VALUE;
                for (int j = 0; j < cx.length; j++) {
                    double dx = xs[i] - cx[j];
                    double dy = ys[i] - cy[j];
                    double d = dx * dx + dy * dy;
                    if (d < bestD) {
                        bestD = d;
                        best = j;
                    }
                }
                owner[i] = best;
            }
        }

        /** Nodes all edges with snap rounding and returns every face they enclose. */
        @SuppressWarnings("unchecked")
        private List<Polygon> faces() {
            Geometry all = FACTORY.buildGeometry(lines);
            Geometry noded = UnaryUnionNG.union(all, PRECISION);
            Polygonizer polygonizer = new Polygonizer();
            polygonizer.add(LinearComponentExtracter.getLines(noded));
            // Polygonizer and CoverageUnion were seen to start rings at other vertices and list parts
            // in another order from one run to the next on the same input: normal form makes the
            // output, and the bytes written from it, depend on the input alone.
            List<Polygon> faces = new ArrayList<>();
            for (Polygon face : (Collection<Polygon>) polygonizer.getPolygons()) {
                faces.add((Polygon) face.norm());
            }
            faces.sort(Comparator.comparing((Polygon p) -> p.getEnvelopeInternal().getMinX())
                    .thenComparing(p -> p.getEnvelopeInternal().getMinY())
                    .thenComparing(Polygon::getArea));
            return faces;
        }

        /** For each face: {street, community, grid} indexes of the nearest seeds, level by level. */
        private int[][] labels(List<Polygon> faces) {
            int[][] labels = new int[faces.size()][];
            for (int f = 0; f < faces.size(); f++) {
                Coordinate p = faces.get(f).getInteriorPoint().getCoordinate();
                int s = nearest(streetSeeds, p);
                int[] ids = streetCommunities[s];
                Coordinate[] seeds = new Coordinate[ids.length];
                for (int k = 0; k < ids.length; k++) {
                    seeds[k] = communitySeeds[ids[k]];
                }
                int c = ids[nearest(seeds, p)];
                labels[f] = new int[] {s, c, nearest(gridSeeds[c], p)};
            }
            return labels;
        }

        private static int nearest(Coordinate[] seeds, Coordinate p) {
            int best = 0;
            double bestD = Double.MAX_VALUE;
            for (int i = 0; i < seeds.length; i++) {
                double dx = seeds[i].x - p.x;
                double dy = seeds[i].y - p.y;
                double d = dx * dx + dy * dy;
                if (d < bestD) {
                    bestD = d;
                    best = i;
                }
            }
            return best;
        }

        private AreaPartition assemble(List<Polygon> faces, int[][] labels) {
            int nc = communityList.size();
            List<List<List<Polygon>>> gridFaces = new ArrayList<>();
            for (int c = 0; c < nc; c++) {
                List<List<Polygon>> perGrid = new ArrayList<>();
                for (int g = 0; g < gridSeeds[c].length; g++) {
                    perGrid.add(new ArrayList<>());
                }
                gridFaces.add(perGrid);
            }
            List<List<Polygon>> communityFaces = new ArrayList<>();
            List<List<Polygon>> streetFaces = new ArrayList<>();
            for (int c = 0; c < nc; c++) {
                communityFaces.add(new ArrayList<>());
            }
            for (int s = 0; s < streetList.size(); s++) {
                streetFaces.add(new ArrayList<>());
            }
            for (int f = 0; f < faces.size(); f++) {
                int[] l = labels[f];
                streetFaces.get(l[0]).add(faces.get(f));
                communityFaces.get(l[1]).add(faces.get(f));
                gridFaces.get(l[1]).get(l[2]).add(faces.get(f));
            }
            List<Area> streets = new ArrayList<>();
            for (int s = 0; s < streetList.size(); s++) {
                Street st = streetList.get(s);
                streets.add(new Area(st.code(), st.name(), st.districtCode(), union(streetFaces.get(s), st.code())));
            }
            List<Area> communities = new ArrayList<>();
            List<Area> grids = new ArrayList<>();
            for (int c = 0; c < nc; c++) {
                Community cm = communityList.get(c);
                MultiPolygon geometry = union(communityFaces.get(c), cm.code());
                communities.add(new Area(cm.code(), cm.name(), cm.streetCode(), geometry));
                List<List<Polygon>> perGrid = gridFaces.get(c);
                MultiPolygon[] parts = new MultiPolygon[perGrid.size()];
                Coordinate[] centres = new Coordinate[parts.length];
                for (int g = 0; g < parts.length; g++) {
                    parts[g] = union(perGrid.get(g), cm.code() + " grid " + (g + 1));
                    centres[g] = parts[g].getCentroid().getCoordinate();
                }
                Integer[] order = readingOrder(centres, geometry.getEnvelopeInternal(), geometry.getArea());
                String prefix = cm.name().replaceFirst("居委会$", "");
                for (int k = 0; k < order.length; k++) {
                    String code = GridCode.of(cm.code(), k + 1);
                    String seq = code.substring(12);
                    grids.add(new Area(code, prefix + seq + "网格", cm.code(), parts[order[k]]));
                }
            }
            List<Polygon> all = new ArrayList<>(faces);
            return new AreaPartition(union(all, "district"), List.copyOf(streets), List.copyOf(communities), List.copyOf(grids));
        }

        /** The exact union of faces that share identical edges; no coordinate is computed. */
        private static MultiPolygon union(List<Polygon> faces, String what) {
            if (faces.isEmpty()) {
                throw new IllegalStateException(what + " received no part of the district; its seed is too close to a neighbour's");
            }
            Geometry u = CoverageUnion.union(faces.toArray(Geometry[]::new)).norm();
            MultiPolygon mp = u instanceof MultiPolygon m ? m
                    : FACTORY.createMultiPolygon(new Polygon[] {(Polygon) u});
            if (!mp.isValid()) {
                throw new IllegalStateException(what + " came out invalid: " + new IsValidOp(mp).getValidationError());
            }
            return mp;
        }
    }

    /**
     * Gives each face smaller than {@link #SLIVER_AREA} the labels of the neighbour it shares the
     * longest boundary with (ties: the lower index), so that snap-rounding slivers never make
     * a stray part of an area. A sliver that is all its area has stays, so that no area vanishes.
     * Faces must share identical edges, as polygonized faces do; labels are compared by content.
     */
    static void mergeSlivers(List<Polygon> faces, int[][] labels) {
        Map<List<Integer>, Integer> facesPerLabel = new HashMap<>();
        for (int[] l : labels) {
            facesPerLabel.merge(key(l), 1, Integer::sum);
        }
        Map<Edge, int[]> sides = new HashMap<>();
        for (int f = 0; f < faces.size(); f++) {
            for (Edge e : edges(faces.get(f))) {
                int[] both = sides.computeIfAbsent(e, x -> new int[] {-1, -1});
                both[both[0] < 0 ? 0 : 1] = f;
            }
        }
        for (int f = 0; f < faces.size(); f++) {
            if (faces.get(f).getArea() >= SLIVER_AREA || facesPerLabel.get(key(labels[f])) == 1) {
                continue;
            }
            Map<Integer, Double> shared = new HashMap<>();
            for (Edge e : edges(faces.get(f))) {
                int[] both = sides.get(e);
                int other = both[0] == f ? both[1] : both[0];
                if (other >= 0) {
                    shared.merge(other, e.length(), Double::sum);
                }
            }
            int best = -1;
            for (Map.Entry<Integer, Double> en : shared.entrySet()) {
                if (best < 0 || en.getValue() > shared.get(best)
                        || (en.getValue().equals(shared.get(best)) && en.getKey() < best)) {
                    best = en.getKey();
                }
            }
            if (best >= 0) {
                facesPerLabel.merge(key(labels[f]), -1, Integer::sum);
                facesPerLabel.merge(key(labels[best]), 1, Integer::sum);
                labels[f] = labels[best];
            }
        }
    }

    private static List<Integer> key(int[] label) {
        return Arrays.stream(label).boxed().toList();
    }

    private static List<Edge> edges(Polygon p) {
        List<Edge> out = new ArrayList<>();
        for (int r = -1; r < p.getNumInteriorRing(); r++) {
            Coordinate[] cs = (r < 0 ? p.getExteriorRing() : p.getInteriorRingN(r)).getCoordinates();
            for (int i = 1; i < cs.length; i++) {
                out.add(Edge.of(cs[i - 1], cs[i]));
            }
        }
        return out;
    }

    /**
     * Indexes of {@code points} in reading order: rows from north to south, each row west to east.
     * Rows are as tall as a square share of the area ({@code sqrt(area / n)}), counted down from the
     * top of {@code env}.
     */
    static Integer[] readingOrder(Coordinate[] points, Envelope env, double area) {
        double rowHeight = Math.sqrt(area / points.length);
        Integer[] order = new Integer[points.length];
        int[] rows = new int[points.length];
        for (int i = 0; i < points.length; i++) {
            order[i] = i;
            rows[i] = (int) Math.floor((env.getMaxY() - points[i].y) / rowHeight);
        }
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> rows[i]).thenComparingDouble(i -> points[i].x));
        return order;
    }

    /** An undirected segment between two points of the 1e-7 grid, for finding shared edges. */
    private record Edge(long x1, long y1, long x2, long y2) {
        static Edge of(Coordinate a, Coordinate b) {
            long ax = Math.round(a.x * 1e7);
            long ay = Math.round(a.y * 1e7);
            long bx = Math.round(b.x * 1e7);
            long by = Math.round(b.y * 1e7);
            boolean swap = ax > bx || (ax == bx && ay > by);
            return swap ? new Edge(bx, by, ax, ay) : new Edge(ax, ay, bx, by);
        }

        double length() {
            return Math.hypot(x2 - x1, y2 - y1);
        }
    }
}

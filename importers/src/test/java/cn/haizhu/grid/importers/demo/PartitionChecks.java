package cn.haizhu.grid.importers.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import org.locationtech.jts.coverage.CoverageUnion;
import org.locationtech.jts.coverage.CoverageValidator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.locationtech.jts.operation.valid.IsValidOp;

/** Assertions that polygons partition an area, checked with JTS independently of how they were made. */
final class PartitionChecks {
    private PartitionChecks() {
    }

    /**
     * {@code parts} are valid, lie on the 1e-7 grid, overlap nowhere (pairwise intersections have no
     * area; edges of neighbours match, per {@link CoverageValidator}) and their union is
     * {@code whole} up to {@code tolerance} deg² of symmetric difference.
     *
     * @return the area of the symmetric difference between the union and {@code whole}
     */
    static double assertPartition(String what, List<? extends Geometry> parts, Geometry whole, double tolerance) {
        Geometry[] array = parts.toArray(Geometry[]::new);
        double sum = 0;
        for (Geometry g : array) {
            IsValidOp valid = new IsValidOp(g);
            assertTrue(valid.isValid(), () -> what + ": invalid part " + valid.getValidationError());
            assertFalse(g.isEmpty(), what + ": empty part");
            assertOnGrid(what, g);
            sum += g.getArea();
        }
        Geometry[] invalid = CoverageValidator.validate(array);
        for (int i = 0; i < invalid.length; i++) {
            assertNull(invalid[i], what + ": part " + i + " overlaps or mismatches a neighbour at " + invalid[i]);
        }
        double overlap = overlapArea(array);
        assertEquals(0.0, overlap, 1e-15, what + ": parts overlap");
        Geometry union = CoverageUnion.union(array);
        assertEquals(sum, union.getArea(), 1e-12, what + ": the area of the parts and of their union differ");
        double difference = OverlayNGRobust.overlay(union, whole, OverlayNG.SYMDIFFERENCE).getArea();
        assertTrue(difference <= tolerance, what + ": union differs from the whole by " + difference + " deg²");
        return difference;
    }

    /** Sum of the areas of all pairwise intersections (candidates found with an STRtree). */
    static double overlapArea(Geometry[] parts) {
        STRtree index = new STRtree();
        for (int i = 0; i < parts.length; i++) {
            index.insert(parts[i].getEnvelopeInternal(), i);
        }
        double total = 0;
        for (int i = 0; i < parts.length; i++) {
            for (Object o : index.query(parts[i].getEnvelopeInternal())) {
                int j = (Integer) o;
                if (j > i) {
                    total += OverlayNGRobust.overlay(parts[i], parts[j], OverlayNG.INTERSECTION).getArea();
                }
            }
        }
        return total;
    }

    static void assertOnGrid(String what, Geometry g) {
        for (Coordinate c : g.getCoordinates()) {
            if (Math.abs(c.x * 1e7 - Math.rint(c.x * 1e7)) > 1e-6 || Math.abs(c.y * 1e7 - Math.rint(c.y * 1e7)) > 1e-6) {
                fail(what + ": coordinate " + c + " is not on the 1e-7 grid");
            }
        }
    }
}

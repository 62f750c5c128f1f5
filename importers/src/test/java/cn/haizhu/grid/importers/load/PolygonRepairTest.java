package cn.haizhu.grid.importers.load;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The "unambiguous repair" rule, with the figures PostGIS 3.3 / GEOS 3.11 gives for each case
 * (ST_IsValidReason, ST_NumGeometries and ST_Area before, and of ST_CollectionExtract(ST_MakeValid(g), 3) after).
 */
class PolygonRepairTest {
    @Test
    void aBowTieSplitsIntoTwoTrianglesAndIsRefusedInBothLanguages() {
        // POLYGON((0 0, 10 10, 10 0, 0 10, 0 0)): the lobes cancel (area 0), the repair is two triangles of 25
        var refusal = PolygonRepair.judge("Self-intersection[5 5]", 1, 0, 2, 50).orElseThrow();
        assertTrue(refusal.zh().startsWith("自相交（8字形）多边形"), refusal.zh());
        assertTrue(refusal.en().startsWith("self-intersecting (bow-tie) polygon"), refusal.en());
        assertTrue(refusal.en().contains("2 pieces"), refusal.en());
    }

    @Test
    void aFigureEightPinchedAtAVertexIsRefusedEvenThoughItsAreaIsKept() {
        // POLYGON((0 0, 10 0, 5 5, 10 10, 0 10, 5 5, 0 0)): area 50 before and after, but two pieces
        assertTrue(PolygonRepair.judge("Ring Self-intersection[5 5]", 1, 50, 2, 50).isPresent());
    }

    @Test
    void aSpikeOrASelfTouchingRingThatKeepsOnePieceAndItsAreaIsRepaired() {
        // spike: POLYGON((0 0, 10 0, 10 10, 5 10, 5 15, 5 10, 0 10, 0 0)) → the square, the spike line dropped
        assertFalse(PolygonRepair.judge("Ring Self-intersection[5 10]", 1, 100, 1, 100).isPresent());
        // a ring touching itself to enclose a hole (ESRI style) → one polygon with a hole, area 90
        assertFalse(PolygonRepair.judge("Ring Self-intersection[5 10]", 1, 90, 1, 90).isPresent());
    }

    @Test
    void twoPartsSharingAnEdgeMergeIntoOneWithTheSameArea() {
        assertFalse(PolygonRepair.judge("Self-intersection[5 10]", 2, 100, 1, 100).isPresent());
    }

    @Test
    void overlappingPartsOrAHoleOutsideItsShellAreRefused() {
        // overlap of 10 counted twice before: 110 → 100, a 9% change
        var overlap = PolygonRepair.judge("Self-intersection[6 0]", 2, 110, 1, 100).orElseThrow();
        assertTrue(overlap.en().contains("9.1%"), overlap.en());
        var hole = PolygonRepair.judge("Hole lies outside shell[20 20]", 1, 99, 2, 101).orElseThrow();
        assertTrue(hole.en().startsWith("invalid polygon"), hole.en());
        assertTrue(hole.zh().contains("1 块变成 2 块"), hole.zh());
    }

    @Test
    void theAreaToleranceIsOnePercent() {
        assertFalse(PolygonRepair.judge("Ring Self-intersection[1 1]", 1, 99.01, 1, 100).isPresent());
        assertTrue(PolygonRepair.judge("Ring Self-intersection[1 1]", 1, 98.9, 1, 100).isPresent());
    }

    @Test
    void nothingLeftIsRefused() {
        assertTrue(PolygonRepair.judge("Too few points[0 0]", 1, 0, 0, 0).isPresent());
    }
}

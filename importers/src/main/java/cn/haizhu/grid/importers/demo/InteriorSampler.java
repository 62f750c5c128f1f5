package cn.haizhu.grid.importers.demo;

import java.util.SplittableRandom;
import org.locationtech.jts.algorithm.construct.MaximumInscribedCircle;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Location;

/**
 * Random points strictly inside a polygonal geometry (never on its boundary), by rejection from its
 * envelope against an indexed point-in-area locator.
 */
final class InteriorSampler {
    private static final int MAX_TRIES = 10_000;

    private final Geometry area;
    private final Envelope env;
    private final IndexedPointInAreaLocator locator;

    InteriorSampler(Geometry area) {
        this.area = area;
        this.env = area.getEnvelopeInternal();
        this.locator = new IndexedPointInAreaLocator(area);
    }

    Envelope envelope() {
        return env;
    }

    /** True if {@code c} lies in the interior (not on the boundary). */
    boolean isInterior(Coordinate c) {
        return locator.locate(c) == Location.INTERIOR;
    }

    /** A uniform random point in the interior, in full double precision. */
    Coordinate next(SplittableRandom rng) {
        for (int i = 0; i < MAX_TRIES; i++) {
            Coordinate c = new Coordinate(env.getMinX() + rng.nextDouble() * env.getWidth(),
                    env.getMinY() + rng.nextDouble() * env.getHeight());
            if (isInterior(c)) {
                return c;
            }
        }
        return fallback();
    }

    /**
     * A uniform random point whose coordinates are rounded to 7 decimals and which is still in the
     * interior after rounding, so that the point written to a file is inside what it claims.
     */
    Coordinate nextRounded(SplittableRandom rng) {
        for (int i = 0; i < MAX_TRIES; i++) {
            Coordinate c = new Coordinate(Text.round7(env.getMinX() + rng.nextDouble() * env.getWidth()),
                    Text.round7(env.getMinY() + rng.nextDouble() * env.getHeight()));
            if (isInterior(c)) {
                return c;
            }
        }
        Coordinate c = fallback();
        c = new Coordinate(Text.round7(c.x), Text.round7(c.y));
        if (!isInterior(c)) {
            throw new IllegalStateException("no interior point on the 1e-7 grid in " + env);
        }
        return c;
    }

    /** For areas too thin for rejection sampling: the centre of the largest inscribed circle. */
    private Coordinate fallback() {
        double tolerance = Math.max(env.getWidth(), env.getHeight()) / 1000;
        return MaximumInscribedCircle.getCenter(area, tolerance).getCoordinate();
    }
}

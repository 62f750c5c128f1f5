package cn.haizhu.grid.server.open311;

/**
 * A GeoReport error to answer with: its status and description, in the spec's error shape
 * ({@link Formats#error}), not in the /api/v1 one.
 */
final class Refusal extends RuntimeException {
    final int status;

    Refusal(int status, String description) {
        super(description, null, false, false);
        this.status = status;
    }
}

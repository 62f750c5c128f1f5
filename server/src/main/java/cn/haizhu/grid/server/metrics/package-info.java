/**
 * What whoever runs the command center watches: {@code GET /metrics} in Prometheus text format
 * (Micrometer's Prometheus registry, one per server), the per-route request timer every request passes
 * through ({@link RequestMetrics}), the database pools' gauges ({@link DatabasePools}), the counts
 * read from the database for the dashboard ({@link DatabaseGauges}). Features count in plain Java
 * (LongAdder, AtomicInteger) and this package binds those counts to meters, so no feature depends on
 * Micrometer. docs/ops/ holds a Prometheus scrape example and a Grafana dashboard over these names.
 */
package cn.haizhu.grid.server.metrics;

/**
 * Cluster mode on one machine ({@code ./gridctl cluster}, docs/CLUSTER.md): a PostgreSQL primary and a
 * hot standby kept by PostgreSQL's own streaming replication through a slot ({@link Replication}),
 * two server instances, and nginx in front ({@link Nginx}) as the one HTTP entry and as the database
 * entry that follows the primary across a failover; started, watched, failed over and rejoined by
 * {@link Cluster} (its state: {@link ClusterState}; the instances' processes: {@link ServerInstances}),
 * behind {@link ClusterCommand}.
 */
package cn.haizhu.grid.server.cluster;

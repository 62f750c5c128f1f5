/** Where the database is: the embedded PostGIS cluster, the configured one, Flyway migrations, the JDBC pool. */
package cn.haizhu.grid.data.db;

/** Stage → merge into PostGIS: COPY into a temporary table, then one set-based upsert per dataset. */
package cn.haizhu.grid.importers.load;

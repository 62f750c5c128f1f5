/** Bulk imports over HTTP for the import page: upload, job progress, rejected rows. */
package cn.haizhu.grid.server.imports;

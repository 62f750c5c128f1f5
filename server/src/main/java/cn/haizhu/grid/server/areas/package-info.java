/** Admin areas (district, streets, communities) and unit grids over HTTP. */
package cn.haizhu.grid.server.areas;

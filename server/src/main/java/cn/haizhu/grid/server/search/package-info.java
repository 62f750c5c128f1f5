/** The map wall's search box: areas, grids, enterprises and houses by name, code or address. */
package cn.haizhu.grid.server.search;

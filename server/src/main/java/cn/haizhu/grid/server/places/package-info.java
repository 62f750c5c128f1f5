/** One house or enterprise for the map wall's detail panel. */
package cn.haizhu.grid.server.places;

/** The Haizhu demo data set: a deterministic generator of the files a data officer would receive (real streets and communities, generated grids, houses, people, enterprises) at any scale, and their loading on first start. */
package cn.haizhu.grid.importers.demo;

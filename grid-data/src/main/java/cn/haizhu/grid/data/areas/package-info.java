/** The areas of the district (streets, communities, grids): reference lists shipped with the project. */
package cn.haizhu.grid.data.areas;

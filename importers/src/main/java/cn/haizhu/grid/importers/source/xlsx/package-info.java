/** Excel 2007+ workbooks (.xlsx), streamed sheet by sheet with constant heap. */
package cn.haizhu.grid.importers.source.xlsx;

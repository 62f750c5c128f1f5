/** The one configuration record of the command center: file plus environment, built once. */
package cn.haizhu.grid.data.config;

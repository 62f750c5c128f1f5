/** Users, roles and data scopes; slow password hashes. */
package cn.haizhu.grid.data.users;

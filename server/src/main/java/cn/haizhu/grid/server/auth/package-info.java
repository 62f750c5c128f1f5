/** Who is calling: sign-in, sessions and bearer tokens, roles, and the data scope every query runs in. */
package cn.haizhu.grid.server.auth;

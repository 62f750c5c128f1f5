/** HTTP plumbing shared by every feature: the error type and the one failure handler. */
package cn.haizhu.grid.server.http;

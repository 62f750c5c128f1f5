/** The audit of personal-data reads and the security alerts, for administrators (audit.read). */
package cn.haizhu.grid.server.audit;

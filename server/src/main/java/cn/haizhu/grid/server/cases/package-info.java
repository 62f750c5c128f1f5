/**
 * Cases (案件) over HTTP: intake with routing, the dispatcher's queue, one case with its history,
 * the workflow's actions, duplicate suggestions, the category catalogue and the KPIs. The rules are
 * {@link cn.haizhu.grid.data.cases.CaseWorkflow}'s; this package reads the facts and writes the outcome.
 */
package cn.haizhu.grid.server.cases;

/**
 * Cases (案件): intake with routing, the dispatcher's queue, one case with its history, the
 * workflow's actions, duplicate suggestions, the category catalogue, the map's case points and the
 * KPIs. The rules are {@link cn.haizhu.grid.data.cases.CaseWorkflow}'s; this package reads the facts
 * and writes the outcome. {@link cn.haizhu.grid.server.cases.CaseResource},
 * {@link cn.haizhu.grid.server.cases.CaseKpiResource} and {@link cn.haizhu.grid.server.cases.CaseMapResource}
 * speak HTTP; {@link cn.haizhu.grid.server.cases.CaseReads}, {@link cn.haizhu.grid.server.cases.CaseIntake},
 * {@link cn.haizhu.grid.server.cases.CaseActions}, {@link cn.haizhu.grid.server.cases.CaseKpiReport} and
 * {@link cn.haizhu.grid.server.cases.CaseMap} do the work, with their SQL in {@code .sql} files beside
 * them; {@link cn.haizhu.grid.server.cases.CaseViews} is how a case shows.
 */
package cn.haizhu.grid.server.cases;

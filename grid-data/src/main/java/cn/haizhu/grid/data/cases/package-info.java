/**
 * The pure rules of cases (案件) and their dispatch (派遣): the case state machine, the working-time calendar
 * that deadlines run on, the category catalogue (部件/事件 大类 → 小类) and the KPI definitions.
 * Nothing here touches the database or the network; the data layer and the HTTP API build on it.
 */
package cn.haizhu.grid.data.cases;

/**
 * Live events for the pages that stay open (map wall, dispatcher desk, tablets): PostgreSQL
 * {@code NOTIFY gridctl_events} → one LISTEN connection per server → the Vert.x event bus →
 * a Server-Sent Events stream per browser, filtered by the caller's data scope.
 *
 * <p>Why NOTIFY: the event is raised in the same transaction as the write (a trigger or the
 * writing statement), so a page never hears of a change that rolled back, and every server
 * instance behind a load balancer hears every change without a broker. Why SSE: one-way push
 * over plain HTTP (cookies and bearer tokens work as for any API call), and browsers reconnect
 * by themselves, saying the id of the last event they had.
 *
 * <p>Each event's id is given by the database at commit, in commit order, and the last minutes of
 * events are kept ({@link cn.haizhu.grid.server.events.EventLog}, V46): every instance sends the
 * same ids, and a page that reconnects to another instance gets exactly what it missed
 * (docs/CLUSTER.md, "Stateless instances").
 */
package cn.haizhu.grid.server.events;

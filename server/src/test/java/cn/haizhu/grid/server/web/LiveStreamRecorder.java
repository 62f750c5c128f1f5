package cn.haizhu.grid.server.web;

import java.time.Duration;
import java.util.List;

/**
 * What a page's own event stream (EventSource, assets/live.js) receives, recorded in the browser
 * without changing the page: a script that runs before the page's wraps {@code window.EventSource}
 * so that every stream the page opens also logs, with the time ({@code Date.now()}, the machine's
 * clock) each happened: its opens, its errors (a dropped stream, a refused reconnect) and every
 * message of the case and stream types with its {@code lastEventId}, its type and the case id in its
 * data. {@link #watch} also logs each change of one element (the page's live indicator).
 */
public final class LiveStreamRecorder {
    private static final String SCRIPT = """
            (() => {
              const Native = window.EventSource;
              if (!Native) {
                return;
              }
              const rec = { opens: [], errors: [], events: [], changes: [] };
              window.gridctlStreamRecord = rec;
              const TYPES = ['message', 'case.created', 'case.changed', 'case.bulk', 'stream.reset'];
              window.EventSource = class extends Native {
                constructor(url, init) {
                  super(url, init);
                  // added before the page's listeners: the time is when the browser delivered it
                  this.addEventListener('open', () => rec.opens.push(Date.now()));
                  this.addEventListener('error', () => rec.errors.push(Date.now()));
                  for (const type of TYPES) {
                    this.addEventListener(type, (e) => {
                      let id = null;
                      try {
                        id = JSON.parse(e.data).id || null;
                      } catch (err) {
                        // not JSON: no case id
                      }
                      rec.events.push([Number(e.lastEventId || 0), e.type, Date.now(), id]);
                    });
                  }
                }
              };
            })();
            """;

    private final Browser browser;

    private LiveStreamRecorder(Browser browser) {
        this.browser = browser;
    }

    /** Records in every page {@code browser} opens from now on. */
    public static LiveStreamRecorder install(Browser browser) {
        browser.beforeEveryPage(SCRIPT);
        return new LiveStreamRecorder(browser);
    }

    /** One message: its {@code lastEventId} (0: none), type, arrival (ms since the epoch) and the case id in its data (or null). */
    public record Message(long id, String type, long at, String caseId) {
    }

    /** One change of the watched element: its {@code data-state}, its text, and when. */
    public record Change(String state, String text, long at) {
    }

    /** Everything recorded on the current page so far. */
    public record Record(List<Long> opens, List<Long> errors, List<Message> messages, List<Change> changes) {
        /** The first open at or after {@code at} (ms since the epoch), or -1. */
        public long firstOpenAfter(long at) {
            return opens.stream().filter(t -> t >= at).findFirst().orElse(-1L);
        }
    }

    /** Logs every change of the element with id {@code elementId} (its data-state and its text) from now on. */
    public void watch(String elementId) {
        browser.js("""
                const el = document.getElementById(arguments[0]);
                const rec = window.gridctlStreamRecord;
                new MutationObserver(() => rec.changes.push([el.dataset.state || '', el.textContent, Date.now()]))
                  .observe(el, { attributes: true, childList: true, characterData: true, subtree: true });
                """, elementId);
    }

    /** The highest event id the page's streams have delivered (0: none yet). */
    public long lastId() {
        return ((Number) browser.js("""
                let m = 0;
                for (const e of window.gridctlStreamRecord.events) {
                  m = Math.max(m, e[0]);
                }
                return m;
                """)).longValue();
    }

    /** Waits until the page's streams have delivered the event {@code id}. */
    public void awaitId(long id, Duration within) {
        try {
            browser.waitUntil(d -> lastId() >= id, within);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the page's stream delivered up to event " + lastId() + ", the log has " + id, e);
        }
    }

    @SuppressWarnings("unchecked")
    public Record read() {
        List<Object> r = (List<Object>) browser.js("""
                const r = window.gridctlStreamRecord;
                return [r.opens, r.errors, r.events, r.changes];
                """);
        List<Long> opens = ((List<Number>) r.get(0)).stream().map(Number::longValue).toList();
        List<Long> errors = ((List<Number>) r.get(1)).stream().map(Number::longValue).toList();
        List<Message> messages = ((List<List<Object>>) r.get(2)).stream()
                .map(e -> new Message(((Number) e.get(0)).longValue(), (String) e.get(1), ((Number) e.get(2)).longValue(),
                        (String) e.get(3)))
                .toList();
        List<Change> changes = ((List<List<Object>>) r.get(3)).stream()
                .map(e -> new Change((String) e.get(0), (String) e.get(1), ((Number) e.get(2)).longValue()))
                .toList();
        return new Record(opens, errors, messages, changes);
    }
}

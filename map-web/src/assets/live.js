// live: the server's case events over Server-Sent Events (GET /api/v1/events?types=case.).
// The stream carries the session cookie and is already limited to the viewer's data scope.
// EventSource reconnects by itself (the server asks for 3 s); onState tells the page whether the
// stream is up, so it can say "实时" or "重连中" and reload what it may have missed. A reconnect sends
// Last-Event-ID and the server replays what the page missed; when it cannot (the page was away longer
// than its event log reaches, or the id is not one this database gave) it sends stream.reset instead,
// and onReset tells the page to reload what it shows: events alone will not bring it up to date.

const TYPES = ['case.created', 'case.changed', 'case.bulk'];

/** The event the server sends when it cannot replay what the page missed (EventStreamResource.RESET). */
export const RESET = 'stream.reset';

/** How long before a stream EventSource gave up on is opened anew: doubling from the first, to the last. */
const REOPEN_FIRST_MS = 5000;
const REOPEN_LAST_MS = 60000;

/**
 * Opens the stream; onEvent({type, ...data}) for each case event, onState(state, reconnected) when it
 * opens or drops, onReset() on stream.reset. Returns {close()}.
 *
 * EventSource gives up for good when a reconnect is answered with anything but a stream (a proxy's 502
 * while no instance is up, a 429 while the server still counts the old stream, a 401 after the session
 * ended). A wall must not stay dark: a stream given up on is opened anew after 5 s, then 10, 20 … 60 s.
 * The new one carries no Last-Event-ID, so the page is told "reconnected" and reloads what it shows.
 */
export function caseEvents(onEvent, onState = () => {}, onReset = () => {}) {
  let source = null;
  let wasDown = false;
  let closed = false;
  let reopenMs = REOPEN_FIRST_MS;
  let reopenTimer = 0;

  const open = () => {
    reopenTimer = 0;
    source = new EventSource('/api/v1/events?types=case.');
    source.onopen = () => {
      onState('open', wasDown);
      wasDown = false;
      reopenMs = REOPEN_FIRST_MS;
    };
    source.onerror = () => {
      wasDown = true;
      if (source.readyState === EventSource.CLOSED) {
        onState('closed', false);
        if (!closed && !reopenTimer) {
          reopenTimer = setTimeout(open, reopenMs);
          reopenMs = Math.min(REOPEN_LAST_MS, reopenMs * 2);
        }
      } else {
        onState('connecting', false);
      }
    };
    for (const type of TYPES) {
      source.addEventListener(type, (e) => {
        let data = {};
        try {
          data = JSON.parse(e.data);
        } catch (err) {
          // a malformed event still means "something changed"
        }
        onEvent({ ...data, type });
      });
    }
    source.addEventListener(RESET, () => onReset());
  };
  open();
  return {
    close: () => {
      closed = true;
      clearTimeout(reopenTimer);
      source.close();
    },
  };
}

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

/**
 * Opens the stream; onEvent({type, ...data}) for each case event, onState(state, reconnected) when it
 * opens or drops, onReset() on stream.reset. Returns {close()}.
 */
export function caseEvents(onEvent, onState = () => {}, onReset = () => {}) {
  const source = new EventSource('/api/v1/events?types=case.');
  let wasDown = false;
  source.onopen = () => {
    onState('open', wasDown);
    wasDown = false;
  };
  source.onerror = () => {
    wasDown = true;
    onState(source.readyState === EventSource.CLOSED ? 'closed' : 'connecting', false);
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
  return { close: () => source.close() };
}

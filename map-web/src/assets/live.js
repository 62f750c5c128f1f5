// live: the server's case events over Server-Sent Events (GET /api/v1/events?types=case.).
// The stream carries the session cookie and is already limited to the viewer's data scope.
// EventSource reconnects by itself (the server asks for 3 s); onState tells the page whether the
// stream is up, so it can say "实时" or "重连中" and reload what it may have missed.

const TYPES = ['case.created', 'case.changed', 'case.bulk'];

/** Opens the stream; onEvent({type, ...data}) for each case event. Returns {close()}. */
export function caseEvents(onEvent, onState = () => {}) {
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
  return { close: () => source.close() };
}

// A stand-in for the UTS native bridge (utssdk/interface.uts): records every call,
// answers with programmable codes, and lets a test emit native events.
export function createFakeNative() {
  const fake = {
    calls: [],
    clients: new Map(),
    nextHandle: 1,
    codes: {},          // function name -> code to return next (default 0)
    lastError: '',
    nextFp: 'fp-1',

    emit(handle, event) {
      const client = fake.clients.get(handle);
      if (!client) throw new Error(`no client ${handle}`);
      client.onEvent(event);
    },
    callsOf(name) {
      return fake.calls.filter((c) => c.name === name).map((c) => c.args);
    },
    take(name) {
      const code = fake.codes[name] || 0;
      delete fake.codes[name];
      fake.lastError = code === 0 ? '' : `native detail for ${code}`;
      return code;
    },

    imCreate(options, onEvent) {
      fake.calls.push({ name: 'imCreate', args: [options] });
      const code = fake.take('imCreate');
      if (code !== 0) return { code, handle: 0, error: 'refused by the fake' };
      const handle = fake.nextHandle++;
      fake.clients.set(handle, { options, onEvent, released: false });
      return { code: 0, handle, error: '' };
    },
    imLogin(handle, userId, token, app, extra) {
      fake.calls.push({ name: 'imLogin', args: [handle, userId, token, app, extra] });
      return fake.live(handle) ? fake.take('imLogin') : 1004;
    },
    imSend(handle, to, content, qos, typeu, fp) {
      fake.calls.push({ name: 'imSend', args: [handle, to, content, qos, typeu, fp] });
      if (!fake.live(handle)) return { code: 1004, fp: '' };
      const code = fake.take('imSend');
      return { code, fp: code === 0 ? fp || (qos ? fake.nextFp : '') : '' }; // fp '' = generate
    },
    imLogout(handle) {
      fake.calls.push({ name: 'imLogout', args: [handle] });
      return fake.live(handle) ? fake.take('imLogout') : 1004;
    },
    imRelease(handle) {
      fake.calls.push({ name: 'imRelease', args: [handle] });
      if (!fake.live(handle)) return 1004;
      const client = fake.clients.get(handle);
      client.released = true;
      client.onEvent({ kind: 'release' });
      return 0;
    },
    imNetworkChanged(handle, available) {
      fake.calls.push({ name: 'imNetworkChanged', args: [handle, available] });
      return fake.live(handle) ? 0 : 1004;
    },
    imEcho(handle, text) {
      fake.calls.push({ name: 'imEcho', args: [handle, text] });
      return fake.live(handle) ? fake.take('imEcho') : 1004;
    },
    imLastError() {
      return fake.lastError;
    },
    live(handle) {
      const client = fake.clients.get(handle);
      return Boolean(client) && !client.released;
    },
  };
  return fake;
}

/** A scheduler the test drains by hand, to see what runs after a call returns. */
export function manualSchedule() {
  const queue = [];
  const schedule = (fn) => queue.push(fn);
  schedule.drain = () => {
    while (queue.length) queue.shift()();
  };
  schedule.pending = () => queue.length;
  return schedule;
}

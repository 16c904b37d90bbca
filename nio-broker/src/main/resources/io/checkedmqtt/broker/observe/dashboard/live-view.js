// The dashboard's live view (#/live?filter=F): an MQTT client over WebSocket (mqtt-client.js) that
// subscribes to a filter and lists what arrives, newest first. It uses the helpers and the shared
// `main` and `live` of dashboard.js, which is loaded after it and calls it from its router.
'use strict';

function liveView(query) {
  clearInterval(timer);
  const filter = el('input', { type: 'text', id: 'live-filter', value: query.get('filter') || '#', placeholder: 'Topic filter' });
  const status = el('span', { class: 'status', id: 'live-status' }, 'not connected');
  const list = el('ul', { class: 'messages', id: 'live-messages' });
  const counter = el('span', { class: 'note', id: 'live-count' }, '0 messages');
  let received = 0;
  let current = null;
  const watch = el('button', { id: 'live-watch', onclick: () => subscribe() }, 'Watch');
  main.replaceChildren(el('h1', {}, 'Live messages'),
    el('p', { class: 'sub' }, 'The dashboard subscribes like any MQTT client (over WebSocket at /mqtt); ‘#’ does not match $SYS topics: watch $SYS/# for those.'),
    el('div', { class: 'toolbar' }, filter, watch, status),
    el('section', { class: 'panel' }, el('div', { class: 'panel-head' }, el('h2', {}, 'Messages, newest first'), counter), list));
  const subscribe = () => {
    if (current && current !== filter.value) live.unsubscribe(current);
    current = filter.value;
    live.subscribe(current);
    history.replaceState(null, '', '#/live?filter=' + encodeURIComponent(current));
  };
  const id = 'dashboard-' + Math.random().toString(16).slice(2, 10);
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/mqtt';
  // With a password file the broker asks MQTT clients for credentials; the live view asks the user once.
  const login = el('form', { class: 'toolbar', id: 'live-login', hidden: '' },
    el('input', { type: 'text', name: 'username', placeholder: 'MQTT user name', autocomplete: 'username' }),
    el('input', { type: 'password', name: 'password', placeholder: 'Password', autocomplete: 'current-password' }),
    el('button', { type: 'submit' }, 'Connect'));
  main.insertBefore(login, main.children[3]);
  login.addEventListener('submit', (event) => {
    event.preventDefault();
    login.hidden = true;
    connect({ username: login.elements.username.value, password: login.elements.password.value });
  });
  const connect = (credentials) => {
    if (live) live.close();
    live = new MqttWs.Client(url, id, handlers, credentials);
    live.connect();
    current = null;
    subscribe();
  };
  const handlers = {
    onState: (text) => {
      status.textContent = text + (text === 'subscribed' ? ' to ' + current : '');
      status.className = 'status' + (text === 'subscribed' ? ' ok' : '');
      if (text === 'credentials needed') login.hidden = false;
    },
    onMessage: (topic, payload, retainedFlag) => {
      received++;
      counter.textContent = count(received) + (received === 1 ? ' message' : ' messages');
      let text;
      try { text = new TextDecoder('utf-8', { fatal: true }).decode(payload); } catch (e) { text = Array.from(payload.slice(0, 256), (b) => b.toString(16).padStart(2, '0')).join(' '); }
      list.prepend(el('li', {}, el('span', { class: 'time' }, new Date().toLocaleTimeString()),
        el('span', { class: 'topic' }, topic, retainedFlag ? el('span', { class: 'pill' }, 'retained') : null),
        el('span', { class: 'payload' }, text.length > 2000 ? text.slice(0, 2000) + ' …' : text)));
      while (list.children.length > 500) list.lastChild.remove();
    },
  };
  connect(undefined);
}

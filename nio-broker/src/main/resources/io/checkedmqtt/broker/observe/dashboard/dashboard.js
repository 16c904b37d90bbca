// The dashboard: plain JavaScript, no framework, no build step. It reads the JSON API of the same
// origin, draws a small chart on a canvas, and for the live view (live-view.js) speaks MQTT over
// WebSocket to /mqtt on this port (mqtt-client.js). Pages: #/ overview, #/clients, #/clients/ID, #/retained,
// #/topics, #/live?filter=F. Every value from the broker goes into the page as text, never as HTML.
'use strict';

const main = document.getElementById('main');
const chartHistory = { points: [], last: null };   // msgs/s in and out over the last minutes, for the chart
let timer = null;
let live = null;

// ---- small helpers ------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value !== null && value !== undefined) node.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

async function api(path, options) {
  const response = await fetch('/api/v1/' + path, Object.assign({ headers: { Accept: 'application/json' } }, options));
  const health = document.getElementById('health');
  health.className = 'health ' + (response.ok || response.status < 500 ? 'ok' : 'down');
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || response.statusText);
  return body;
}

const number = new Intl.NumberFormat();
function count(n) { return number.format(n); }

function bytes(n) {
  if (n < 1024) return n + ' B';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = -1;
  do { value /= 1024; unit++; } while (value >= 1024 && unit < units.length - 1);
  return value.toFixed(value < 10 ? 1 : 0) + ' ' + units[unit];
}

function since(iso) {
  if (!iso) return '–';
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 60) return seconds + ' s ago';
  if (seconds < 3600) return Math.floor(seconds / 60) + ' min ago';
  if (seconds < 86400) return Math.floor(seconds / 3600) + ' h ' + Math.floor((seconds % 3600) / 60) + ' min ago';
  return Math.floor(seconds / 86400) + ' d ago';
}

function duration(seconds) {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return d + 'd ' + h + 'h';
  if (h > 0) return h + 'h ' + m + 'm';
  return m + 'm ' + (seconds % 60) + 's';
}

function card(label, value, hint, kind) {
  return el('div', { class: 'card ' + (kind || '') }, el('div', { class: 'label' }, label),
    el('div', { class: 'value' }, value), hint ? el('div', { class: 'hint' }, hint) : null);
}

function table(id, columns, rows, emptyText) {
  const head = el('tr', {}, columns.map((c) => el('th', { class: c.num ? 'num' : '' }, c.title)));
  const body = rows.length === 0
    ? [el('tr', {}, el('td', { class: 'empty', colspan: columns.length }, emptyText))]
    : rows.map((row) => el('tr', {}, columns.map((c) =>
      el('td', { class: (c.num ? 'num ' : '') + (c.mono ? 'mono' : ''), 'data-label': c.title }, c.cell(row)))));
  return el('div', { class: 'table-wrap' }, el('table', { id, class: 'stack' }, el('thead', {}, head), el('tbody', {}, body)));
}

function payloadText(m) {
  const text = m.payload !== undefined ? m.payload : 'base64: ' + m.payloadBase64;
  return m.truncated ? text + ' …' : text;
}

function clientLink(id) {
  return el('a', { href: '#/clients/' + encodeURIComponent(id), class: 'client-link' }, id);
}

function refreshEvery(ms, fn) {
  clearInterval(timer);
  fn();
  timer = setInterval(fn, ms);
}

function showError(error) {
  main.replaceChildren(el('p', { class: 'error' }, 'The broker did not answer: ' + error.message));
}

// ---- overview ----------------------------------------------------------------------------------

function rate(summary) {
  const now = performance.now();
  const point = { at: now, in: summary.messages.received.total, out: summary.messages.sent.total };
  const last = chartHistory.last;
  chartHistory.last = point;
  if (!last || point.in < last.in) return null;
  const seconds = (now - last.at) / 1000;
  const r = { in: (point.in - last.in) / seconds, out: (point.out - last.out) / seconds };
  chartHistory.points.push(r);
  if (chartHistory.points.length > 120) chartHistory.points.shift();
  return r;
}

function drawChart(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  const points = chartHistory.points;
  const left = 52;
  const bottom = height - 22;
  const top = 10;
  const max = niceCeiling(Math.max(8, ...points.map((p) => Math.max(p.in, p.out))) * 1.1);
  g.font = '12px system-ui, sans-serif';
  g.fillStyle = '#616e7c';
  g.strokeStyle = '#e4e7eb';
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = bottom - (bottom - top) * i / 4;
    g.beginPath();
    g.moveTo(left, y);
    g.lineTo(width, y);
    g.stroke();
    const label = max * i / 4;
    g.fillText(label >= 1000 ? (label / 1000).toFixed(label % 1000 === 0 ? 0 : 1) + 'k' : label.toFixed(label % 1 === 0 ? 0 : 1), 6, y + 4);
  }
  g.fillText('last ' + points.length + ' s', left, height - 4);
  const slots = Math.max(points.length, 10);   // the history so far fills the width, up to two minutes
  const step = (width - left) / (slots - 1);
  const xOf = (i) => left + (slots - points.length + i) * step;
  const yOf = (v) => bottom - (bottom - top) * v / max;
  for (const [key, colour, fill] of [['in', '#0f766e', 'rgba(15, 118, 110, 0.10)'], ['out', '#6366f1', 'rgba(99, 102, 241, 0.10)']]) {
    if (points.length === 0) break;
    g.beginPath();
    points.forEach((p, i) => { if (i === 0) g.moveTo(xOf(i), yOf(p[key])); else g.lineTo(xOf(i), yOf(p[key])); });
    g.strokeStyle = colour;
    g.lineWidth = 2;
    g.lineJoin = 'round';
    g.stroke();
    g.lineTo(xOf(points.length - 1), bottom);
    g.lineTo(xOf(0), bottom);
    g.closePath();
    g.fillStyle = fill;
    g.fill();
  }
}

// The smallest 1, 2 or 5 times a power of ten at or above n, so the axis reads in round numbers.
function niceCeiling(n) {
  const power = Math.pow(10, Math.floor(Math.log10(n)));
  for (const m of [1, 2, 4, 5, 10]) if (m * power >= n) return m * power;
  return 10 * power;
}

function overview() {
  const cards = el('div', { class: 'cards', id: 'overview-cards' });
  const canvas = el('canvas', { class: 'chart', id: 'chart' });
  const listeners = el('div', { id: 'listeners' });
  main.replaceChildren(
    el('h1', {}, 'Overview'), el('p', { class: 'sub', id: 'uptime' }, ' '),
    cards,
    el('section', { class: 'panel' },
      el('div', { class: 'panel-head' }, el('h2', {}, 'Messages per second'),
        el('div', { class: 'legend' }, el('span', {}, el('i', { class: 'in' }), 'received'),
          el('span', {}, el('i', { class: 'out' }), 'sent'))),
      canvas),
    el('section', { class: 'panel' }, el('h2', {}, 'Listeners'), listeners));
  refreshEvery(1000, async () => {
    let s;
    try { s = await api('summary'); } catch (e) { return; }
    const r = rate(s) || { in: 0, out: 0 };
    const dropped = s.dropped.queueFull + s.dropped.outboundFull + s.dropped.connectionClosed;
    document.getElementById('version').textContent = 'checked-mqtt ' + s.version;
    document.getElementById('uptime').textContent = 'Up ' + duration(s.uptimeSeconds) + ' · started ' + new Date(s.startedAt).toLocaleString();
    cards.replaceChildren(
      card('Connected clients', count(s.clients.connected), 'max ' + count(s.clients.maximum)),
      card('Sessions', count(s.clients.sessions), count(s.clients.offline) + ' offline'),
      card('Messages in / s', count(Math.round(r.in)), count(s.messages.received.total) + ' in all', 'in'),
      card('Messages out / s', count(Math.round(r.out)), count(s.messages.sent.total) + ' in all', 'out'),
      card('Dropped', count(dropped), 'queue ' + count(s.dropped.queueFull) + ' · outbound ' + count(s.dropped.outboundFull), dropped > 0 ? 'warn' : ''),
      card('Subscriptions', count(s.subscriptions)),
      card('Retained', count(s.retained)),
      card('In flight / queued', count(s.inflight) + ' / ' + count(s.queued), bytes(s.queuedBytes) + ' queued'));
    listeners.replaceChildren(table('listeners-table', [
      { title: 'Kind', cell: (l) => l.name },
      { title: 'Address', cell: (l) => l.address + ':' + l.port, mono: true },
    ], s.listeners, 'none'));
    drawChart(canvas);
  });
}

// ---- clients -----------------------------------------------------------------------------------

function clients(query) {
  const search = el('input', { type: 'search', id: 'client-search', placeholder: 'Search client id or address', value: query.get('search') || '' });
  const result = el('div', { id: 'clients' });
  const total = el('span', { class: 'note' });
  main.replaceChildren(el('h1', {}, 'Clients'), el('p', { class: 'sub' }, 'Every session the broker holds, connected or not.'),
    el('div', { class: 'toolbar' }, search, total), el('section', { class: 'panel' }, result));
  const load = async () => {
    let page;
    try { page = await api('clients?limit=500&search=' + encodeURIComponent(search.value)); } catch (e) { showError(e); return; }
    total.textContent = count(page.total) + (page.total === 1 ? ' client' : ' clients');
    result.replaceChildren(table('clients-table', [
      { title: 'Client', cell: (c) => clientLink(c.id) },
      { title: 'Status', cell: (c) => el('span', { class: 'pill ' + (c.connected ? 'on' : 'off') }, c.connected ? 'connected' : 'offline') },
      { title: 'Address', cell: (c) => c.address || '–', mono: true },
      { title: 'MQTT', cell: (c) => c.protocol },
      { title: 'Keep-alive', cell: (c) => c.connected ? c.keepAlive + ' s' : '–', num: true },
      { title: 'Since', cell: (c) => since(c.connected ? c.connectedSince : c.disconnectedAt) },
      { title: 'In flight', cell: (c) => count(c.inflight), num: true },
      { title: 'Queued', cell: (c) => count(c.queued), num: true },
      { title: 'Dropped', cell: (c) => count(c.dropped), num: true },
      { title: 'In / out', cell: (c) => bytes(c.bytesIn) + ' / ' + bytes(c.bytesOut), num: true },
    ], page.clients, search.value ? 'No client matches.' : 'No clients yet.'));
  };
  search.addEventListener('input', () => {
    history.replaceState(null, '', '#/clients' + (search.value ? '?search=' + encodeURIComponent(search.value) : ''));
    load();
  });
  refreshEvery(2000, load);
}

function messagesTable(id, messages, emptyText) {
  return table(id, [
    { title: 'Topic', cell: (m) => m.topic, mono: true },
    { title: 'QoS', cell: (m) => m.qos, num: true },
    { title: 'Stage', cell: (m) => m.stage + (m.packetId ? ' #' + m.packetId : '') },
    { title: 'Payload', cell: (m) => payloadText(m), mono: true },
    { title: 'Size', cell: (m) => bytes(m.payloadBytes), num: true },
  ], messages, emptyText);
}

// The connection's last packets, newest first: what a packet log of the broker would show for it.
function packetsTable(packets, emptyText) {
  const what = (p) => [
    p.packetId ? '#' + p.packetId : null,
    p.qos !== undefined ? 'QoS ' + p.qos + (p.retain ? ', retained' : '') : null,
    p.reasonCode !== undefined ? '0x' + p.reasonCode.toString(16).padStart(2, '0') + ' ' + p.reason : null,
  ].filter(Boolean).join(' · ');
  return table('client-packets', [
    { title: 'Time', cell: (p) => new Date(p.at).toLocaleTimeString() },
    { title: 'Way', cell: (p) => (p.direction === 'in' ? '→ broker' : '← broker') },
    { title: 'Packet', cell: (p) => p.type, mono: true },
    { title: 'Topic / filter / id', cell: (p) => p.topic || p.filter || p.clientId || '', mono: true },
    { title: 'Details', cell: what },
    { title: 'Size', cell: (p) => bytes(p.bytes), num: true },
  ], packets, emptyText);
}

function client(id) {
  const body = el('div', { id: 'client' });
  main.replaceChildren(el('p', {}, el('a', { href: '#/clients' }, '← Clients')), body);
  const load = async () => {
    let c;
    try { c = await api('clients/' + encodeURIComponent(id)); } catch (e) { body.replaceChildren(el('p', { class: 'error' }, e.message)); return; }
    const disconnect = el('button', { class: 'danger', id: 'disconnect', onclick: async () => {
      if (!confirm('Disconnect ' + c.id + '? MQTT 5.0 clients are told: Administrative action (0x98).')) return;
      try { await api('clients/' + encodeURIComponent(c.id) + '/disconnect', { method: 'POST' }); } catch (e) { alert(e.message); }
      load();
    } }, 'Disconnect');
    disconnect.disabled = !c.connected;
    const facts = [
      ['Status', el('span', { class: 'pill ' + (c.connected ? 'on' : 'off') }, c.connected ? 'connected' : 'offline')],
      ['Address', c.address || '–'], ['Listener', c.listener || '–'], ['MQTT', c.protocol],
      ['Keep-alive', c.connected ? c.keepAlive + ' s' : '–'],
      ['Session expiry', c.sessionExpiry === 4294967295 ? 'never' : c.sessionExpiry + ' s'],
      [c.connected ? 'Connected' : 'Disconnected', c.connected ? since(c.connectedSince) : since(c.disconnectedAt)],
      ['Bytes in / out', bytes(c.bytesIn) + ' / ' + bytes(c.bytesOut)],
      ['In flight / queued', count(c.inflight) + ' / ' + count(c.queued)],
      ['Dropped', count(c.dropped)], ['Will', c.willTopic || 'none'],
    ];
    const watch = c.subscriptionList.length > 0
      ? el('a', { href: '#/live?filter=' + encodeURIComponent(c.subscriptionList[0].filter) }, 'Watch ' + c.subscriptionList[0].filter + ' live →') : null;
    body.replaceChildren(
      el('div', { class: 'panel-head' }, el('h1', { class: 'client-title', id: 'client-id' }, c.id), disconnect),
      el('p', { class: 'sub' }, 'Session of this client identifier, as the broker holds it now.'),
      el('div', { class: 'grid2' },
        el('section', { class: 'panel' }, el('h2', {}, 'Session'),
          el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]))),
        el('section', { class: 'panel' }, el('div', { class: 'panel-head' }, el('h2', {}, 'Subscriptions'), watch),
          table('client-subscriptions', [
            { title: 'Filter', cell: (s) => s.filter, mono: true },
            { title: 'QoS', cell: (s) => s.qos, num: true },
            { title: 'Options', cell: (s) => [s.noLocal ? 'no local' : null, s.retainAsPublished ? 'retain as published' : null,
              'retain handling ' + s.retainHandling].filter(Boolean).join(', ') },
          ], c.subscriptionList, 'No subscriptions.'))),
      el('section', { class: 'panel' }, el('h2', {}, 'In flight (' + count(c.inflight) + ')'),
        messagesTable('client-inflight', c.inflightMessages, 'Nothing awaits an acknowledgement.')),
      el('section', { class: 'panel' }, el('h2', {}, 'Queued (' + count(c.queued) + ')'),
        messagesTable('client-queued', c.queuedMessages, 'Nothing is queued.'),
        c.queued > c.queuedMessages.length ? el('p', { class: 'note' }, 'The oldest ' + c.queuedMessages.length + ' are shown.') : null),
      el('section', { class: 'panel' }, el('h2', {}, 'Last packets'),
        packetsTable(c.lastPackets, c.connected ? 'No packets yet.' : 'Packets are kept while the client is connected.')));
  };
  refreshEvery(2000, load);
}

// ---- retained and topics -----------------------------------------------------------------------

function retained(query) {
  // '#' leaves out the broker's own $SYS topics [MQTT-4.7.2-1]; '$SYS/#' shows them
  const filter = el('input', { type: 'search', id: 'retained-filter', placeholder: 'Topic filter, e.g. sensors/# or $SYS/#', value: query.get('filter') || '#' });
  const result = el('div', { id: 'retained' });
  const total = el('span', { class: 'note' });
  main.replaceChildren(el('h1', {}, 'Retained messages'),
    el('p', { class: 'sub' }, 'One per topic; new subscribers get them first. ‘#’ leaves out the broker’s own $SYS topics: filter on $SYS/# to see them.'),
    el('div', { class: 'toolbar' }, filter, total), el('section', { class: 'panel' }, result));
  const load = async () => {
    let page;
    try { page = await api('retained?limit=500' + (filter.value ? '&filter=' + encodeURIComponent(filter.value) : '')); } catch (e) {
      result.replaceChildren(el('p', { class: 'error' }, e.message)); return;
    }
    total.textContent = count(page.total) + ' retained';
    result.replaceChildren(table('retained-table', [
      { title: 'Topic', cell: (m) => m.topic, mono: true },
      { title: 'QoS', cell: (m) => m.qos, num: true },
      { title: 'Payload', cell: (m) => payloadText(m), mono: true },
      { title: 'Size', cell: (m) => bytes(m.payloadBytes), num: true },
      { title: 'Received', cell: (m) => since(m.at) },
      { title: '', cell: (m) => el('button', { class: 'danger small', onclick: async () => {
        if (!confirm('Delete the retained message of ' + m.topic + '?')) return;
        try { await api('retained?topic=' + encodeURIComponent(m.topic), { method: 'DELETE' }); } catch (e) { alert(e.message); }
        load();
      } }, 'Delete') },
    ], page.messages, 'No retained messages.'));
  };
  filter.addEventListener('change', load);
  refreshEvery(5000, load);
}

function topics() {
  const result = el('div', { id: 'topics' });
  main.replaceChildren(el('h1', {}, 'Topic filters'), el('p', { class: 'sub' }, 'The subscription index: every filter some client holds.'),
    el('section', { class: 'panel' }, result));
  refreshEvery(3000, async () => {
    let page;
    try { page = await api('topics?limit=1000'); } catch (e) { showError(e); return; }
    result.replaceChildren(table('topics-table', [
      { title: 'Filter', cell: (t) => el('a', { href: '#/live?filter=' + encodeURIComponent(t.filter) }, t.filter), mono: true },
      { title: 'Subscribers', cell: (t) => count(t.subscribers), num: true },
    ], page.topics, 'No subscriptions.'));
  });
}

// ---- routing -----------------------------------------------------------------------------------

function route() {
  if (live) { live.close(); live = null; }
  clearInterval(timer);
  const hash = location.hash.slice(1) || '/';
  const [path, search] = hash.split('?');
  const query = new URLSearchParams(search || '');
  const parts = path.split('/').filter(Boolean);
  const page = parts[0] || 'overview';
  for (const link of document.querySelectorAll('#nav a')) link.classList.toggle('active', link.dataset.page === page);
  if (page === 'clients' && parts.length > 1) client(decodeURIComponent(parts.slice(1).join('/')));
  else if (page === 'clients') clients(query);
  else if (page === 'retained') retained(query);
  else if (page === 'topics') topics();
  else if (page === 'live') liveView(query);
  else overview();
}

window.addEventListener('hashchange', route);
window.addEventListener('resize', () => { const c = document.getElementById('chart'); if (c) drawChart(c); });
route();

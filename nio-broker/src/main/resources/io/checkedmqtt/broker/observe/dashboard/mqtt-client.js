// A small MQTT 3.1.1 client over WebSocket, for the dashboard's live view: CONNECT, SUBSCRIBE and
// UNSUBSCRIBE at QoS 0, PUBLISH received, PINGREQ on a timer, DISCONNECT. The broker routes to it
// as to any client (it shows up in the clients table as dashboard-...), so what the live view shows
// is exactly what a subscriber of that filter gets. MQTT 3.1.1 sections are cited as [3.1] etc.
'use strict';

const MqttWs = (() => {
  const encoder = new TextEncoder();

  function utf8(text) {
    const bytes = encoder.encode(text);
    return [bytes.length >> 8, bytes.length & 0xff, ...bytes];
  }

  // Remaining Length as a variable byte integer [2.2.3].
  function remainingLength(n) {
    const out = [];
    do {
      let digit = n % 128;
      n = Math.floor(n / 128);
      if (n > 0) digit |= 0x80;
      out.push(digit);
    } while (n > 0);
    return out;
  }

  function packet(firstByte, body) {
    return new Uint8Array([firstByte, ...remainingLength(body.length), ...body]);
  }

  class Client {
    // url: ws://host:port/mqtt; handlers: onMessage(topic, payloadBytes, retained), onState(text);
    // credentials: {username, password} when the broker has a password file, else undefined
    constructor(url, clientId, handlers, credentials) {
      this.credentials = credentials;
      this.url = url;
      this.clientId = clientId;
      this.onMessage = handlers.onMessage || (() => {});
      this.onState = handlers.onState || (() => {});
      this.nextId = 1;
      this.pending = new Uint8Array(0);
      this.keepAlive = 30;
      this.connected = false;
      this.waiting = [];
    }

    connect() {
      this.onState('connecting');
      const ws = new WebSocket(this.url, ['mqtt']);   // the subprotocol MQTT requires [6.0.0-3]
      ws.binaryType = 'arraybuffer';
      this.ws = ws;
      ws.onopen = () => {
        // CONNECT: protocol name, level 4, flags: clean session (and user name, password), keep alive,
        // client id, user name, password [3.1]
        const c = this.credentials;
        const flags = 0x02 | (c ? 0xc0 : 0);
        const body = [...utf8('MQTT'), 4, flags, this.keepAlive >> 8, this.keepAlive & 0xff, ...utf8(this.clientId),
          ...(c ? [...utf8(c.username), ...utf8(c.password)] : [])];
        ws.send(packet(0x10, body));
      };
      ws.onmessage = (event) => this.received(new Uint8Array(event.data));
      ws.onclose = () => {
        this.connected = false;
        clearInterval(this.pinger);
        this.onState('closed');
      };
      ws.onerror = () => this.onState('error');
    }

    subscribe(filter) {
      this.send(0x82, [...this.packetId(), ...utf8(filter), 0]);   // [3.8], requested QoS 0
    }

    unsubscribe(filter) {
      this.send(0xa2, [...this.packetId(), ...utf8(filter)]);   // [3.10]
    }

    close() {
      if (this.ws && this.ws.readyState === WebSocket.OPEN) {
        this.ws.send(packet(0xe0, []));   // DISCONNECT [3.14]
        this.ws.close();
      }
    }

    send(firstByte, body) {
      const bytes = packet(firstByte, body);
      if (this.connected) this.ws.send(bytes); else this.waiting.push(bytes);
    }

    packetId() {
      const id = this.nextId;
      this.nextId = id === 65535 ? 1 : id + 1;
      return [id >> 8, id & 0xff];
    }

    // Bytes may hold part of a packet, or several: WebSocket frames need not follow packets [6.0.0-2].
    received(bytes) {
      const all = new Uint8Array(this.pending.length + bytes.length);
      all.set(this.pending);
      all.set(bytes, this.pending.length);
      let at = 0;
      while (at < all.length) {
        let length = 0;
        let multiplier = 1;
        let i = at + 1;
        let complete = false;
        while (i < all.length && i < at + 5) {
          length += (all[i] & 0x7f) * multiplier;
          multiplier *= 128;
          if ((all[i++] & 0x80) === 0) { complete = true; break; }
        }
        if (!complete || i + length > all.length) break;
        this.handle(all[at], all.subarray(i, i + length));
        at = i + length;
      }
      this.pending = all.slice(at);
    }

    handle(firstByte, body) {
      const type = firstByte >> 4;
      if (type === 2) {   // CONNACK
        if (body[1] !== 0) {
          // 4: bad user name or password, 5: not authorized [3.2.2.3]
          this.onState(body[1] === 4 || body[1] === 5 ? 'credentials needed' : 'refused (CONNACK ' + body[1] + ')');
          this.ws.close();
          return;
        }
        this.connected = true;
        this.onState('connected');
        this.waiting.forEach((bytes) => this.ws.send(bytes));
        this.waiting = [];
        this.pinger = setInterval(() => this.ws.send(packet(0xc0, [])), this.keepAlive * 500);
      } else if (type === 3) {   // PUBLISH; at QoS 0 it has no packet identifier
        const topicLength = (body[0] << 8) | body[1];
        const topic = new TextDecoder().decode(body.subarray(2, 2 + topicLength));
        const qos = (firstByte >> 1) & 3;
        const start = 2 + topicLength + (qos > 0 ? 2 : 0);
        this.onMessage(topic, body.slice(start), (firstByte & 1) === 1);
      } else if (type === 9) {   // SUBACK
        this.onState(body[2] === 0x80 ? 'subscription refused' : 'subscribed');
      } else if (type === 11) {   // UNSUBACK
        this.onState('connected');
      }
    }
  }

  return { Client };
})();

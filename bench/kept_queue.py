#!/usr/bin/env python3
"""One kept session's queue, filled and drained over raw MQTT 3.1.1 (no client library), for
bench/persistence.sh.

    kept_queue.py fill PORT COUNT [PAYLOAD] [WINDOW]
        the subscriber "queued-sub" subscribes to queued/t at QoS 1 and goes away (CleanSession 0);
        then a publisher sends COUNT QoS 1 messages of PAYLOAD bytes (64) there, at most WINDOW
        (1000) unacknowledged, and waits for every PUBACK: COUNT messages the broker acknowledged.
    kept_queue.py drain PORT COUNT [LAUNCHED]
        the broker has just been launched (at LAUNCHED, seconds since the epoch; now if not given): connect as "queued-sub" again as soon as the port takes
        connections, and take every message, acknowledging each. Prints the milliseconds until the
        CONNACK with Session Present, until the first message, and until the last; fails unless
        exactly COUNT distinct messages arrive in the order they were published (nothing for 30 s
        is a failure too).
"""
import socket
import struct
import sys
import time

TOPIC = "queued/t"
IDLE_SECONDS = 30  # drain gives up when the broker sends nothing for this long


def varint(n):
    out = bytearray()
    while True:
        digit = n & 0x7F
        n >>= 7
        out.append(digit | (0x80 if n else 0))
        if not n:
            return bytes(out)


def frame(first, body):
    return bytes([first]) + varint(len(body)) + body


def utf8(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b


def read_exactly(s, n):
    data = bytearray()
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise IOError("the broker closed the connection")
        data += chunk
    return bytes(data)


def connect(port, client_id, clean, retry_until=None):
    """Returns the socket and the CONNACK's Session Present flag."""
    while True:
        try:
            s = socket.create_connection(("127.0.0.1", port))
            break
        except OSError:
            if retry_until is None or time.time() > retry_until:
                raise
            time.sleep(0.005)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(frame(0x10, utf8("MQTT") + bytes([4, 0x02 if clean else 0]) + struct.pack(">H", 600) + utf8(client_id)))
    connack = read_exactly(s, 4)
    if connack[0] != 0x20 or connack[3] != 0:
        raise IOError("CONNACK refused: %r" % connack)
    return s, connack[2] & 1 == 1


def fill(port, count, payload_bytes, window):
    sub, _ = connect(port, "queued-sub", False)
    sub.sendall(frame(0x82, struct.pack(">H", 1) + utf8(TOPIC) + bytes([1])))
    read_exactly(sub, 5)  # SUBACK
    sub.sendall(frame(0xE0, b""))  # DISCONNECT: the session stays, and its queue fills from now on
    sub.close()

    pub, _ = connect(port, "queued-pub", True)
    started = time.time()
    sent = acked = 0
    pending = bytearray()
    topic = utf8(TOPIC)
    while acked < count:
        batch = bytearray()
        while sent < count and sent - acked < window and len(batch) < 256 * 1024:
            # the payload starts with the message's sequence number, for drain to check
            payload = struct.pack(">Q", sent).ljust(payload_bytes, b"x")
            batch += frame(0x32, topic + struct.pack(">H", sent % 65535 + 1) + payload)
            sent += 1
        if batch:
            pub.sendall(batch)
        chunk = pub.recv(65536)
        if not chunk:
            raise IOError("the broker closed the connection after %d acknowledgements" % acked)
        pending += chunk
        whole = len(pending) // 4  # PUBACK: 0x40 0x02 id id
        acked += whole
        del pending[:whole * 4]
    seconds = time.time() - started
    pub.sendall(frame(0xE0, b""))
    pub.close()
    print("queued %d messages of %d bytes in %.1f s (%.0f msgs/s)" % (count, payload_bytes, seconds, count / seconds))


def drain(port, count, started):
    sub, present = connect(port, "queued-sub", False, retry_until=started + 600)
    connack_ms = (time.time() - started) * 1000
    if not present:
        raise IOError("the session is gone: CONNACK without Session Present")
    sub.settimeout(IDLE_SECONDS)
    buf = bytearray()
    seen = set()
    expected = 0
    first_ms = None
    while len(seen) < count:
        try:
            chunk = sub.recv(1 << 20)
        except socket.timeout:
            raise IOError("nothing for %d s after %d of %d messages" % (IDLE_SECONDS, len(seen), count))
        if not chunk:
            raise IOError("the broker closed the connection after %d messages" % len(seen))
        buf += chunk
        acks = bytearray()
        at = 0
        while True:
            if len(buf) - at < 2:
                break
            length, shift, i = 0, 0, at + 1
            while i < len(buf):
                length |= (buf[i] & 0x7F) << shift
                shift += 7
                i += 1
                if buf[i - 1] & 0x80 == 0:
                    break
            else:
                break
            if i + length > len(buf):
                break
            kind, body = buf[at] >> 4, bytes(buf[i:i + length])
            at = i + length
            if kind != 3:
                continue
            topic_len = struct.unpack(">H", body[:2])[0]
            packet_id = body[2 + topic_len:4 + topic_len]
            sequence = struct.unpack(">Q", body[4 + topic_len:12 + topic_len])[0]
            acks += b"\x40\x02" + packet_id
            if sequence not in seen:
                if sequence != expected:
                    raise IOError("message %d arrived when %d was due" % (sequence, expected))
                seen.add(sequence)
                expected += 1
            if first_ms is None:
                first_ms = (time.time() - started) * 1000
        del buf[:at]
        if acks:
            sub.sendall(acks)
    last_ms = (time.time() - started) * 1000
    sub.sendall(frame(0xE0, b""))
    sub.close()
    print("%.0f %.0f %.0f" % (connack_ms, first_ms, last_ms))


def main():
    mode, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if mode == "fill":
        fill(port, count, int(sys.argv[4]) if len(sys.argv) > 4 else 64, int(sys.argv[5]) if len(sys.argv) > 5 else 1000)
    elif mode == "drain":
        drain(port, count, float(sys.argv[4]) if len(sys.argv) > 4 else time.time())
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()

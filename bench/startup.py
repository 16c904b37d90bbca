#!/usr/bin/env python3
"""Start-up of a broker process: from spawning it to its first CONNACK.

For each command line given (PORT in it is replaced by a free port), starts the broker N times
(environment N, default 9) and reports the medians of: when its port first accepts a TCP
connection, when it answers a first MQTT 3.1.1 CONNECT with a CONNACK, and the CPU time the
process has used by then (/proc/PID/stat, user and system). Every process is stopped (SIGTERM).

    J=nio-broker/target/checked-mqtt-broker.jar
    bench/startup.py "java -jar $J --port PORT --quiet" \\
        "java -XX:SharedArchiveFile=nio-broker/target/checked-mqtt-broker.jsa -jar $J --port PORT --quiet" \\
        "mosquitto -p PORT"
"""
import os
import socket
import statistics
import subprocess
import sys
import time

# CONNECT, MQTT 3.1.1, Clean Session, Keep Alive 60, empty client identifier
CONNECT = bytes([0x10, 12, 0, 4]) + b"MQTT" + bytes([4, 2, 0, 60, 0, 0])
TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ms(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / TICKS


def one_start(command):
    port = free_port()
    started = time.monotonic()
    broker = subprocess.Popen([word.replace("PORT", str(port)) for word in command.split()],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = started + 30
        while True:
            try:
                client = socket.create_connection(("127.0.0.1", port))
                break
            except OSError:
                if time.monotonic() > deadline or broker.poll() is not None:
                    raise RuntimeError("no listener on port %d: %s" % (port, command))
                time.sleep(0.002)
        port_open = time.monotonic()
        client.settimeout(30)
        client.sendall(CONNECT)
        if client.recv(4)[:1] != b"\x20":
            raise RuntimeError("no CONNACK from " + command)
        answered = time.monotonic()
        cpu = cpu_ms(broker.pid)
        client.close()
        return (port_open - started) * 1000, (answered - started) * 1000, cpu
    finally:
        broker.terminate()
        broker.wait()


def main():
    runs = int(os.environ.get("N", "9"))
    print("# N=%d; load average before: %s" % (runs, " ".join(open("/proc/loadavg").read().split()[:3])))
    for command in sys.argv[1:]:
        results = [one_start(command) for _ in range(runs)]
        print("port open %4.0f ms, first CONNACK %4.0f ms (fastest %4.0f), CPU by then %4.0f ms: %s" % (
            statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            min(r[1] for r in results), statistics.median(r[2] for r in results), command))


if __name__ == "__main__":
    main()

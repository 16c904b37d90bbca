#!/usr/bin/env python3
"""The unit-test column of the mutation table (issue 20): which protocol-core tests fail when the
core itself carries each mutant.

Usage: tools/unit_mutants.py [MUTANT ...] [--test PATTERN] [--out FILE]

For each mutant (all by default) the script copies the working tree (sources only, no target/,
no .git) into a fresh directory under /tmp, makes one textual change in one production file of
protocol-core (the change must match exactly once, or the script stops: a stale mutant is an
error, not a pass), runs `mvn -B -ntp -o test -pl protocol-core` there with test failures
ignored, and reads the surefire reports: the tests that failed or erred. Nothing is installed
and the real tree is never touched. The mutants are the same wrong behaviours as model-tests'
BrokenCore faults (which wrap the real core for the model test and the trace validation), here
written into the source, the way a developer would get them wrong. Prints a Markdown table and
writes it to --out (default target/mutants/unit-mutants.md). --test runs only the tests surefire's
-Dtest=PATTERN names. The whole set takes
about 20 minutes (one protocol-core test run per mutant). Python 3 stdlib only.
"""
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

CORE = "protocol-core/src/main/java/io/checkedmqtt/core/"
# A mutant can make a test loop for ever (a while loop waiting for a flow that never ends): the
# build is stopped after this long, and the test class it was in counts as failing.
TIMEOUT = int(os.environ.get("UNIT_MUTANTS_TIMEOUT", "900"))
RESEND_THEN_DRAIN = "return drain(retransmission.resendAll(s, now, out), now, out);"

# name, file, text to replace (must occur exactly once), replacement
MUTANTS = [
    ("QOS2_NO_DEDUP", "session/Inbound.java",
     "if (s.awaitingPubRel().contains(id)) {",
     "if (false && s.awaitingPubRel().contains(id)) {"),
    ("NO_RESEND_ON_RECONNECT", "session/Outbound.java",
     RESEND_THEN_DRAIN,
     "return drain(s, now, out);"),
    ("QOS_NOT_DOWNGRADED", "routing/Fanout.java",
     "QoS qos = message.qos().min(maxGranted);",
     "QoS qos = message.qos();"),
    ("WRONG_DOWNGRADE", "routing/Fanout.java",
     "QoS qos = message.qos().min(maxGranted);",
     "QoS qos = message.qos().min(maxGranted).min(QoS.AT_LEAST_ONCE);"),
    ("ACKED_KEPT_IN_FLIGHT", "session/Outbound.java",
     "if (m == null || m.stage() != DeliveryStage.AWAITING_PUBACK) {\n"
     "            return s.withLink(link); // stale or unknown: nothing to complete\n"
     "        }\n"
     "        return drain(s.withInflight(s.inflight().without(packetId), link), now, out);",
     "if (m == null || m.stage() != DeliveryStage.AWAITING_PUBACK) {\n"
     "            return s.withLink(link); // stale or unknown: nothing to complete\n"
     "        }\n"
     "        return drain(s.withInflight(s.inflight(), link), now, out);"),
    ("RESEND_REVERSE_ORDER", "session/Retransmission.java",
     "for (InflightMessage m : s.inflight()) {\n"
     "            if (m.stage() == DeliveryStage.AWAITING_PUBCOMP) {",
     "for (InflightMessage m : (Iterable<InflightMessage>) () ->\n"
     "                new java.util.ArrayDeque<>(s.inflight().toList()).descendingIterator()) {\n"
     "            if (m.stage() == DeliveryStage.AWAITING_PUBCOMP) {"),
    ("QUEUED_BEFORE_RESENDS", "session/Outbound.java",
     RESEND_THEN_DRAIN,
     "return retransmission.resendAll(drain(s, now, out), now, out);"),
    ("INBOUND_QOS2_KEPT_ON_CLEAN_START", "session/Lifecycle.java",
     ": Session.fresh(clientId, connect.version(), expiry);",
     ": existing == null ? Session.fresh(clientId, connect.version(), expiry)\n"
     "                : Session.fresh(clientId, connect.version(), expiry).withAwaitingPubRel(existing.awaitingPubRel());"),
    ("SESSION_PRESENT_LOST", "session/Lifecycle.java",
     "new Connack(resume, ReasonCode.SUCCESS, props)",
     "new Connack(false, ReasonCode.SUCCESS, props)"),
    ("PUBREL_NOT_ANSWERED", "session/Inbound.java",
     "out.effect(new Effect.Send(link.connection(), comp));",
     "if (comp == null) {\n            out.effect(new Effect.Send(link.connection(), comp));\n        }"),
    ("QUEUE_NOT_DRAINED_ON_RECONNECT", "session/Outbound.java",
     RESEND_THEN_DRAIN,
     "return retransmission.resendAll(s, now, out);"),
]


def copy_tree(root, into):
    def ignore(directory, names):
        return [n for n in names if n in ("target", ".git") or n.startswith(".")]
    shutil.copytree(root, into, ignore=ignore)


def failed_tests(reports):
    failed = []
    total = 0
    for path in glob.glob(os.path.join(reports, "TEST-*.xml")):
        for case in ET.parse(path).getroot().iter("testcase"):
            total += 1
            if case.find("failure") is not None or case.find("error") is not None:
                cls = case.get("classname", "").rsplit(".", 1)[-1]
                failed.append(cls + "#" + re.sub(r"\(.*", "", case.get("name", "")))
    return total, failed


def hung_class(output):
    """The test class surefire started and never finished: the one a mutant made loop for ever."""
    started = re.findall(r"Running (\S+)", output)
    finished = set(re.findall(r"Tests run: .* -- in (\S+)", output))
    open_ones = [c for c in started if c not in finished]
    return open_ones[-1].rsplit(".", 1)[-1] if open_ones else "unknown"


def run(root, name, path, old, new, only=None):
    work = tempfile.mkdtemp(prefix="unit-mutant-")
    try:
        tree = os.path.join(work, "tree")
        copy_tree(root, tree)
        source = os.path.join(tree, CORE, path)
        text = open(source, encoding="utf-8").read()
        if text.count(old) != 1:
            sys.exit(f"{name}: the text to mutate occurs {text.count(old)} times in {path}; update the mutant")
        open(source, "w", encoding="utf-8").write(text.replace(old, new))
        started = time.time()
        # A session of its own, so that a run that loops for ever is stopped with its test JVM.
        command = ["mvn", "-B", "-ntp", "-o", "test", "-pl", "protocol-core", "-Dmaven.test.failure.ignore=true"]
        if only:
            command += ["-Dtest=" + only, "-Dsurefire.failIfNoSpecifiedTests=false"]
        proc = subprocess.Popen(command, cwd=tree, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            output, _ = proc.communicate(timeout=TIMEOUT)
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            output, _ = proc.communicate()
            timed_out = True
        seconds = time.time() - started
        total, failed = failed_tests(os.path.join(tree, "protocol-core", "target", "surefire-reports"))
        if timed_out:
            failed.append(hung_class(output) + f"#(hung: stopped after {TIMEOUT} s)")
        elif proc.returncode != 0 or total == 0:
            sys.exit(f"{name}: the build did not run the tests (exit {proc.returncode}):\n{output[-3000:]}")
        return total, sorted(set(failed)), seconds
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    out = os.path.join("target", "mutants", "unit-mutants.md")
    names = []
    only = None
    args = iter(argv)
    for a in args:
        if a == "--out":
            out = next(args)
        elif a == "--test":
            only = next(args)
        else:
            names.append(a)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    chosen = [m for m in MUTANTS if not names or m[0] in names]
    lines = ["| mutant (source change) | protocol-core tests failed | test classes (failures) | time |",
             "|---|---|---|---|"]
    for name, path, old, new in chosen:
        total, failed, seconds = run(root, name, path, old, new, only)
        by_class = {}
        for f in failed:
            cls = f.split("#", 1)[0]
            by_class[cls] = by_class.get(cls, 0) + 1
        ranked = sorted(by_class.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ", ".join(f"`{c}` {n}" for c, n in ranked[:5]) + (" ..." if len(ranked) > 5 else "")
        line = f"| `{name}` ({path}) | {len(failed)} of {total} run | {shown or 'none: NOT caught'} | {seconds:.0f} s |"
        print(line, flush=True)
        lines.append(line)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])

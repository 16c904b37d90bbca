/**
 * The broker's watch over the clients a developer tests with it: from what crosses the wire (the
 * packets the client sends, the packets the core sends it, what a fault rule did to them), the
 * {@link io.checkedmqtt.core.conformance.Watcher} keeps the wire as the client sees it and judges
 * the client against the statements that bind it, keeps its
 * {@link io.checkedmqtt.core.conformance.ClientReport}, and runs the probes that make the broker
 * misbehave on purpose and give a verdict. Pure like the rest of the core; the broker core runs
 * it beside its transitions for the clients {@code WatchConfig} names, and only for those.
 *
 * <p>It sits below {@code broker}, which feeds it, and above {@code session}, whose state
 * (in-flight window, Keep Alive, QoS 2 identifiers) it reads to judge acknowledgements.
 */
package io.checkedmqtt.core.conformance;

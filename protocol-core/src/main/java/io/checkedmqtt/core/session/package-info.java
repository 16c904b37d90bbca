/**
 * MQTT sessions (3.1.1 and 5.0) as immutable values and pure transitions.
 *
 * <h2>Theory of operation</h2>
 * A {@link io.checkedmqtt.core.session.Session} is everything the server keeps for one client
 * identifier: subscriptions, the outbound in-flight window, the queue, the inbound QoS 2
 * identifiers awaiting PUBREL, the will, and (while online) the {@link
 * io.checkedmqtt.core.session.Link} to its connection. {@link
 * io.checkedmqtt.core.session.SessionTransitions} maps {@code (session, input, now)} to a
 * {@link io.checkedmqtt.core.session.SessionStep}: the next session (or null when it ended) and
 * its two kinds of output, kept apart by name:
 * <ul>
 *   <li><b>effects</b> ({@link io.checkedmqtt.core.effect.Effect}) are for the shell: send a
 *       packet, close a connection, schedule or cancel a timer;</li>
 *   <li><b>requests</b> ({@link io.checkedmqtt.core.session.BrokerRequest}) are for the broker
 *       core, which owns what no single session may touch: route a message (and then
 *       acknowledge it to its publisher), publish a will, discard or persist the session.</li>
 * </ul>
 * A transition collects both in a {@code SessionStepBuilder}; the broker core applies the step
 * in its own {@code StepBuilder}, and only effects ever reach the shell.
 *
 * <p>The transitions, one per action of the TLA+ specification:
 * <table>
 *   <caption>Inputs and transitions</caption>
 *   <tr><th>input</th><th>transition</th></tr>
 *   <tr><td>CONNECT accepted</td><td>{@code onConnect} (after {@code onTakeOver} if the id is connected)</td></tr>
 *   <tr><td>second connection with the same id</td><td>{@code onTakeOver}</td></tr>
 *   <tr><td>PUBLISH from the client</td><td>{@code onPublish}</td></tr>
 *   <tr><td>PUBREL from the client</td><td>{@code onPubRel}</td></tr>
 *   <tr><td>message routed to this session</td><td>{@code onDeliver}</td></tr>
 *   <tr><td>PUBACK / PUBREC / PUBCOMP from the client</td><td>{@code onPubAck} / {@code onPubRec} / {@code onPubComp}</td></tr>
 *   <tr><td>SUBSCRIBE / UNSUBSCRIBE (after the router)</td><td>{@code onSubscribe} / {@code onUnsubscribe}</td></tr>
 *   <tr><td>PINGREQ</td><td>{@code onPingReq}</td></tr>
 *   <tr><td>DISCONNECT</td><td>{@code onDisconnect}</td></tr>
 *   <tr><td>connection lost without DISCONNECT</td><td>{@code onConnectionLost}</td></tr>
 *   <tr><td>malformed packet / protocol violation</td><td>{@code onProtocolViolation}</td></tr>
 *   <tr><td>KeepAlive deadline</td><td>{@code onKeepAliveDeadline}</td></tr>
 *   <tr><td>Resend deadline (3.1.1 only)</td><td>{@code onResendDeadline}</td></tr>
 *   <tr><td>Will Delay deadline (5.0)</td><td>{@code onWillDelayElapsed}</td></tr>
 *   <tr><td>Session Expiry deadline</td><td>{@code onSessionExpiry}</td></tr>
 * </table>
 *
 * <h2>Policies this package states</h2>
 * <ul>
 *   <li>QoS 2 as receiver uses "method B": the message is handed on when the PUBLISH first
 *       arrives, only its packet identifier is kept until PUBREL.</li>
 *   <li>Outbound in-flight limit: the configured {@code maxInflightMessages}, lowered to the
 *       client's 5.0 Receive Maximum. A message that finds the window full (or others queued
 *       before it) waits in the queue; QoS 0 never waits for a slot. On reconnect, everything
 *       in flight is resent even if the new Receive Maximum is smaller (QoS 2 messages must keep
 *       their identifiers); new sends then wait until the window is below the limit.</li>
 *   <li>Queue: first in first out, bounded by {@code maxQueuedMessages} and (if non-zero)
 *       {@code maxQueuedBytes} of message weight (payload, topic, properties). When full, the <em>newest</em> message is dropped
 *       and {@link io.checkedmqtt.core.session.Session#droppedMessages()} counts it. QoS 0 is
 *       queued for an offline session only if {@code queueQos0WhileOffline} is on.</li>
 *   <li>Timed resend (3.1.1 only, {@code resendIntervalMillis} &gt; 0): every in-flight message
 *       whose last send is an interval old goes again (PUBLISH with DUP 1, or PUBREL), at most
 *       {@code resendMaxAttempts} times per connection; then it waits for the reconnect.</li>
 *   <li>Keep-alive uses one timer per connection that is checked when it fires (no effect per
 *       packet): if a packet arrived since, the timer is moved to 1.5 x Keep Alive after it.</li>
 *   <li>Inbound 5.0 PUBLISH with Payload Format Indicator 1 and a payload that is not UTF-8:
 *       PUBACK / PUBREC 0x99 and nothing is handed on (a QoS 2 identifier is not kept); QoS 0,
 *       which has no acknowledgement, gets DISCONNECT 0x99.</li>
 *   <li>Outbound 5.0 Topic Aliases: first come first served, the first topics sent on a
 *       connection get aliases 1..n (n: the client's Topic Alias Maximum, capped by
 *       {@code outboundTopicAliasMaximum}) and keep them until the connection ends; in-flight
 *       messages are kept, and resent, with their full topic.</li>
 *   <li>The will is published on every end of a connection except a 3.1.1 DISCONNECT, a 5.0
 *       DISCONNECT 0x00, and a take-over by a connection that continues the session (as in
 *       Mosquitto; 5.0 section 3.1.3.2: the new connection opened before the Will Delay passed).
 *       That includes keep-alive timeout, protocol errors, and a take-over that ends the
 *       session.</li>
 * </ul>
 */
package io.checkedmqtt.core.session;

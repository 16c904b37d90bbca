/**
 * Who gets a message, and what exactly they get. Everything here is an immutable value; every
 * change returns a new value and leaves the old one valid.
 *
 * <p>How a session uses it:
 * <ol>
 *   <li>Inbound 5.0 PUBLISH: {@link io.checkedmqtt.core.routing.InboundTopicAliases#resolve}
 *       (per connection) gives it back its Topic Name (the decoder has checked the name), then
 *       {@link io.checkedmqtt.core.routing.PayloadFormat#agrees} checks a payload whose Payload
 *       Format Indicator is 1 (a mislabelled one is refused with 0x99).</li>
 *   <li>"Publish to router": {@link io.checkedmqtt.core.routing.Router#route} returns the next
 *       Router and one {@link io.checkedmqtt.core.routing.Delivery} per receiving client.</li>
 *   <li>"Message routed to this session": the session queues the Delivery (or drops QoS 0 when
 *       offline), assigns a packet id, and right before writing lowers its Message Expiry
 *       Interval ({@link io.checkedmqtt.core.routing.MessageExpiry}) and applies the connection's
 *       {@link io.checkedmqtt.core.routing.OutboundTopicAliases} (5.0), within the client's
 *       Maximum Packet Size.</li>
 *   <li>SUBSCRIBE / UNSUBSCRIBE: {@link io.checkedmqtt.core.routing.Router#subscribe} and
 *       {@link io.checkedmqtt.core.routing.Router#unsubscribe}, once per filter, give the
 *       SUBACK/UNSUBACK codes and the retained messages to send; a session that ends calls
 *       {@link io.checkedmqtt.core.routing.Router#removeClient}.</li>
 * </ol>
 */
package io.checkedmqtt.core.routing;

------------------------------- MODULE MCMqtt -------------------------------
(***************************************************************************)
(* Models of Mqtt for TLC.  The .cfg files pick the constants and, with    *)
(* "Op <- MCOp", narrow what the environment may do (the choice operators *)
(* of Mqtt), so that each model explores one area deeply.                 *)
(*                                                                         *)
(* The Broken* operators are wrong rules.  Each MC_Broken*.cfg replaces    *)
(* one rule of Mqtt by one of them and checks only the property that rule  *)
(* protects; the build expects TLC to find a violation, so that no        *)
(* property passes vacuously.  tla/README.md says what each               *)
(* counterexample shows.                                                  *)
(***************************************************************************)
EXTENDS Mqtt, TLC

CONSTANTS
    P, S1, S2,           \* clients: a publisher and two subscribers
    ab, ac,              \* topics "a/b" and "a/c"
    fab, fplus, fshare,  \* filters "a/b", "a/+" and "$share/g/a/+"
    m1, m2, m3,          \* application messages
    w1, w2               \* will messages

(* One topic and one filter: every subscription matches every message. *)
OneTopic == {ab}
OneFilter == {fab}
OneMatch == {<<fab, ab>>}

(* Two topics; an ordinary filter for one, a wildcard and a shared         *)
(* wildcard for both, so that subscriptions overlap.                      *)
TwoTopics == {ab, ac}
RouteFilters == {fab, fplus, fshare}
PlainFilters == {fab, fplus}
RouteShared == {fshare}
RouteMatch == {<<fab, ab>>, <<fplus, ab>>, <<fplus, ac>>, <<fshare, ab>>, <<fshare, ac>>}
NoShared == {}
(* Retained messages on a/b, filters a/b and a/+. *)
RetainMatch == {<<fab, ab>>, <<fplus, ab>>}

(* Messages are interchangeable until published, so the models publish     *)
(* them in a fixed order (m1 first) instead of letting TLC try every name: *)
(* the same reduction as symmetry, without its cost.                      *)
AppOrder == SelectSeq(<< m1, m2, m3 >>, LAMBDA m : m \in Messages \ WillMessages)
MCPublishable ==
    LET free == {i \in DOMAIN AppOrder : msgInfo[AppOrder[i]] = NotPublished}
    IN  IF free = {} THEN {} ELSE {AppOrder[CHOOSE i \in free : \A j \in free : i <= j]}

(* ---- what the environment may do, per model ---- *)

(* One topic, no RETAIN, no expiry: QoS only. *)
PublishQos(c) == [topic : OneTopic, qos : QoS, retain : {FALSE}, empty : {FALSE}, expires : {FALSE}]
SubscribeQos(c) == [filter : OneFilter, qos : QoS, noLocal : {FALSE}]

(* Ordering: QoS 1 and 2 on one topic; the subscriber at QoS 1 or 2. *)
PublishQos12(c) == [topic : OneTopic, qos : {1, 2}, retain : {FALSE}, empty : {FALSE}, expires : {FALSE}]
SubscribeQos12(c) == [filter : OneFilter, qos : {1, 2}, noLocal : {FALSE}]

(* Routing: either topic at QoS 1 or 2; subscriptions to the ordinary and   *)
(* shared filters, No Local on the ordinary ones.                          *)
PublishRoute(c) == [topic : TwoTopics, qos : {1, 2}, retain : {FALSE}, empty : {FALSE}, expires : {FALSE}]
SubscribeRoute(c) ==
    [filter : PlainFilters, qos : {1, 2}, noLocal : BOOLEAN]
    \cup [filter : RouteShared, qos : {1, 2}, noLocal : {FALSE}]

(* Routing: P subscribes to a/b itself, with or without No Local; S1 has  *)
(* overlapping subscriptions a/b (QoS 1) and a/+ (QoS 2) and joins the     *)
(* share group; S2 joins the share group or subscribes to a/+.            *)
SubscribeRouting(c) ==
    CASE c = P  -> {[filter |-> fab, qos |-> 1, noLocal |-> TRUE]}
      [] c = S1 -> {[filter |-> fab, qos |-> 1, noLocal |-> FALSE],
                    [filter |-> fplus, qos |-> 2, noLocal |-> FALSE],
                    [filter |-> fshare, qos |-> 1, noLocal |-> FALSE]}
      [] c = S2 -> {[filter |-> fshare, qos |-> 2, noLocal |-> FALSE],
                    [filter |-> fplus, qos |-> 1, noLocal |-> FALSE]}
PublishRouting(c) == [topic : TwoTopics, qos : {2}, retain : {FALSE}, empty : {FALSE}, expires : {FALSE}]
NoDisconnect(c) == {}

(* Retained messages: RETAIN = 1 on a/b at QoS 2, with or without an     *)
(* empty payload (which clears); subscriptions to a/b and a/+ at QoS 2.    *)
PublishRetain(c) == [topic : OneTopic, qos : {2}, retain : {TRUE}, empty : BOOLEAN, expires : {FALSE}]
SubscribeRetain(c) == [filter : PlainFilters, qos : {2}, noLocal : {FALSE}]

(* The queue bound and message expiry: QoS 1, expiring or not. *)
PublishExpiry(c) == [topic : OneTopic, qos : {1}, retain : {FALSE}, empty : {FALSE}, expires : BOOLEAN]
PublishQos1(c) == [topic : OneTopic, qos : {1}, retain : {FALSE}, empty : {FALSE}, expires : {FALSE}]
SubscribeQos1(c) == [filter : OneFilter, qos : {1}, noLocal : {FALSE}]

(* Wills: the publisher may leave will w1 on a/b, QoS 2, retained, with a  *)
(* Will Delay Interval of 0 or 1 s.                                        *)
WillsOfP(c) ==
    IF c \in Publishers
    THEN [msg : {w1}, topic : OneTopic, qos : {2}, retain : {TRUE}, delay : {0, 1}]
    ELSE {}
NoPublishes(c) == {}
NoUnsubscribe(c) == {}


(* Kept sessions only (no clean start): the ordering and queue models. *)
KeptOnly(c) ==
    IF Version = "3.1.1" THEN {[clean |-> FALSE, expiry |-> NeverExpires]}
    ELSE {[clean |-> FALSE, expiry |-> e] : e \in SessionExpiries \ {0}}

(* The publisher chooses any connect flags, the others keep their session. *)
PublisherAnySubscriberKept(c) == IF c \in Publishers THEN ConnectFlags ELSE KeptOnly(c)

(* The three-client simulations: everything, on two topics. *)
PublishAll(c) ==
    [topic : TwoTopics, qos : QoS, retain : BOOLEAN, empty : BOOLEAN,
     expires : IF Version = "5.0" THEN BOOLEAN ELSE {FALSE}]
SubscribeAll(c) ==
    IF Version = "5.0"
    THEN [filter : PlainFilters, qos : QoS, noLocal : BOOLEAN]
         \cup [filter : RouteShared, qos : QoS, noLocal : {FALSE}]
    ELSE [filter : PlainFilters, qos : QoS, noLocal : {FALSE}]
WillsAll(c) ==
    CASE c = P  -> [msg : {w1}, topic : TwoTopics, qos : QoS, retain : BOOLEAN,
                    delay : IF Version = "5.0" THEN {0, 1} ELSE {0}]
      [] c = S1 -> [msg : {w2}, topic : TwoTopics, qos : QoS, retain : BOOLEAN, delay : {0}]
      [] OTHER  -> {}

-----------------------------------------------------------------------------
(* ---- wrong rules ---- *)

(* Delivers at the publish QoS, ignoring the subscriptions'. *)
BrokenCopyQos(pubQ, via) == pubQ

(* Overlapping subscriptions: takes the lowest granted QoS, not the highest. *)
BrokenCopyQosLowest(pubQ, via) == Min(pubQ, CHOOSE q \in {v.qos : v \in via} : \A v \in via : q <= v.qos)

(* One copy per matching subscription instead of one per client. *)
BrokenCopiesFor(via) == {{v} : v \in via}

(* Ignores No Local. *)
BrokenNoLocalSkips(sub, s, from) == FALSE

(* Sends a shared message to every member of the group. *)
BrokenSharedRecipients(g, chosen) == Members(g)

(* An offline member's queued shared messages go to another member. *)
BrokenRedistributesShared == TRUE

(* Stores QoS 0 copies in the session like QoS 1: held in flight and      *)
(* resent after a reconnect.                                              *)
BrokenHeldInFlight(dq) == TRUE

(* Queues QoS 0 copies for an offline client (queueQos0WhileOffline on,   *)
(* which the core's default forbids); once connected they go out once.    *)
BrokenQueuesOffline(dq) == TRUE

(* Drops a copy when the queue has one free place left (off by one). *)
BrokenQueueHasRoom(c, k) == Len(queue[c]) + k < MaxQueued

(* No queue bound at all. *)
BrokenQueueUnbounded(c, k) == TRUE

(* Forgets QoS 2 identifiers: a repeated PUBLISH is routed again. *)
BrokenIsDuplicateQos2(c, pid) == FALSE

(* No quarantine: an identifier resent by timer is reused at once. *)
BrokenQuarantined(c) == {}

(* Hands out any packet identifier, even one in use. *)
BrokenFreePacketIds(c) == PacketIds

(* Hands out packet identifier 0, which MQTT reserves [MQTT-2.3.1-1]. *)
BrokenFreePacketIdsWithZero(c) == ({NoPid} \cup PacketIds) \ OutPids(c)

(* Ignores the client's Receive Maximum. *)
BrokenSendQuotaAvailable(c) == TRUE

(* Ignores Clean Start: the old session is resumed. *)
BrokenDiscardsSessionOnConnect(clean) == FALSE

(* Discarding a session leaves its subscriptions in the router. *)
BrokenDiscardsSubscriptions == FALSE

(* Keeps every session after its connection ends, kept or not. *)
BrokenSessionOutlivesConnection(c) == TRUE

(* Answers Session Present = 1 to every Clean Start = 0 CONNECT, even     *)
(* after the session expired [against MQTT-3.2.2-3 (5.0)]: the client then *)
(* resends into a session that has forgotten its QoS 2 identifiers.       *)
BrokenSessionPresent(c, clean) == ~clean

(* Lets a session expire while its client is connected (the timer of an    *)
(* earlier absence not cancelled on CONNECT, not checked when it fires).  *)
BrokenSessionCanExpire(c) == expiry[c] \notin {0, NoSession, NeverExpires}

(* Never resends in-flight messages after a reconnect. *)
BrokenAwaitingResend(c) == {}

(* Resends in reverse send order (the last one first). *)
BrokenNextResend(c) == CHOOSE i \in AwaitingResend(c) : \A j \in AwaitingResend(c) : i >= j

(* Sends queued messages before the resends are out. *)
BrokenResendsDone(c) == TRUE

(* Drops an expired in-flight PUBLISH instead of resending it. *)
BrokenExpiryDropsInFlight == TRUE

(* Does not answer PUBREL. *)
BrokenPubrelReply(pid) == << >>

(* A zero-length retained PUBLISH is stored instead of clearing the topic. *)
BrokenRetainAfter(m, info) == m

(* A new subscription gets no retained messages. *)
BrokenRetainedFor(c, f) == {}

(* The will is published even after a normal DISCONNECT. *)
BrokenWillSurvives(kind) == TRUE

(* A published delayed will stays in the session, so it can go out again. *)
BrokenRemovesWillOncePublished == FALSE

(* The session's end drops a will still waiting in it. *)
BrokenSessionEndPublishesWill == FALSE

(* A resumed session keeps its delayed will. *)
BrokenReconnectCancelsWill == FALSE

(* Writes the packets of a step before the log holds the step: a PUBACK or *)
(* PUBREC goes out, and the log catches up later (Persist).              *)
BrokenForcesBeforeAcknowledging == FALSE

(* The log does not keep inbound QoS 2 identifiers awaiting PUBREL. *)
BrokenDurableInQos2(c) == {}

(* The log does not keep wills. *)
BrokenLogKeepsWill == FALSE

(* The log does not record PUBREC: a restart resends the PUBLISH, not PUBREL. *)
BrokenDurableStage(e) == "published"

(* The modelled client resends in packet identifier order, not publish order. *)
RECURSIVE ByPid(_)
ByPid(seq) ==
    IF seq = << >> THEN << >>
    ELSE LET i == CHOOSE k \in DOMAIN seq : \A j \in DOMAIN seq : seq[k].pid <= seq[j].pid
         IN  << seq[i] >> \o ByPid(SubSeq(seq, 1, i - 1) \o SubSeq(seq, i + 1, Len(seq)))
BrokenClientResendOrder(seq) == ByPid(seq)

=============================================================================

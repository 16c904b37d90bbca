---------------------------- MODULE MqttSession ----------------------------
(***************************************************************************)
(* MQTT 3.1.1 / 5.0 sessions and QoS delivery, as the Checked MQTT server *)
(* implements them.                                                        *)
(*                                                                         *)
(* Clients connect to one server, subscribe to one topic, publish         *)
(* messages to it at QoS 0, 1 or 2, disconnect, and lose their connection *)
(* at any moment.  The server keeps a session per client: its            *)
(* subscription, its outbound in-flight messages by packet identifier and *)
(* stage, the inbound QoS 2 packet identifiers that await PUBREL, and the *)
(* queue of messages not yet sent.  The network is one FIFO channel per   *)
(* connection and direction (MQTT runs over TCP); a lost connection loses *)
(* whatever its channels hold.                                            *)
(*                                                                         *)
(* Both hops of a message are modelled: publisher -> server and server -> *)
(* subscriber.  The clients are correct MQTT clients; the server is the   *)
(* thing under design.  QoS is per hop: the server delivers a message at  *)
(* min(publish QoS, subscription QoS).                                     *)
(*                                                                         *)
(* Topics and topic filters are left out: every subscription matches      *)
(* every message.  Matching, retained messages and will messages are in   *)
(* MqttWillRetain.tla.  Time is abstract: a kept 5.0 session may expire   *)
(* at any moment while its client is offline (SessionExpires), which     *)
(* stands for every finite Session Expiry Interval; 3.1.1 sessions and    *)
(* 5.0 sessions with expiry 0xFFFFFFFF that never expire are among the    *)
(* behaviours in which that step does not happen.                         *)
(*                                                                         *)
(* Every action is parameterised by what a log of the Java core records  *)
(* (client, message, QoS, packet identifier), so that a trace module can  *)
(* constrain Next to follow a recorded run step by step.                  *)
(*                                                                         *)
(* The section "Rules" collects the decisions the server makes, one       *)
(* operator each.  The MC_Broken*.cfg models override one of them at a    *)
(* time with a wrong rule, and the build expects TLC to reject them.      *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets

CONSTANTS
    Clients,          \* client identifiers
    Publishers,       \* the clients that may publish
    Subscribers,      \* the clients that may subscribe
    Messages,         \* application messages; each is published at most once
    PacketIds,        \* the packet identifiers a sender may use, e.g. 1..2
    Version,          \* "3.1.1" or "5.0"
    ReceiveMaximum,   \* 5.0: how many QoS 1/2 PUBLISH a client accepts unacknowledged
    MaxTimedResends,  \* 3.1.1: how often the server may resend one packet inside a connection
    MaxDrops          \* how many connections may be lost in a behaviour (keeps the model finite)

ASSUME /\ Publishers \subseteq Clients
       /\ Subscribers \subseteq Clients
       /\ PacketIds \subseteq Nat \ {0}      \* [MQTT-2.3.1-1]: identifiers are non-zero
       /\ PacketIds # {}
       /\ Version \in {"3.1.1", "5.0"}
       /\ ReceiveMaximum \in Nat \ {0}
       /\ MaxTimedResends \in Nat
       /\ MaxDrops \in Nat

QoS == {0, 1, 2}
NoSub == -1            \* subs[c] = NoSub: c has no subscription
NoPid == 0             \* a QoS 0 PUBLISH carries no packet identifier
NotPublished == -1     \* pubQos[m] = NotPublished: nobody has published m yet
NotForfeited == -1     \* forfeited[c][m] = NotForfeited: see the variable
Stages == {"published", "released"}   \* awaiting PUBACK/PUBREC; awaiting PUBCOMP

Min(a, b) == IF a <= b THEN a ELSE b

(* The (clean start, keep session) pairs a CONNECT may carry.  3.1.1 has   *)
(* one flag: CleanSession = 1 starts clean and ends the session with the   *)
(* connection; CleanSession = 0 resumes and keeps it.  5.0 separates them: *)
(* Clean Start, and Session Expiry Interval = 0 (not kept) or > 0 (kept). *)
ConnectFlags ==
    IF Version = "3.1.1" THEN {<<TRUE, FALSE>>, <<FALSE, TRUE>>}
                         ELSE BOOLEAN \X BOOLEAN

(* How many QoS 1/2 messages may be unacknowledged towards one client.     *)
(* 3.1.1 has no Receive Maximum; only the packet identifiers limit it.     *)
Window == IF Version = "5.0" THEN ReceiveMaximum ELSE Cardinality(PacketIds)

-----------------------------------------------------------------------------
(***************************************************************************)
(* Packets.  CONNECT/CONNACK, SUBSCRIBE/SUBACK and DISCONNECT are not     *)
(* sent through the channels: ClientConnect, ClientSubscribe and          *)
(* ClientDisconnect are single steps, because nothing else in the model    *)
(* depends on how they interleave with other packets.                     *)
(***************************************************************************)
Publish(m, q, pid, dup) ==
    [type |-> "PUBLISH", msg |-> m, qos |-> q, pid |-> pid, dup |-> dup]
Puback(pid)  == [type |-> "PUBACK",  pid |-> pid]
Pubrec(pid)  == [type |-> "PUBREC",  pid |-> pid]
Pubrel(pid)  == [type |-> "PUBREL",  pid |-> pid]
Pubcomp(pid) == [type |-> "PUBCOMP", pid |-> pid]

Packet ==
    [type : {"PUBLISH"}, msg : Messages, qos : QoS,
     pid : PacketIds \cup {NoPid}, dup : BOOLEAN]
    \cup [type : {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"}, pid : PacketIds]

(* An outbound in-flight message of the server.  sent: its packet went out *)
(* on the current connection (FALSE after a drop until the resend).      *)
(* resends: timed resends on the current connection (3.1.1 only).        *)
ServerInFlight ==
    [pid : PacketIds, msg : Messages, qos : QoS, stage : Stages,
     sent : BOOLEAN, resends : 0..MaxTimedResends]

(* An outbound in-flight message of a publishing client. *)
ClientInFlight ==
    [pid : PacketIds, msg : Messages, qos : {1, 2}, stage : Stages]

-----------------------------------------------------------------------------
VARIABLES
    connected,  \* connected[c]: c has a network connection to the server
    keep,       \* keep[c]: c's session outlives its current (or last) connection;
                \*   FALSE once that session has expired.  So, while c is
                \*   offline, keep[c] says whether the server holds a session of c
    \* The server's session of each client
    subs,       \* subs[c]: QoS of c's subscription, or NoSub
    queue,      \* queue[c]: messages for c not yet sent (offline, or no quota)
    out,        \* out[c]: set of ServerInFlight, the outbound in-flight messages
    inQos2,     \* inQos2[c]: QoS 2 packet ids from c whose PUBREL is awaited
    resentIds,  \* resentIds[c]: 3.1.1 packet ids the server has resent by timer on
                \*   c's current connection (core: Link.resentIds)
    \* The network
    toServer,   \* toServer[c]: packets on c's connection towards the server
    toClient,   \* toClient[c]: packets on c's connection towards c
    \* The clients' own session state
    cOut,       \* cOut[c]: set of ClientInFlight, c's unacknowledged publishes
    cIn,        \* cIn[c]: QoS 2 packet ids c has delivered and whose PUBREL it awaits
    \* History: what the properties talk about
    pubQos,     \* pubQos[m]: the QoS m was published with, or NotPublished
    matched,    \* matched[c][m]: subscription QoS values m was routed to c with
    delivered,  \* delivered[c][m]: QoS of each hand-over of m to c's application
    owed,       \* owed[c]: QoS 1/2 messages routed to c's session, neither
                \*   handed to c's application nor discarded with the session
    forfeited,  \* forfeited[c][m]: if c's session expired while it owed m, how
                \*   often m had been handed to c's application by then;
                \*   NotForfeited if not, or if m has been routed to c again since
    drops       \* number of connections lost so far

serverVars  == <<subs, queue, out, inQos2, resentIds>>
clientVars  == <<cOut, cIn>>
historyVars == <<pubQos, matched, delivered, owed, forfeited>>
vars == <<connected, keep, subs, queue, out, inQos2, resentIds, toServer, toClient,
          cOut, cIn, pubQos, matched, delivered, owed, forfeited, drops>>

-----------------------------------------------------------------------------
TypeOK ==
    /\ connected \in [Clients -> BOOLEAN]
    /\ keep \in [Clients -> BOOLEAN]
    /\ subs \in [Clients -> QoS \cup {NoSub}]
    /\ queue \in [Clients -> Seq([msg : Messages, qos : QoS])]
    /\ out \in [Clients -> SUBSET ServerInFlight]
    /\ inQos2 \in [Clients -> SUBSET PacketIds]
    /\ resentIds \in [Clients -> SUBSET PacketIds]
    /\ toServer \in [Clients -> Seq(Packet)]
    /\ toClient \in [Clients -> Seq(Packet)]
    /\ cOut \in [Clients -> SUBSET ClientInFlight]
    /\ cIn \in [Clients -> SUBSET PacketIds]
    /\ pubQos \in [Messages -> QoS \cup {NotPublished}]
    /\ matched \in [Clients -> [Messages -> SUBSET QoS]]
    /\ delivered \in [Clients -> [Messages -> Seq(QoS)]]
    /\ owed \in [Clients -> SUBSET Messages]
    /\ forfeited \in [Clients -> [Messages -> Nat \cup {NotForfeited}]]
    /\ drops \in 0..MaxDrops

Init ==
    /\ connected = [c \in Clients |-> FALSE]
    /\ keep = [c \in Clients |-> FALSE]
    /\ subs = [c \in Clients |-> NoSub]
    /\ queue = [c \in Clients |-> << >>]
    /\ out = [c \in Clients |-> {}]
    /\ inQos2 = [c \in Clients |-> {}]
    /\ resentIds = [c \in Clients |-> {}]
    /\ toServer = [c \in Clients |-> << >>]
    /\ toClient = [c \in Clients |-> << >>]
    /\ cOut = [c \in Clients |-> {}]
    /\ cIn = [c \in Clients |-> {}]
    /\ pubQos = [m \in Messages |-> NotPublished]
    /\ matched = [c \in Clients |-> [m \in Messages |-> {}]]
    /\ delivered = [c \in Clients |-> [m \in Messages |-> << >>]]
    /\ owed = [c \in Clients |-> {}]
    /\ forfeited = [c \in Clients |-> [m \in Messages |-> NotForfeited]]
    /\ drops = 0

-----------------------------------------------------------------------------
(***************************************************************************)
(* Rules: the decisions of the server, one operator each.  The MC_Broken  *)
(* models replace one of them by a wrong rule (a definition override in   *)
(* the .cfg) to show that some property then fails.                       *)
(***************************************************************************)

(* The QoS of the copy a subscriber gets [MQTT-3.8.4-6 in 5.0 / 3.8.4-6 in *)
(* 3.1.1]: the smaller of the publish QoS and the subscription QoS.        *)
DeliveredQos(pubQ, subQ) == Min(pubQ, subQ)

(* Whether a copy at QoS dq is stored in the session (queued, then held   *)
(* in flight until acknowledged).  QoS 0 is sent once if the subscriber   *)
(* is connected and otherwise dropped: it is never stored.                *)
StoresInSession(dq) == dq \in {1, 2}

(* Whether an inbound QoS 2 PUBLISH repeats one already accepted: its     *)
(* packet identifier is still awaiting PUBREL [MQTT-4.3.3-2 (3.1.1),      *)
(* MQTT-4.3.3-9/-10 (5.0)].  Such a PUBLISH is answered but not routed.   *)
IsDuplicateQos2(c, pid) == pid \in inQos2[c]

(* The packet identifiers that 3.1.1 timed resends set aside until the     *)
(* connection ends: a correct client answers every copy of a PUBLISH, and *)
(* a late answer to a second copy must not acknowledge a new message that *)
(* has the same identifier [MQTT-4.3.2-1 (3.1.1)] (core: Link.resentIds).  *)
Quarantined(c) == resentIds[c]

(* The packet identifiers usable for a new outbound message to c: those   *)
(* not used by another in-flight message [MQTT-2.3.1-2 (3.1.1), 2.2.1-3    *)
(* (5.0)] and not quarantined.  If none is usable, ServerSendsPublish is   *)
(* not enabled: the message waits in the queue until a flow with an        *)
(* identifier outside the quarantine completes, or until the connection    *)
(* ends, which empties the quarantine (Outbound#nextFreePacketId returns   *)
(* NO_USABLE_ID, and Outbound#deliver and #drain queue the message).       *)
FreePacketIds(c) == (PacketIds \ {e.pid : e \in out[c]}) \ Quarantined(c)

(* Whether the server may send c one more QoS 1/2 PUBLISH [MQTT-3.3.4-9,  *)
(* 5.0]: fewer than the window are unacknowledged.                        *)
SendQuotaAvailable(c) == Cardinality(out[c]) < Window

(* Whether a CONNECT with this Clean Start / CleanSession flag discards    *)
(* the existing session [MQTT-3.1.2-6 (3.1.1), MQTT-3.1.2-4 (5.0)].       *)
DiscardsSessionOnConnect(cleanStart) == cleanStart

(* Whether c's session survives the end of its connection [MQTT-3.1.2-6   *)
(* (3.1.1): CleanSession = 1 ends it; 5.0 3.1.2.11.2: Session Expiry > 0]. *)
SessionOutlivesConnection(c) == keep[c]

(* CONNACK's Session Present flag: 1 only if the CONNECT resumes a session *)
(* that the server holds [MQTT-3.2.2-1/-2/-3 (3.1.1), MQTT-3.2.2-2/-3      *)
(* (5.0)].  While c is offline, keep[c] says whether it holds one.         *)
SessionPresent(c, cleanStart) == ~DiscardsSessionOnConnect(cleanStart) /\ keep[c]

(* Whether c's session may expire now: only while c is offline, since     *)
(* session state is never discarded while the network connection is open  *)
(* [MQTT-4.1.0-1 (5.0)] (the core cancels the timer on CONNECT and checks  *)
(* isOnline() in Lifecycle#expiryDue), and only if it is kept              *)
(* [MQTT-3.1.2-23 (5.0)]: a session with expiry 0 ended with its connection. *)
SessionCanExpire(c) == ~connected[c] /\ keep[c]

(* The in-flight messages the server still has to resend on this         *)
(* connection: after a reconnect of a kept session, all of them, PUBLISH  *)
(* (DUP = 1) or PUBREL by stage [MQTT-4.4.0-1].                           *)
AwaitingResend(c) == {e \in out[c] : ~e.sent}

(* What the server answers to a PUBREL [MQTT-4.3.3-2 (3.1.1),             *)
(* MQTT-4.3.3-11 (5.0)]: PUBCOMP with the same packet identifier.          *)
PubrelReply(pid) == << Pubcomp(pid) >>

-----------------------------------------------------------------------------
(***************************************************************************)
(* Helpers                                                                 *)
(***************************************************************************)

(* The packet at the head of a channel is of type t with identifier pid. *)
Arrives(ch, t, pid) == ch # << >> /\ Head(ch).type = t /\ Head(ch).pid = pid

(* The packet that (re)sends an in-flight message: PUBLISH with DUP = 1  *)
(* until PUBREC (or PUBACK) arrived, PUBREL afterwards.                    *)
ResendPacket(e) ==
    IF e.stage = "published" THEN Publish(e.msg, e.qos, e.pid, TRUE)
                             ELSE Pubrel(e.pid)

(* A client's in-flight messages as the sequence of packets it resends    *)
(* when it resumes its session, in packet identifier order.              *)
RECURSIVE ResendAll(_)
ResendAll(S) ==
    IF S = {} THEN << >>
    ELSE LET e == CHOOSE x \in S : \A y \in S : x.pid <= y.pid
         IN  << ResendPacket(e) >> \o ResendAll(S \ {e})

(* The server's session of c is empty: no subscription and no message. *)
SessionEmpty(c) ==
    subs[c] = NoSub /\ queue[c] = << >> /\ out[c] = {} /\ inQos2[c] = {}

(* Discard the server's session of c, and the messages it owed to c. *)
DiscardServerSession(c) ==
    /\ subs' = [subs EXCEPT ![c] = NoSub]
    /\ queue' = [queue EXCEPT ![c] = << >>]
    /\ out' = [out EXCEPT ![c] = {}]
    /\ inQos2' = [inQos2 EXCEPT ![c] = {}]
    /\ resentIds' = [resentIds EXCEPT ![c] = {}]
    /\ owed' = [owed EXCEPT ![c] = {}]

(* Routing a message m published at QoS q: the server's sessions, the    *)
(* channels to the subscribers and the history after it.                  *)
Copy(s, q) == DeliveredQos(q, subs[s])
Stored(s, q) == subs[s] # NoSub /\ StoresInSession(Copy(s, q))
SentAtQos0(s, q) == subs[s] # NoSub /\ ~StoresInSession(Copy(s, q)) /\ connected[s]

RoutedQueue(m, q) ==
    [s \in Clients |-> IF Stored(s, q)
                       THEN Append(queue[s], [msg |-> m, qos |-> Copy(s, q)])
                       ELSE queue[s]]
RoutedToClient(m, q) ==
    [s \in Clients |-> IF SentAtQos0(s, q)
                       THEN Append(toClient[s], Publish(m, Copy(s, q), NoPid, FALSE))
                       ELSE toClient[s]]
RoutedMatched(m, q) ==
    [s \in Clients |-> IF subs[s] # NoSub
                       THEN [matched[s] EXCEPT ![m] = @ \cup {subs[s]}]
                       ELSE matched[s]]
RoutedOwed(m, q) ==
    [s \in Clients |-> IF Stored(s, q) THEN owed[s] \cup {m} ELSE owed[s]]
(* A message routed to s again (a publisher's resend) may reach s again. *)
RoutedForfeited(m, q) ==
    [s \in Clients |-> IF subs[s] # NoSub THEN [forfeited[s] EXCEPT ![m] = NotForfeited]
                                         ELSE forfeited[s]]

-----------------------------------------------------------------------------
(***************************************************************************)
(* Connections                                                             *)
(***************************************************************************)

(* c connects (CONNECT/CONNACK).  A clean start discards the session on   *)
(* both sides.  Otherwise CONNACK has Session Present = 1 if the server    *)
(* holds a session of c and 0 if not (SessionPresent): it never had one,  *)
(* the session ended with its connection, or it expired.  With Session    *)
(* Present = 1 the client resends its unacknowledged PUBLISH and PUBREL    *)
(* packets at once, and the server does so packet by packet in            *)
(* ReconnectResend.  With 0 the client discards its own session state     *)
(* [MQTT-3.2.2-5 (5.0)], so that it does not resend a QoS 2 PUBLISH into a *)
(* session that no longer remembers its packet identifier.                *)
ClientConnect(c, cleanStart, keepSession) ==
    /\ ~connected[c]
    /\ <<cleanStart, keepSession>> \in ConnectFlags
    /\ connected' = [connected EXCEPT ![c] = TRUE]
    /\ keep' = [keep EXCEPT ![c] = keepSession]
    /\ IF DiscardsSessionOnConnect(cleanStart)
       THEN DiscardServerSession(c)
       ELSE UNCHANGED <<serverVars, owed>>
    /\ IF cleanStart \/ ~SessionPresent(c, cleanStart)
       THEN /\ cOut' = [cOut EXCEPT ![c] = {}]
            /\ cIn' = [cIn EXCEPT ![c] = {}]
            /\ UNCHANGED toServer
       ELSE /\ toServer' = [toServer EXCEPT ![c] = ResendAll(cOut[c])]
            /\ UNCHANGED clientVars
    /\ UNCHANGED <<toClient, pubQos, matched, delivered, forfeited, drops>>

(* The end of c's connection, whether by DISCONNECT or by loss: both      *)
(* channels lose their content.  A kept session stays, and its in-flight   *)
(* messages await a resend; any other session ends on both sides.         *)
EndConnection(c) ==
    /\ connected' = [connected EXCEPT ![c] = FALSE]
    /\ toServer' = [toServer EXCEPT ![c] = << >>]
    /\ toClient' = [toClient EXCEPT ![c] = << >>]
    /\ IF SessionOutlivesConnection(c)
       THEN /\ out' = [out EXCEPT ![c] = {[e EXCEPT !.sent = FALSE, !.resends = 0]
                                          : e \in @}]
            /\ resentIds' = [resentIds EXCEPT ![c] = {}]
            /\ UNCHANGED <<subs, queue, inQos2, owed, cOut, cIn>>
       ELSE /\ DiscardServerSession(c)
            /\ cOut' = [cOut EXCEPT ![c] = {}]
            /\ cIn' = [cIn EXCEPT ![c] = {}]
    /\ UNCHANGED <<keep, pubQos, matched, delivered, forfeited>>

(* c sends DISCONNECT.  The server has read everything c sent before it;  *)
(* what the server had sent c and c had not read yet is lost.  A client    *)
(* disconnects once its own publishes are acknowledged (as Paho's          *)
(* disconnect() quiesces); one that gives up earlier leaves the session in *)
(* the same state as a lost connection, which ConnectionLost covers.  This *)
(* is what keeps the model finite: only the MaxDrops lost connections can *)
(* make a client resend, and so only they can duplicate a QoS 1 message.   *)
ClientDisconnect(c) ==
    /\ connected[c]
    /\ toServer[c] = << >>
    /\ cOut[c] = {}
    /\ EndConnection(c)
    /\ UNCHANGED drops

(* c's connection breaks, at any moment; everything in flight on it is lost. *)
ConnectionLost(c) ==
    /\ connected[c]
    /\ drops < MaxDrops
    /\ drops' = drops + 1
    /\ EndConnection(c)

(* 5.0: the Session Expiry Interval of c's offline session passed, and the *)
(* server discards the session: subscription, queue, in-flight messages    *)
(* and inbound QoS 2 identifiers [MQTT-4.1.0-2 (5.0)] (core:              *)
(* SessionTransitions#onSessionExpiry).  The messages it still owed c are  *)
(* lost to c.  A will waiting in the session is MqttWillRetain's business. *)
(* 3.1.1 has no expiry: the core keeps a CleanSession = 0 session until a  *)
(* clean start.  Not fair: expiry only matters while c stays away, and the *)
(* liveness properties are about clients that come back.                  *)
SessionExpires(c) ==
    /\ Version = "5.0"
    /\ SessionCanExpire(c)
    /\ keep' = [keep EXCEPT ![c] = FALSE]
    /\ forfeited' = [forfeited EXCEPT ![c] =
                       [m \in Messages |-> IF m \in owed[c] THEN Len(delivered[c][m])
                                                            ELSE @[m]]]
    /\ DiscardServerSession(c)
    /\ UNCHANGED <<connected, toServer, toClient, clientVars, pubQos, matched,
                   delivered, drops>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* Subscriptions (SUBSCRIBE/SUBACK, UNSUBSCRIBE/UNSUBACK as single steps). *)
(* A new subscription replaces the old one [MQTT-3.8.4-3].  Messages      *)
(* already queued stay and are delivered.                                 *)
(***************************************************************************)
ClientSubscribe(c, q) ==
    /\ c \in Subscribers
    /\ connected[c]
    /\ q # subs[c]
    /\ subs' = [subs EXCEPT ![c] = q]
    /\ UNCHANGED <<connected, keep, resentIds, queue, out, inQos2, toServer, toClient,
                   clientVars, historyVars, drops>>

ClientUnsubscribe(c) ==
    /\ connected[c]
    /\ subs[c] # NoSub
    /\ subs' = [subs EXCEPT ![c] = NoSub]
    /\ UNCHANGED <<connected, keep, resentIds, queue, out, inQos2, toServer, toClient,
                   clientVars, historyVars, drops>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* Publisher -> server                                                     *)
(***************************************************************************)

(* c's application publishes m at QoS q; c sends PUBLISH with identifier  *)
(* pid (NoPid for QoS 0) and keeps a QoS 1/2 message until it is          *)
(* acknowledged.                                                          *)
ClientPublish(c, m, q, pid) ==
    /\ c \in Publishers
    /\ connected[c]
    /\ pubQos[m] = NotPublished
    /\ IF q = 0 THEN pid = NoPid
                ELSE pid \in PacketIds \ {e.pid : e \in cOut[c]}
    /\ pubQos' = [pubQos EXCEPT ![m] = q]
    /\ toServer' = [toServer EXCEPT ![c] = Append(@, Publish(m, q, pid, FALSE))]
    /\ cOut' = IF q = 0 THEN cOut
               ELSE [cOut EXCEPT ![c] = @ \cup
                       {[pid |-> pid, msg |-> m, qos |-> q, stage |-> "published"]}]
    /\ UNCHANGED <<connected, keep, serverVars, toClient, cIn,
                   matched, delivered, owed, forfeited, drops>>

(* The server reads PUBLISH m at QoS q from c.  It routes the message to   *)
(* every subscription, unless it is a repeated QoS 2 PUBLISH, and answers *)
(* PUBACK (QoS 1) or PUBREC (QoS 2).  QoS 1 is routed on every copy: at    *)
(* least once.  QoS 2 is routed once and its identifier kept until        *)
(* PUBREL: exactly once ("method B" of the 3.1.1 spec, 4.3.3).            *)
ServerReceivesPublish(c, m, q, pid) ==
    /\ toServer[c] # << >>
    /\ Head(toServer[c]).type = "PUBLISH"
    /\ Head(toServer[c]).msg = m
    /\ Head(toServer[c]).qos = q
    /\ Head(toServer[c]).pid = pid
    /\ LET route == q < 2 \/ ~IsDuplicateQos2(c, pid)
           net   == IF route THEN RoutedToClient(m, q) ELSE toClient
           reply == CASE q = 0 -> << >>
                      [] q = 1 -> << Puback(pid) >>
                      [] q = 2 -> << Pubrec(pid) >>
       IN  /\ toServer' = [toServer EXCEPT ![c] = Tail(@)]
           /\ toClient' = [net EXCEPT ![c] = @ \o reply]
           /\ queue' = IF route THEN RoutedQueue(m, q) ELSE queue
           /\ matched' = IF route THEN RoutedMatched(m, q) ELSE matched
           /\ owed' = IF route THEN RoutedOwed(m, q) ELSE owed
           /\ forfeited' = IF route THEN RoutedForfeited(m, q) ELSE forfeited
           /\ inQos2' = IF q = 2 THEN [inQos2 EXCEPT ![c] = @ \cup {pid}]
                                 ELSE inQos2
    /\ UNCHANGED <<connected, keep, resentIds, subs, out, clientVars,
                   pubQos, delivered, drops>>

(* The server reads PUBREL from c: the QoS 2 message is complete on the   *)
(* inbound side; the identifier may be reused by c.                       *)
ServerReceivesPubrel(c, pid) ==
    /\ Arrives(toServer[c], "PUBREL", pid)
    /\ toServer' = [toServer EXCEPT ![c] = Tail(@)]
    /\ inQos2' = [inQos2 EXCEPT ![c] = @ \ {pid}]
    /\ toClient' = [toClient EXCEPT ![c] = @ \o PubrelReply(pid)]
    /\ UNCHANGED <<connected, keep, resentIds, subs, queue, out, clientVars,
                   historyVars, drops>>

(* c reads PUBACK: its QoS 1 publish is done. *)
ClientReceivesPuback(c, pid) ==
    /\ Arrives(toClient[c], "PUBACK", pid)
    /\ toClient' = [toClient EXCEPT ![c] = Tail(@)]
    /\ cOut' = [cOut EXCEPT ![c] = {e \in @ : ~(e.pid = pid /\ e.qos = 1)}]
    /\ UNCHANGED <<connected, keep, serverVars, toServer, cIn,
                   historyVars, drops>>

(* c reads PUBREC: it sends PUBREL and from now on resends PUBREL, never   *)
(* the PUBLISH again.                                                     *)
ClientReceivesPubrec(c, pid) ==
    /\ Arrives(toClient[c], "PUBREC", pid)
    /\ toClient' = [toClient EXCEPT ![c] = Tail(@)]
    /\ IF \E e \in cOut[c] : e.pid = pid /\ e.qos = 2
       THEN /\ cOut' = [cOut EXCEPT ![c] =
                          {IF e.pid = pid THEN [e EXCEPT !.stage = "released"] ELSE e
                           : e \in @}]
            /\ toServer' = [toServer EXCEPT ![c] = Append(@, Pubrel(pid))]
       ELSE UNCHANGED <<cOut, toServer>>
    /\ UNCHANGED <<connected, keep, serverVars, cIn, historyVars, drops>>

(* c reads PUBCOMP: its QoS 2 publish is done. *)
ClientReceivesPubcomp(c, pid) ==
    /\ Arrives(toClient[c], "PUBCOMP", pid)
    /\ toClient' = [toClient EXCEPT ![c] = Tail(@)]
    /\ cOut' = [cOut EXCEPT ![c] = {e \in @ : ~(e.pid = pid /\ e.stage = "released")}]
    /\ UNCHANGED <<connected, keep, serverVars, toServer, cIn,
                   historyVars, drops>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* Server -> subscriber                                                    *)
(***************************************************************************)

(* The server sends the next queued message m to c with a free packet     *)
(* identifier pid, once every resend owed after a reconnect has gone out  *)
(* (resends keep their original order [MQTT-4.6.0-1]) and c's receive     *)
(* quota allows it.                                                       *)
ServerSendsPublish(c, m, pid) ==
    /\ connected[c]
    /\ queue[c] # << >>
    /\ Head(queue[c]).msg = m
    /\ AwaitingResend(c) = {}
    /\ SendQuotaAvailable(c)
    /\ pid \in FreePacketIds(c)
    /\ LET q == Head(queue[c]).qos IN
       /\ queue' = [queue EXCEPT ![c] = Tail(@)]
       /\ out' = [out EXCEPT ![c] = @ \cup
                    {[pid |-> pid, msg |-> m, qos |-> q, stage |-> "published",
                      sent |-> TRUE, resends |-> 0]}]
       /\ toClient' = [toClient EXCEPT ![c] = Append(@, Publish(m, q, pid, FALSE))]
    /\ UNCHANGED <<connected, keep, resentIds, subs, inQos2, toServer, clientVars,
                   historyVars, drops>>

(* After c resumed its kept session, the server resends the in-flight     *)
(* message with identifier pid: PUBLISH with DUP = 1, or PUBREL if PUBREC *)
(* had arrived [MQTT-4.4.0-1].                                            *)
ReconnectResend(c, pid) ==
    /\ connected[c]
    /\ \E e \in AwaitingResend(c) :
          /\ e.pid = pid
          /\ out' = [out EXCEPT ![c] = (@ \ {e}) \cup {[e EXCEPT !.sent = TRUE]}]
          /\ toClient' = [toClient EXCEPT ![c] = Append(@, ResendPacket(e))]
    /\ UNCHANGED <<connected, keep, resentIds, subs, queue, inQos2, toServer, clientVars,
                   historyVars, drops>>

(* 3.1.1 only: the server resends an unacknowledged packet inside the      *)
(* connection after a timeout (the core's onResendDeadline), at most      *)
(* MaxTimedResends times.  5.0 forbids this [MQTT-4.4.0-1 (5.0)].           *)
TimedResend(c, pid) ==
    /\ Version = "3.1.1"
    /\ connected[c]
    /\ \E e \in out[c] :
          /\ e.pid = pid
          /\ e.sent
          /\ e.resends < MaxTimedResends
          /\ out' = [out EXCEPT ![c] = (@ \ {e}) \cup {[e EXCEPT !.resends = @ + 1]}]
          /\ toClient' = [toClient EXCEPT ![c] = Append(@, ResendPacket(e))]
    /\ resentIds' = [resentIds EXCEPT ![c] = @ \cup {pid}]
    /\ UNCHANGED <<connected, keep, subs, queue, inQos2, toServer, clientVars,
                   historyVars, drops>>

(* c reads PUBLISH m at QoS q.  QoS 0 and 1: handed to the application     *)
(* every time (QoS 1 may therefore duplicate).  QoS 2: handed over only if *)
(* pid is not awaiting PUBREL already; answered PUBREC either way.         *)
ClientReceivesPublish(c, m, q, pid) ==
    /\ toClient[c] # << >>
    /\ Head(toClient[c]).type = "PUBLISH"
    /\ Head(toClient[c]).msg = m
    /\ Head(toClient[c]).qos = q
    /\ Head(toClient[c]).pid = pid
    /\ LET new   == q < 2 \/ pid \notin cIn[c]
           reply == CASE q = 0 -> << >>
                      [] q = 1 -> << Puback(pid) >>
                      [] q = 2 -> << Pubrec(pid) >>
       IN  /\ toClient' = [toClient EXCEPT ![c] = Tail(@)]
           /\ toServer' = [toServer EXCEPT ![c] = @ \o reply]
           /\ delivered' = IF new THEN [delivered EXCEPT ![c][m] = Append(@, q)]
                                  ELSE delivered
           /\ owed' = IF new THEN [owed EXCEPT ![c] = @ \ {m}] ELSE owed
           /\ cIn' = IF q = 2 THEN [cIn EXCEPT ![c] = @ \cup {pid}] ELSE cIn
    /\ UNCHANGED <<connected, keep, serverVars, cOut, pubQos, matched, forfeited, drops>>

(* c reads PUBREL: it forgets pid and answers PUBCOMP. *)
ClientReceivesPubrel(c, pid) ==
    /\ Arrives(toClient[c], "PUBREL", pid)
    /\ toClient' = [toClient EXCEPT ![c] = Tail(@)]
    /\ cIn' = [cIn EXCEPT ![c] = @ \ {pid}]
    /\ toServer' = [toServer EXCEPT ![c] = Append(@, Pubcomp(pid))]
    /\ UNCHANGED <<connected, keep, serverVars, cOut, historyVars, drops>>

(* The server reads PUBACK from c: the QoS 1 message is done. *)
ServerReceivesPuback(c, pid) ==
    /\ Arrives(toServer[c], "PUBACK", pid)
    /\ toServer' = [toServer EXCEPT ![c] = Tail(@)]
    /\ out' = [out EXCEPT ![c] = {e \in @ : ~(e.pid = pid /\ e.qos = 1)}]
    /\ UNCHANGED <<connected, keep, resentIds, subs, queue, inQos2, toClient, clientVars,
                   historyVars, drops>>

(* The server reads PUBREC from c: it sends PUBREL and from now on resends *)
(* PUBREL, never the PUBLISH [MQTT-4.3.3-1 (3.1.1)].  PUBREL is a new      *)
(* packet, so its timed resends are counted afresh (InflightMessage.released *)
(* in the core); MaxTimedResends bounds each packet, not the whole flow.    *)
ServerReceivesPubrec(c, pid) ==
    /\ Arrives(toServer[c], "PUBREC", pid)
    /\ toServer' = [toServer EXCEPT ![c] = Tail(@)]
    /\ IF \E e \in out[c] : e.pid = pid /\ e.qos = 2
       THEN /\ out' = [out EXCEPT ![c] =
                         {IF e.pid = pid THEN [e EXCEPT !.stage = "released", !.resends = 0] ELSE e
                          : e \in @}]
            /\ toClient' = [toClient EXCEPT ![c] = Append(@, Pubrel(pid))]
       ELSE UNCHANGED <<out, toClient>>
    /\ UNCHANGED <<connected, keep, resentIds, subs, queue, inQos2, clientVars,
                   historyVars, drops>>

(* The server reads PUBCOMP from c: the QoS 2 message is done. *)
ServerReceivesPubcomp(c, pid) ==
    /\ Arrives(toServer[c], "PUBCOMP", pid)
    /\ toServer' = [toServer EXCEPT ![c] = Tail(@)]
    /\ out' = [out EXCEPT ![c] = {e \in @ : ~(e.pid = pid /\ e.stage = "released")}]
    /\ UNCHANGED <<connected, keep, resentIds, subs, queue, inQos2, toClient, clientVars,
                   historyVars, drops>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* The next-state relation, grouped by who acts.  The environment (the    *)
(* clients' applications and the network) acts when it likes; the server *)
(* and the clients' protocol engines are fair.                            *)
(***************************************************************************)
Environment ==
    \E c \in Clients :
        \/ \E f \in ConnectFlags : ClientConnect(c, f[1], f[2])
        \/ ClientDisconnect(c)
        \/ ConnectionLost(c)
        \/ SessionExpires(c)
        \/ \E q \in QoS : ClientSubscribe(c, q)
        \/ ClientUnsubscribe(c)
        \/ \E m \in Messages, q \in QoS, pid \in PacketIds \cup {NoPid} :
              ClientPublish(c, m, q, pid)
        \/ \E pid \in PacketIds : TimedResend(c, pid)

ServerReceives(c) ==
    \/ \E m \in Messages, q \in QoS, pid \in PacketIds \cup {NoPid} :
          ServerReceivesPublish(c, m, q, pid)
    \/ \E pid \in PacketIds :
          \/ ServerReceivesPuback(c, pid)
          \/ ServerReceivesPubrec(c, pid)
          \/ ServerReceivesPubrel(c, pid)
          \/ ServerReceivesPubcomp(c, pid)

ServerSends(c) == \E m \in Messages, pid \in FreePacketIds(c) : ServerSendsPublish(c, m, pid)

ServerResends(c) == \E pid \in PacketIds : ReconnectResend(c, pid)

ClientReceives(c) ==
    \/ \E m \in Messages, q \in QoS, pid \in PacketIds \cup {NoPid} :
          ClientReceivesPublish(c, m, q, pid)
    \/ \E pid \in PacketIds :
          \/ ClientReceivesPuback(c, pid)
          \/ ClientReceivesPubrec(c, pid)
          \/ ClientReceivesPubrel(c, pid)
          \/ ClientReceivesPubcomp(c, pid)

Next ==
    \/ Environment
    \/ \E c \in Clients :
          ServerReceives(c) \/ ServerSends(c) \/ ServerResends(c) \/ ClientReceives(c)

(* The server and the clients' protocol engines never stop while they have *)
(* something to do.  Timed resends are optional and not fair.             *)
Fairness ==
    \A c \in Clients :
        /\ WF_vars(ServerReceives(c))
        /\ WF_vars(ServerSends(c))
        /\ WF_vars(ServerResends(c))
        /\ WF_vars(ClientReceives(c))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(***************************************************************************)
(* Invariants                                                              *)
(***************************************************************************)

(* Every copy handed to an application has QoS min(publish QoS,            *)
(* subscription QoS), for the subscription the message was routed with.    *)
DeliveredQosIsMinimum ==
    \A c \in Clients, m \in Messages :
        \A i \in 1..Len(delivered[c][m]) :
            \E sq \in matched[c][m] : delivered[c][m][i] = Min(pubQos[m], sq)

(* QoS 2: a message delivered at QoS 2 reaches the application once, over  *)
(* any number of drops and reconnects of a kept session.                  *)
Qos2DeliveredAtMostOnce ==
    \A c \in Clients, m \in Messages :
        (\E i \in 1..Len(delivered[c][m]) : delivered[c][m][i] = 2)
            => Len(delivered[c][m]) = 1

(* QoS 0: a message published at QoS 0 reaches an application at most once. *)
Qos0DeliveredAtMostOnce ==
    \A c \in Clients, m \in Messages :
        pubQos[m] = 0 => Len(delivered[c][m]) <= 1

(* No two in-flight messages of a session share a packet identifier. *)
PacketIdsUniqueInFlight ==
    \A c \in Clients : \A e1, e2 \in out[c] : e1.pid = e2.pid => e1 = e2

(* A session that is not kept (3.1.1 CleanSession = 1, 5.0 Session Expiry *)
(* = 0) ends with its connection: while the client is offline the server  *)
(* holds nothing for it.                                                  *)
SessionEndsWithConnection ==
    \A c \in Clients : (~connected[c] /\ ~keep[c]) => SessionEmpty(c)

(* The offline queue holds only QoS 1/2 messages, and only for kept        *)
(* sessions.                                                               *)
OfflineQueueOnlyQos12OfKeptSessions ==
    \A c \in Clients :
        /\ \A i \in 1..Len(queue[c]) : queue[c][i].qos \in {1, 2}
        /\ (~connected[c] /\ queue[c] # << >>) => keep[c]

(* At least once, as a state invariant: a QoS 1/2 message the server has  *)
(* accepted for c's session stays in that session, queued or in flight    *)
(* awaiting PUBACK/PUBREC, until c's application has it or the session is *)
(* discarded.  A PUBACK or PUBREC that acknowledges a message c has not    *)
(* received (a late answer to a resent identifier that the server has      *)
(* meanwhile given to a new message) breaks it.                           *)
OwedMessagesStayInSession ==
    \A c \in Clients : \A m \in owed[c] :
        \/ \E i \in 1..Len(queue[c]) : queue[c][i].msg = m
        \/ \E e \in out[c] : e.msg = m /\ e.stage = "published"

(* A session that expired took the messages it owed with it              *)
(* [MQTT-4.1.0-2 (5.0)]: after the expiry, c's application gets no further *)
(* copy of them, whether c comes back with Clean Start = 0 or not, unless  *)
(* a message is routed to c anew (a publisher resends it).                *)
NoDeliveryFromExpiredSession ==
    \A c \in Clients, m \in Messages :
        forfeited[c][m] # NotForfeited => Len(delivered[c][m]) = forfeited[c][m]

(* Never more unacknowledged QoS 1/2 messages towards a client than its   *)
(* receive maximum (5.0) or than there are packet identifiers (3.1.1).      *)
InFlightWithinReceiveMaximum ==
    \A c \in Clients : Cardinality(out[c]) <= Window

-----------------------------------------------------------------------------
(***************************************************************************)
(* Properties                                                              *)
(***************************************************************************)

(* Clean start: right after a CONNECT with Clean Start = 1 (3.1.1:        *)
(* CleanSession = 1) the server holds no earlier subscription, queued or   *)
(* in-flight message.  An action property: TLC checks it on every step.   *)
CleanStartHoldsNothingEarlier ==
    [][\A c \in Clients :
          (~connected[c] /\ connected'[c]) =>
              \A k \in BOOLEAN : ClientConnect(c, TRUE, k) => SessionEmpty(c)']_vars

(* QoS 1/2 to a kept session: every message the server accepted for c's  *)
(* session is eventually handed to c's application, if c eventually stays *)
(* connected (at least once; with Qos2DeliveredAtMostOnce, exactly once   *)
(* for QoS 2).  A clean start may discard it first: then it is no longer   *)
(* owed.                                                                   *)
AcceptedMessagesAreDelivered ==
    \A c \in Subscribers, m \in Messages :
        <>[]connected[c] => (m \in owed[c] ~> m \notin owed[c])

(* 3.1.1 timed resend: every packet identifier is quarantined on c's       *)
(* connection.  No new QoS 1/2 PUBLISH can go out to c until the           *)
(* connection ends, since the quarantine only grows while it lasts.        *)
IdsExhausted(c) == PacketIds \subseteq Quarantined(c)

(* AcceptedMessagesAreDelivered, except for the one way the quarantine can  *)
(* stop it: a connection that stays up after its timed resends quarantined *)
(* every identifier keeps its messages queued until it ends.  For models   *)
(* whose bounds let that happen (MCLivenessTimedResendOneId).              *)
AcceptedMessagesAreDeliveredOrIdsExhausted ==
    \A c \in Subscribers, m \in Messages :
        <>[]connected[c] => (m \in owed[c] ~> (m \notin owed[c] \/ IdsExhausted(c)))

(* Every handshake the server starts towards c completes (PUBACK, or       *)
(* PUBREC-PUBREL-PUBCOMP) if c eventually stays connected.                *)
ServerHandshakesComplete ==
    \A c \in Clients, pid \in PacketIds :
        <>[]connected[c] =>
            ((\E e \in out[c] : e.pid = pid) ~> ~(\E e \in out[c] : e.pid = pid))

(* Every handshake a publisher starts towards the server completes if the *)
(* publisher eventually stays connected.                                  *)
ClientHandshakesComplete ==
    \A c \in Publishers, pid \in PacketIds :
        <>[]connected[c] =>
            ((\E e \in cOut[c] : e.pid = pid) ~> ~(\E e \in cOut[c] : e.pid = pid))

=============================================================================

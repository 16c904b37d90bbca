-------------------------------- MODULE Mqtt --------------------------------
(***************************************************************************)
(* MQTT 3.1.1 / 5.0 as the Checked MQTT server implements it: sessions,   *)
(* QoS delivery over lost connections, routing to overlapping and shared  *)
(* subscriptions, No Local, retained messages, wills, the bound of the    *)
(* session queue and message expiry.                                      *)
(*                                                                         *)
(* Clients connect to one server, subscribe to topic filters, publish     *)
(* messages on topics at QoS 0, 1 or 2, disconnect, and lose their        *)
(* connection at any moment.  The server keeps a session per client: its *)
(* subscriptions, its outbound in-flight messages in send order, the      *)
(* inbound QoS 2 packet identifiers that await PUBREL, the queue of       *)
(* messages not yet sent, and a will.  The network is one FIFO channel    *)
(* per connection and direction (MQTT runs over TCP); a lost connection   *)
(* loses whatever its channels hold.  The clients are correct MQTT        *)
(* clients; the server is the thing under design.                         *)
(*                                                                         *)
(* The properties are guarantees about what the clients' applications     *)
(* receive, stated over history variables (what publishers sent, what the *)
(* server routed, what each application was handed, in order), so that a *)
(* wrong server rule breaks them through behaviour, not by restating a    *)
(* guard.                                                                 *)
(*                                                                         *)
(* Topics and filters are constants; MatchPairs says which filter matches *)
(* which topic, so the spec follows the core's routing decisions without  *)
(* modelling strings.  Time is abstract: a session with a finite expiry   *)
(* interval may expire at any moment while its client is offline, a will  *)
(* waits for its delay or its session's end (whichever the intervals say *)
(* comes first), and a queued message that carries a 5.0 Message Expiry   *)
(* Interval may expire before it is sent.                                 *)
(*                                                                         *)
(* Not modelled: topic aliases, Maximum Packet Size, Retain As Published, *)
(* Retain Handling other than 0, Subscription Identifiers, the 5.0 change *)
(* of Session Expiry on DISCONNECT, PUBACK/PUBREC failure codes, the      *)
(* expiry of retained messages, keep-alive and take-over (a take-over is  *)
(* a lost connection followed by a CONNECT here).                         *)
(*                                                                         *)
(* Every action is parameterised by what a log of the Java core records   *)
(* (client, message, QoS, packet identifier, connect flags), so that the  *)
(* trace module TraceMqtt.tla can make the spec follow a recorded run.    *)
(* The section "Rules" collects the decisions the server makes, one      *)
(* operator each; the MC_Broken*.cfg models override one at a time.       *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets

CONSTANTS
    Clients,          \* client identifiers
    Publishers,       \* the clients that may publish
    Subscribers,      \* the clients that may subscribe
    Messages,         \* application and will messages; each is published at most once
    Topics,           \* topic names
    Filters,          \* topic filters, shared ones included
    SharedFilters,    \* 5.0 shared subscriptions ($share/<group>/<filter>) among Filters
    MatchPairs,       \* <<f, t>> \in MatchPairs: filter f matches topic t
    PacketIds,        \* the packet identifiers a sender may use, e.g. {1, 2}
    Version,          \* "3.1.1" or "5.0"
    ReceiveMaximum,   \* 5.0: how many QoS 1/2 PUBLISH a client accepts unacknowledged
    MaxTimedResends,  \* 3.1.1: how often the server may resend one packet inside a connection
    MaxDrops,         \* how many connections may be lost in a behaviour
    MaxCrashes,       \* how many times the broker may crash and restart in a behaviour
    MaxQueued,        \* the bound of a session's queue (core: maxQueuedMessages)
    MaxRetainedSends, \* SUBSCRIBEs per client that get retained messages, in a behaviour
    SessionExpiries,  \* the Session Expiry Intervals a 5.0 CONNECT may carry, in seconds
    NeverExpires      \* stands for 0xFFFFFFFF, the interval that never ends; TLC's
                      \*   integers stop at 2^31 - 1, so a model gives a number above
                      \*   its other intervals and will delays

ASSUME /\ Publishers \subseteq Clients
       /\ Subscribers \subseteq Clients
       /\ SharedFilters \subseteq Filters
       /\ MatchPairs \subseteq Filters \X Topics
       /\ PacketIds \subseteq Nat \ {0}      \* [MQTT-2.3.1-1]: identifiers are non-zero
       /\ PacketIds # {}
       /\ Version \in {"3.1.1", "5.0"}
       /\ ReceiveMaximum \in Nat \ {0}
       /\ MaxTimedResends \in Nat /\ MaxDrops \in Nat /\ MaxRetainedSends \in Nat
       /\ MaxCrashes \in Nat
       /\ MaxQueued \in Nat \ {0}
       /\ SessionExpiries \subseteq Nat /\ NeverExpires \in Nat
       /\ \A e \in SessionExpiries : e <= NeverExpires

QoS == {0, 1, 2}
NoPid == 0             \* a QoS 0 PUBLISH carries no packet identifier
NoSession == -1        \* expiry[c] = NoSession: the server holds no session of c
Stages == {"published", "released"}   \* awaiting PUBACK/PUBREC; awaiting PUBCOMP
NoSub == [qos |-> -1, noLocal |-> FALSE]   \* subs[c][f] = NoSub: no subscription to f
NoRetained == "none"   \* retained[t] = NoRetained: topic t holds no retained message
NoWill == [msg |-> "none"]
(* msgInfo[m] of a message nobody has published yet. *)
NotPublished == [kind |-> "none", from |-> "none", topic |-> "none", qos |-> -1,
                 retain |-> FALSE, empty |-> FALSE, expires |-> FALSE, seq |-> 0,
                 acked |-> FALSE]
EndKinds == {"normal", "withWill", "lost"}   \* DISCONNECT 0x00, DISCONNECT 0x04, loss

Min(a, b) == IF a <= b THEN a ELSE b
Max(S) == CHOOSE x \in S : \A y \in S : y <= x
Range(s) == {s[i] : i \in DOMAIN s}
Matches(f, t) == <<f, t>> \in MatchPairs

(* How many QoS 1/2 messages may be unacknowledged towards one client.     *)
(* 3.1.1 has no Receive Maximum; only the packet identifiers limit it.     *)
Window == IF Version = "5.0" THEN ReceiveMaximum ELSE Cardinality(PacketIds)

-----------------------------------------------------------------------------
(***************************************************************************)
(* What the environment may do.  A model narrows these sets to keep its   *)
(* state space small; the defaults are the whole protocol.                *)
(***************************************************************************)

(* The (Clean Start, Session Expiry Interval) pairs of a CONNECT.  3.1.1   *)
(* has one flag: CleanSession = 1 starts clean and ends the session with  *)
(* the connection (expiry 0); CleanSession = 0 resumes and keeps it       *)
(* until a clean start (NeverExpires).  5.0 separates the two.            *)
ConnectFlags ==
    IF Version = "3.1.1"
    THEN {[clean |-> TRUE, expiry |-> 0], [clean |-> FALSE, expiry |-> NeverExpires]}
    ELSE [clean : BOOLEAN, expiry : SessionExpiries]
ConnectChoices(c) == ConnectFlags

(* The wills c may leave with a CONNECT: [msg, topic, qos, retain, delay], *)
(* delay being the 5.0 Will Delay Interval (0 in 3.1.1).  A will message  *)
(* belongs to one client.  None by default.                               *)
WillChoices(c) == {}

(* What c's application may publish (5.0: expires = the message carries a *)
(* Message Expiry Interval).                                              *)
PublishChoices(c) ==
    [topic : Topics, qos : QoS, retain : BOOLEAN, empty : BOOLEAN,
     expires : IF Version = "5.0" THEN BOOLEAN ELSE {FALSE}]

(* The subscriptions c may make.  No Local and shared subscriptions are    *)
(* 5.0 only, and No Local on a shared subscription is a protocol error    *)
(* [MQTT-3.8.3-4 (5.0)].                                                   *)
SubscribeChoices(c) ==
    {s \in [filter : Filters, qos : QoS, noLocal : BOOLEAN] :
        /\ Version = "3.1.1" => ~s.noLocal /\ s.filter \notin SharedFilters
        /\ s.filter \in SharedFilters => ~s.noLocal}

(* How c may end its connection itself: DISCONNECT with reason 0x00, or   *)
(* (5.0) 0x04, Disconnect with Will Message.                              *)
DisconnectChoices(c) == IF Version = "5.0" THEN {"normal", "withWill"} ELSE {"normal"}

(* The filters c may unsubscribe from. *)
UnsubscribeChoices(c) == Filters

WillMessages == UNION {{w.msg : w \in WillChoices(c)} : c \in Clients}

-----------------------------------------------------------------------------
(***************************************************************************)
(* Packets.  CONNECT/CONNACK, SUBSCRIBE/SUBACK and DISCONNECT are not     *)
(* sent through the channels: they are single steps, because nothing else *)
(* depends on how they interleave with other packets.  A PUBLISH carries, *)
(* besides what is on the wire, the index of the copy it delivers in the  *)
(* history copies[c] (idx, 0 towards the server); only properties read it. *)
(***************************************************************************)
Publish(m, q, pid, dup, retain, idx) ==
    [type |-> "PUBLISH", msg |-> m, qos |-> q, pid |-> pid, dup |-> dup,
     retain |-> retain, idx |-> idx]
Puback(pid)  == [type |-> "PUBACK",  pid |-> pid]
Pubrec(pid)  == [type |-> "PUBREC",  pid |-> pid]
Pubrel(pid)  == [type |-> "PUBREL",  pid |-> pid]
Pubcomp(pid) == [type |-> "PUBCOMP", pid |-> pid]

Packet ==
    [type : {"PUBLISH"}, msg : Messages, qos : QoS, pid : PacketIds \cup {NoPid},
     dup : BOOLEAN, retain : BOOLEAN, idx : Nat]
    \cup [type : {"PUBACK", "PUBREC", "PUBREL", "PUBCOMP"}, pid : PacketIds]

(* A subscription's options: granted QoS and (5.0) No Local. *)
SubOptions == [qos : QoS, noLocal : BOOLEAN]

(* A message waiting in a session's queue (idx: its copy in copies[c]). *)
Queued == [msg : Messages, qos : QoS, retain : BOOLEAN, idx : Nat]

(* An outbound in-flight message of the server.  sent: its packet went out *)
(* on the current connection (FALSE after a drop until the resend).      *)
(* resends: timed resends on the current connection (3.1.1 only).        *)
ServerInFlight ==
    [pid : PacketIds, msg : Messages, qos : {1, 2}, retain : BOOLEAN, idx : Nat,
     stage : Stages, sent : BOOLEAN, resends : 0..MaxTimedResends]

(* An outbound in-flight message of a publishing client. *)
ClientInFlight == [pid : PacketIds, msg : Messages, qos : {1, 2}, stage : Stages]

Will == [msg : Messages, topic : Topics, qos : QoS, retain : BOOLEAN, delay : Nat]

(* A will waiting after its connection ended: for its delay or its        *)
(* session's end (due = FALSE), or to be published now (due = TRUE).      *)
PendingWill == [will : Will, due : BOOLEAN]

(* What the server routed a message with: one record per subscription of  *)
(* the recipient that matched (for a share group, the chosen member's).   *)
Via == [filter : Filters, qos : QoS, noLocal : BOOLEAN]

(* A copy of a message routed to one client (history).  src: the position *)
(* of the routing in routeLog (0 for a retained message sent on           *)
(* SUBSCRIBE); online: a QoS 0 copy's client was connected (TRUE for QoS  *)
(* 1/2, where it does not matter); fate: "sent" (QoS 0 sent               *)
(* at once), "stored" (queued in the session), "full" (dropped: the       *)
(* queue was full), "lost" (QoS 0 for an offline client); ahead: for a    *)
(* dropped copy, the queue's length at that moment (else 0).  Fields that  *)
(* no property reads are left constant: each value splits states.         *)
Copy == [msg : Messages, qos : QoS, retain : BOOLEAN, src : Nat, via : SUBSET Via,
         kind : {"routed", "retained"}, online : BOOLEAN,
         fate : {"sent", "stored", "full", "lost"}, ahead : Nat]

(* What the broker's log holds of c's session (nio-broker's persistence, *)
(* the core's DurableRecord): a kept session (Session Expiry Interval not *)
(* 0) with its subscriptions, queue, in-flight messages in send order and *)
(* how far each got, inbound QoS 2 identifiers awaiting PUBREL, and will; *)
(* NoDurableSession for any other.  Connections are not in it: sent and   *)
(* resends are those of a connection, FALSE and 0 here.                   *)
DurableSession ==
    [expiry : SessionExpiries \cup {NoSession}, subs : [Filters -> SubOptions \cup {NoSub}],
     queue : Seq(Queued), out : Seq(ServerInFlight), inQos2 : SUBSET PacketIds,
     will : Will \cup {NoWill}, pendingWill : PendingWill \cup {NoWill}]
NoDurableSession ==
    [expiry |-> NoSession, subs |-> [f \in Filters |-> NoSub], queue |-> << >>, out |-> << >>,
     inQos2 |-> {}, will |-> NoWill, pendingWill |-> NoWill]

(* The log of a broker that has never run. *)
EmptyLog == [session |-> [c \in Clients |-> NoDurableSession], retained |-> [t \in Topics |-> NoRetained]]

MsgInfo == [kind : {"app", "will"}, from : Clients, topic : Topics, qos : QoS,
            retain : BOOLEAN, empty : BOOLEAN, expires : BOOLEAN, seq : Nat, acked : BOOLEAN]

-----------------------------------------------------------------------------
VARIABLES
    connected,  \* connected[c]: c has a network connection to the server
    expiry,     \* expiry[c]: the Session Expiry Interval of c's session (while
                \*   connected, 0 means it ends with the connection), or NoSession
                \*   while c is offline and the server holds no session of it
    \* The server's session of each client
    subs,       \* subs[c][f]: SubOptions of c's subscription to f, or NoSub
    queue,      \* queue[c]: Seq(Queued), messages not yet sent (offline, no quota,
                \*   no usable packet identifier, or not yet picked up)
    out,        \* out[c]: Seq(ServerInFlight), outbound in-flight messages in send order
    inQos2,     \* inQos2[c]: QoS 2 packet ids from c whose PUBREL is awaited
    resentIds,  \* resentIds[c]: 3.1.1 packet ids resent by timer on c's current
                \*   connection (core: Link.resentIds)
    dropped,    \* dropped[c]: messages the session dropped because its queue was full
                \*   (core: Session.droppedMessages)
    will,       \* will[c]: the will of c's current connection, or NoWill
    pendingWill,\* pendingWill[c]: a PendingWill of c's ended connection, or NoWill
    retained,   \* retained[t]: the message retained on topic t, or NoRetained
    \* The network
    toServer,   \* toServer[c]: packets on c's connection towards the server
    toClient,   \* toClient[c]: packets on c's connection towards c
    \* The clients' own session state
    cOut,       \* cOut[c]: Seq(ClientInFlight), c's unacknowledged publishes in order
    cIn,        \* cIn[c]: set of [pid, idx]: QoS 2 copies c has handed to its
                \*   application and whose PUBREL it awaits
    cSubs,      \* cSubs[c][f]: the QoS c was granted on f in its current session, or -1
    cAnswers,   \* cAnswers[c]: the PUBACK and PUBCOMP answers c has made and not yet
                \*   sent, in order (only with ClientAnswersLater)
    \* History: what the properties talk about
    msgInfo,    \* msgInfo[m]: MsgInfo of m once published (seq: the order of
                \*   application publishes; acked: its publisher read PUBACK or
                \*   PUBREC for it), else NotPublished
    routeLog,   \* the messages the server routed, in order (a QoS 1 message again
                \*   for each PUBLISH the server reads)
    copies,     \* copies[c]: Seq(Copy), every copy routed to c, in routing order
    received,   \* received[c]: what c's application was handed, in order:
                \*   [idx (the copy), qos, retain]
    sentCopies, \* sentCopies[c]: the copies of expiring messages the server has sent c
    expired,    \* expired[c]: the copies dropped because their message expired
    sessionBase,\* sessionBase[c]: Len(copies[c]) and Len(received[c]) when c's
                \*   last session ended: copies up to there belong to ended sessions
    expect,     \* expect[c]: retained messages c subscribed to on its current
                \*   connection and has not been handed yet
    willStatus, \* willStatus[m]: "none", "registered" (its connection is up), how
                \*   that connection ended (EndKinds), "superseded" (the client
                \*   resumed its session while the will waited), or "crashed" (it
                \*   died with the broker: its session was not kept)
    retainedSends, \* retainedSends[c]: SUBSCRIBEs of c that matched retained messages
    lost,       \* connections lost so far
    \* Crashes of the broker
    durable,    \* the broker's log where it lags behind the state (only with a
                \*   broken ForcesBeforeAcknowledging): the durable view as of the
                \*   last Persist; else EmptyLog, as the log is the state's (Log)
    crashes     \* crashes (each followed by a restart) so far

serverVars  == <<subs, queue, out, inQos2, resentIds, dropped, will, pendingWill, retained>>
netVars     == <<toServer, toClient>>
clientVars  == <<cOut, cIn, cSubs, cAnswers>>
historyVars == <<msgInfo, routeLog, copies, received, sentCopies, expired, sessionBase,
                 expect, willStatus, retainedSends, lost>>
crashVars   == <<durable, crashes>>
vars == <<connected, expiry, serverVars, netVars, clientVars, historyVars, crashVars>>

-----------------------------------------------------------------------------
TypeOK ==
    /\ connected \in [Clients -> BOOLEAN]
    /\ expiry \in [Clients -> SessionExpiries \cup {NoSession}]
    /\ subs \in [Clients -> [Filters -> SubOptions \cup {NoSub}]]
    /\ queue \in [Clients -> Seq(Queued)]
    /\ out \in [Clients -> Seq(ServerInFlight)]
    /\ inQos2 \in [Clients -> SUBSET PacketIds]
    /\ resentIds \in [Clients -> SUBSET PacketIds]
    /\ dropped \in [Clients -> Nat]
    /\ will \in [Clients -> Will \cup {NoWill}]
    /\ pendingWill \in [Clients -> PendingWill \cup {NoWill}]
    /\ retained \in [Topics -> Messages \cup {NoRetained}]
    /\ toServer \in [Clients -> Seq(Packet)]
    /\ toClient \in [Clients -> Seq(Packet)]
    /\ cOut \in [Clients -> Seq(ClientInFlight)]
    /\ cIn \in [Clients -> SUBSET [pid : PacketIds, idx : Nat]]
    /\ cSubs \in [Clients -> [Filters -> QoS \cup {-1}]]
    /\ cAnswers \in [Clients -> Seq(Packet)]
    /\ msgInfo \in [Messages -> MsgInfo \cup {NotPublished}]
    /\ routeLog \in Seq(Messages)
    /\ copies \in [Clients -> Seq(Copy)]
    /\ received \in [Clients -> Seq([idx : Nat, qos : QoS, retain : BOOLEAN])]
    /\ sentCopies \in [Clients -> SUBSET Nat]
    /\ expired \in [Clients -> SUBSET Nat]
    /\ sessionBase \in [Clients -> [copies : Nat, received : Nat]]
    /\ expect \in [Clients -> SUBSET Messages]
    /\ willStatus \in [Messages -> {"none", "registered", "superseded", "crashed"} \cup EndKinds]
    /\ retainedSends \in [Clients -> 0..MaxRetainedSends]
    /\ lost \in 0..MaxDrops
    /\ durable \in [session : [Clients -> DurableSession], retained : [Topics -> Messages \cup {NoRetained}]]
    /\ crashes \in 0..MaxCrashes

Init ==
    /\ connected = [c \in Clients |-> FALSE]
    /\ expiry = [c \in Clients |-> NoSession]
    /\ subs = [c \in Clients |-> [f \in Filters |-> NoSub]]
    /\ queue = [c \in Clients |-> << >>]
    /\ out = [c \in Clients |-> << >>]
    /\ inQos2 = [c \in Clients |-> {}]
    /\ resentIds = [c \in Clients |-> {}]
    /\ dropped = [c \in Clients |-> 0]
    /\ will = [c \in Clients |-> NoWill]
    /\ pendingWill = [c \in Clients |-> NoWill]
    /\ retained = [t \in Topics |-> NoRetained]
    /\ toServer = [c \in Clients |-> << >>]
    /\ toClient = [c \in Clients |-> << >>]
    /\ cOut = [c \in Clients |-> << >>]
    /\ cIn = [c \in Clients |-> {}]
    /\ cSubs = [c \in Clients |-> [f \in Filters |-> -1]]
    /\ cAnswers = [c \in Clients |-> << >>]
    /\ msgInfo = [m \in Messages |-> NotPublished]
    /\ routeLog = << >>
    /\ copies = [c \in Clients |-> << >>]
    /\ received = [c \in Clients |-> << >>]
    /\ sentCopies = [c \in Clients |-> {}]
    /\ expired = [c \in Clients |-> {}]
    /\ sessionBase = [c \in Clients |-> [copies |-> 0, received |-> 0]]
    /\ expect = [c \in Clients |-> {}]
    /\ willStatus = [m \in Messages |-> "none"]
    /\ retainedSends = [c \in Clients |-> 0]
    /\ lost = 0
    /\ durable = EmptyLog
    /\ crashes = 0

-----------------------------------------------------------------------------
(***************************************************************************)
(* Rules: the decisions of the server (and two of the modelled clients),  *)
(* one operator each.  The MC_Broken models replace one of them by a      *)
(* wrong rule (a definition override in the .cfg) to show that the        *)
(* property it protects then fails.                                       *)
(***************************************************************************)

MaxGranted(via) == Max({v.qos : v \in via})

(* The QoS of the one copy a client gets: the smaller of the publish QoS   *)
(* and the highest QoS granted to its matching subscriptions [MQTT-3.3.5-1 *)
(* (3.1.1), MQTT-3.3.4-2 (5.0), MQTT-3.8.4-6 (3.1.1) / -8 (5.0)].          *)
CopyQos(pubQ, via) == Min(pubQ, MaxGranted(via))

(* How many copies a client gets for its matching subscriptions: one for  *)
(* all of them (3.1.1 requires it; 5.0 allows it, and the core does it).  *)
CopiesFor(via) == {via}

(* Whether a subscription is skipped for a message of this publisher: No  *)
(* Local [MQTT-3.8.3-3 (5.0)].                                             *)
NoLocalSkips(sub, s, from) == sub.noLocal /\ s = from

(* Which members of a share group get a message: the one chosen          *)
(* [MQTT-4.8.2 (5.0)]; the core chooses round-robin among connected ones. *)
SharedRecipients(g, chosen) == {chosen}

(* Whether copies at QoS dq are held in the session (queued, then in      *)
(* flight until acknowledged).  QoS 0 is sent once if the client is       *)
(* connected and never held [MQTT-4.3.1-1].                               *)
HeldInFlight(dq) == dq \in {1, 2}

(* Whether an offline session queues a copy at QoS dq: QoS 1/2 only (core: *)
(* queueQos0WhileOffline = false, the default; 3.1.1 3.1.2.4 allows QoS 0). *)
QueuesOffline(dq) == dq \in {1, 2}

(* Whether a session's queue takes k more copies: it holds at most        *)
(* MaxQueued; beyond that the newest copy is dropped and counted.         *)
QueueHasRoom(c, k) == Len(queue[c]) + k <= MaxQueued

(* Whether an inbound QoS 2 PUBLISH repeats one already accepted: its     *)
(* packet identifier still awaits PUBREL [MQTT-4.3.3-2 (3.1.1),           *)
(* MQTT-4.3.3-9/-10 (5.0)].  Such a PUBLISH is answered but not routed.   *)
IsDuplicateQos2(c, pid) == pid \in inQos2[c]

(* 3.1.1 timed resend: identifiers resent inside this connection are kept *)
(* off new messages until it ends, since a late answer to a second copy   *)
(* must not acknowledge a new message [MQTT-4.3.2-1 (3.1.1)].             *)
Quarantined(c) == resentIds[c]

OutPids(c) == {out[c][i].pid : i \in DOMAIN out[c]}

(* The packet identifiers usable for a new message to c: not used by      *)
(* another in-flight message [MQTT-2.3.1-2 (3.1.1), 2.2.1-3 (5.0)] and not *)
(* quarantined (core: Outbound#nextFreePacketId).                          *)
FreePacketIds(c) == (PacketIds \ OutPids(c)) \ Quarantined(c)

(* Whether the server may send c one more QoS 1/2 PUBLISH [MQTT-3.3.4-9,  *)
(* 5.0]: fewer than the window are unacknowledged.                        *)
SendQuotaAvailable(c) == Len(out[c]) < Window

(* Whether a CONNECT with this Clean Start flag discards the session       *)
(* [MQTT-3.1.2-6 (3.1.1), MQTT-3.1.2-4 (5.0)].                             *)
DiscardsSessionOnConnect(clean) == clean

(* Whether discarding a session removes its subscriptions from routing    *)
(* (core: Transaction#apply on DiscardSession, Router#removeClient).       *)
DiscardsSubscriptions == TRUE

(* Whether c's session survives the end of its connection [MQTT-3.1.2-6   *)
(* (3.1.1); 5.0 3.1.2.11.2: Session Expiry Interval > 0].                 *)
SessionOutlivesConnection(c) == expiry[c] > 0

(* CONNACK's Session Present: 1 only if the CONNECT resumes a session the *)
(* server holds [MQTT-3.2.2-1/-2/-3 (3.1.1), MQTT-3.2.2-2/-3 (5.0)].      *)
SessionPresent(c, clean) == ~DiscardsSessionOnConnect(clean) /\ expiry[c] # NoSession

(* Whether c's session may expire now: only while c is offline            *)
(* [MQTT-4.1.0-1 (5.0)], and only with a finite, non-zero interval.       *)
SessionCanExpire(c) == ~connected[c] /\ expiry[c] \notin {0, NoSession, NeverExpires}

(* The in-flight messages still to be resent on this connection: after   *)
(* the reconnect of a kept session, all of them [MQTT-4.4.0-1].           *)
AwaitingResend(c) == {i \in DOMAIN out[c] : ~out[c][i].sent}

(* Which of them goes next: the first in send order, so that resends keep *)
(* their original order [MQTT-4.6.0-1] (core: Outbound#resendAll).        *)
NextResend(c) == CHOOSE i \in AwaitingResend(c) : \A j \in AwaitingResend(c) : i <= j

(* Whether new PUBLISHes may go out: only after every resend owed after a *)
(* reconnect [MQTT-4.6.0-1]; the core resends, then drains the queue.     *)
ResendsDone(c) == AwaitingResend(c) = {}

(* Whether a queued message whose Message Expiry Interval passed may be   *)
(* dropped from the in-flight window too: no, once onward delivery has    *)
(* started it is completed [MQTT-3.3.2-5 (5.0)].                           *)
ExpiryDropsInFlight == FALSE

(* What the server answers to a PUBREL: PUBCOMP [MQTT-4.3.3-2 (3.1.1),    *)
(* MQTT-4.3.3-11 (5.0)].                                                   *)
PubrelReply(pid) == << Pubcomp(pid) >>

(* Whether a member's session that ends hands its undelivered shared      *)
(* messages to another member: never [MQTT-4.8.2-4/-5 (5.0)].             *)
RedistributesShared == FALSE

(* The retained message of a topic after a RETAIN = 1 PUBLISH of m:       *)
(* replaced [MQTT-3.3.1-5], or removed by a zero-length payload           *)
(* [MQTT-3.3.1-10/-11 (3.1.1), MQTT-3.3.1-6/-7 (5.0)].                     *)
RetainAfter(m, info) == IF info.empty THEN NoRetained ELSE m

(* The retained messages a new subscription to f gets [MQTT-3.3.1-6       *)
(* (3.1.1), MQTT-3.3.1-9 (5.0), Retain Handling 0]; none for a shared one. *)
RetainedFor(c, f) ==
    IF f \in SharedFilters THEN {}
    ELSE {retained[t] : t \in {u \in Topics : Matches(f, u) /\ retained[u] # NoRetained}}

(* Whether the will survives this end of the connection: DISCONNECT 0x00  *)
(* deletes it [MQTT-3.1.2-10 (3.1.1: -8)]; 0x04 (5.0) and a lost          *)
(* connection publish it [MQTT-3.1.2-8 (5.0)].                             *)
WillSurvives(kind) == kind # "normal"

(* Whether the server deletes a will once published [MQTT-3.1.2-10].      *)
RemovesWillOncePublished == TRUE

(* Whether the Will Delay timer fires before the session ends: the will   *)
(* goes out at whichever comes first [MQTT-3.1.2-8 (5.0)] (core:          *)
(* Lifecycle#detach schedules it only if delay < expiry).                 *)
WillDelayEndsFirst(delay, exp) == delay < exp

(* Whether the end of a session publishes the will still waiting in it   *)
(* [MQTT-3.1.2-8 (5.0)] (core: Lifecycle#expiryDue, Lifecycle#connect).     *)
SessionEndPublishesWill == TRUE

(* Whether a new connection of c cancels its delayed will when it resumes *)
(* the session [MQTT-3.1.3-9 (5.0)].                                       *)
ReconnectCancelsWill == TRUE

(* The modelled client: the order in which it resends its in-flight       *)
(* messages when it resumes a session: publish order [MQTT-4.6.0-1].      *)
ClientResendOrder(seq) == seq

(* Whether the log is forced before the packets that depend on it go out. *)
(* The shell collects the durable records of a loop pass in one frame and *)
(* forces it before it writes any packet of the pass (nio-broker          *)
(* DurableCommit), so a step's records are durable before its PUBACK,     *)
(* PUBREC, CONNACK, SUBACK or PUBLISH can reach anyone, and a crash in    *)
(* the middle of a pass is a crash before it.  Each step of the spec is   *)
(* therefore durable as it happens (see Log).                             *)
ForcesBeforeAcknowledging == TRUE

(* What the log keeps of c's inbound QoS 2 identifiers awaiting PUBREL:   *)
(* all of them (core: DurableRecord.Qos2Received), so that a PUBLISH its  *)
(* publisher resends after a restart is answered, not routed again.       *)
DurableInQos2(c) == inQos2[c]

(* Whether the log keeps a kept session's will, of its connection or      *)
(* waiting for its delay (core: DurableRecord.SessionSaved), so that the  *)
(* restart publishes it as for any connection that ended without          *)
(* DISCONNECT [MQTT-3.1.2-8].                                             *)
LogKeepsWill == TRUE

(* How far the log says an outbound in-flight message got: PUBLISH sent,   *)
(* or PUBREC read and PUBREL sent (core: DurableRecord.Released), so that *)
(* a restart resends PUBREL, not the PUBLISH, once PUBREC arrived.        *)
DurableStage(e) == e.stage

(* The modelled client: whether it may hold PUBACK (QoS 1) and PUBCOMP    *)
(* back, each kind in order, while PUBREC and PUBREL go at once, as Paho  *)
(* does (it answers a PUBLISH once its application took the message).    *)
(* MQTT orders each kind of answer [MQTT-4.6.0-2/-3], not one kind        *)
(* against another, so a PUBREC may overtake an earlier PUBACK.  The      *)
(* models answer at once (FALSE); the trace validation of the running     *)
(* broker, whose clients are Paho, uses TRUE.                             *)
ClientAnswersLater == FALSE

-----------------------------------------------------------------------------
(***************************************************************************)
(* Helpers                                                                 *)
(***************************************************************************)

(* The packet at the head of a channel is of type t with identifier pid. *)
Arrives(ch, t, pid) == ch # << >> /\ Head(ch).type = t /\ Head(ch).pid = pid

(* The packet that (re)sends an in-flight message: PUBLISH with DUP = 1  *)
(* until PUBREC (or PUBACK) arrived, PUBREL afterwards.                    *)
ResendPacket(e) ==
    IF e.stage = "published" THEN Publish(e.msg, e.qos, e.pid, TRUE, e.retain, e.idx)
                             ELSE Pubrel(e.pid)

ClientResendPacket(e) ==
    IF e.stage = "published" THEN Publish(e.msg, e.qos, e.pid, TRUE, FALSE, 0)
                             ELSE Pubrel(e.pid)

(* A sequence of the elements of a finite set of integers, ascending. *)
RECURSIVE Ascending(_)
Ascending(S) == IF S = {} THEN << >>
                ELSE LET x == CHOOSE y \in S : \A z \in S : y <= z
                     IN  << x >> \o Ascending(S \ {x})

(* The orderings of a finite set as sequences. *)
Orderings(S) == {s \in [1..Cardinality(S) -> S] : Range(s) = S}

(* The server's session of c holds nothing. *)
SessionEmpty(c) ==
    /\ \A f \in Filters : subs[c][f] = NoSub
    /\ queue[c] = << >> /\ out[c] = << >> /\ inQos2[c] = {}

(* The history after c's current session ends: copies routed so far      *)
(* belong to an ended session.                                            *)
EndSessionHistory(c) ==
    sessionBase' = [sessionBase EXCEPT ![c] = [copies |-> Len(copies[c]),
                                               received |-> Len(received[c])]]

(* Discard the server's session of c (not its will: see its callers). *)
DiscardServerSession(c) ==
    /\ subs' = IF DiscardsSubscriptions THEN [subs EXCEPT ![c] = [f \in Filters |-> NoSub]]
                                        ELSE subs
    /\ queue' = [queue EXCEPT ![c] = << >>]
    /\ out' = [out EXCEPT ![c] = << >>]
    /\ inQos2' = [inQos2 EXCEPT ![c] = {}]
    /\ resentIds' = [resentIds EXCEPT ![c] = {}]
    /\ dropped' = [dropped EXCEPT ![c] = 0]

-----------------------------------------------------------------------------
(***************************************************************************)
(* Routing.  A message m published by `from` (an application PUBLISH the  *)
(* server read, or a will) goes to every client with a matching           *)
(* subscription: one copy per client for all its matching subscriptions,  *)
(* and for each matching share group, to the member `pick` chose.  Each   *)
(* copy is sent at once (QoS 0 to a connected client), queued (QoS 1/2,   *)
(* while the queue has room), or dropped.  These operators compute the    *)
(* next values; the actions assign them.                                  *)
(***************************************************************************)

(* The share groups whose filter matches t and which have members. *)
Members(g) == {s \in Clients : subs[s][g] # NoSub}
Groups(t) == {g \in SharedFilters : Matches(g, t) /\ Members(g) # {}}

(* The ways to choose one member per matching group. *)
Picks(t) == {p \in [Groups(t) -> Clients] : \A g \in Groups(t) : p[g] \in Members(g)}

(* The subscriptions of s that m (on topic t, from `from`) is routed with. *)
ViaOf(s, t, from, pick) ==
    {[filter |-> f, qos |-> subs[s][f].qos, noLocal |-> subs[s][f].noLocal] :
        f \in {g \in Filters \ SharedFilters :
                  subs[s][g] # NoSub /\ Matches(g, t) /\ ~NoLocalSkips(subs[s][g], s, from)}}
    \cup
    {[filter |-> g, qos |-> subs[s][g].qos, noLocal |-> FALSE] :
        g \in {h \in Groups(t) : s \in SharedRecipients(h, pick[h])}}

(* A set of vias as a sequence (one element unless CopiesFor is broken). *)
RECURSIVE ViaSeq(_)
ViaSeq(S) == IF S = {} THEN << >>
             ELSE LET v == CHOOSE x \in S : TRUE IN << v >> \o ViaSeq(S \ {v})

(* The copies of m for s, before their fate is known. *)
Drafts(s, m, info, src, pick) ==
    LET via == ViaOf(s, info.topic, info.from, pick)
        vs  == IF via = {} THEN << >> ELSE ViaSeq(CopiesFor(via))
    IN  [i \in 1..Len(vs) |->
            [msg |-> m, qos |-> CopyQos(info.qos, vs[i]), retain |-> FALSE, src |-> src,
             via |-> vs[i], kind |-> "routed"]]

Stores(s, q) == HeldInFlight(q) \/ (~connected[s] /\ QueuesOffline(q))
SendsNow(s, q) == connected[s] /\ ~HeldInFlight(q)

(* The fate of each of the drafts ds[i..] for s, in order, while n of the  *)
(* earlier ones joined the queue: sent at once, queued if the queue has   *)
(* room, else dropped; ahead is the queue's length for a dropped one.     *)
RECURSIVE Placement(_, _, _, _)
Placement(s, ds, i, n) ==
    IF i > Len(ds) THEN << >>
    ELSE LET q    == ds[i].qos
             fate == CASE SendsNow(s, q)                          -> "sent"
                       [] Stores(s, q) /\ QueueHasRoom(s, n + 1)  -> "stored"
                       [] Stores(s, q)                           -> "full"
                       [] OTHER                                  -> "lost"
         IN  << [fate |-> fate, ahead |-> IF fate = "full" THEN Len(queue[s]) + n ELSE 0] >>
             \o Placement(s, ds, i + 1, IF fate = "stored" THEN n + 1 ELSE n)

(* s's queue, channel, copies and drop count after the drafts ds reach it, *)
(* one after the other (the core delivers a routing's retained messages   *)
(* one by one).                                                           *)
DeliverTo(s, ds) ==
    LET pl        == Placement(s, ds, 1, 0)
        base      == Len(copies[s])
        queuedIdx == Ascending({i \in 1..Len(ds) : pl[i].fate = "stored"})
        sentIdx   == Ascending({i \in 1..Len(ds) : pl[i].fate = "sent"})
    IN  [copies |-> copies[s] \o
                    [i \in 1..Len(ds) |->
                        [msg |-> ds[i].msg, qos |-> ds[i].qos, retain |-> ds[i].retain,
                         src |-> ds[i].src, via |-> ds[i].via, kind |-> ds[i].kind,
                         online |-> connected[s] \/ ds[i].qos > 0, fate |-> pl[i].fate,
                         ahead |-> pl[i].ahead]],
         queue  |-> queue[s] \o
                    [k \in 1..Len(queuedIdx) |->
                        LET d == ds[queuedIdx[k]]
                        IN  [msg |-> d.msg, qos |-> d.qos, retain |-> d.retain,
                             idx |-> base + queuedIdx[k]]],
         wire   |-> toClient[s] \o
                    [k \in 1..Len(sentIdx) |->
                        LET d == ds[sentIdx[k]]
                        IN  Publish(d.msg, 0, NoPid, FALSE, d.retain, base + sentIdx[k])],
         dropped |-> dropped[s] + Cardinality({i \in 1..Len(ds) : pl[i].fate = "full"})]

(* Routing m (published with info) to every client. *)
Routing(m, info, src, pick) == [s \in Clients |-> DeliverTo(s, Drafts(s, m, info, src, pick))]

(* The retained store after routing m. *)
RetainedAfterRouting(m, info) ==
    IF info.retain THEN [retained EXCEPT ![info.topic] = RetainAfter(m, info)] ELSE retained

(* The assignments of a routing r of m, except toClient (callers may add). *)
ApplyRouting(r, m, info) ==
    /\ queue' = [s \in Clients |-> r[s].queue]
    /\ copies' = [s \in Clients |-> r[s].copies]
    /\ dropped' = [s \in Clients |-> r[s].dropped]
    /\ routeLog' = Append(routeLog, m)
    /\ retained' = RetainedAfterRouting(m, info)

WillInfo(c, w) ==
    [kind |-> "will", from |-> c, topic |-> w.topic, qos |-> w.qos, retain |-> w.retain,
     empty |-> FALSE, expires |-> FALSE, seq |-> 0, acked |-> FALSE]

-----------------------------------------------------------------------------
(***************************************************************************)
(* Connections                                                             *)
(***************************************************************************)

DueWill(c) == pendingWill[c] # NoWill /\ pendingWill[c].due

(* c connects (CONNECT/CONNACK) with Clean Start ch.clean, Session Expiry  *)
(* Interval ch.expiry and will w.  A clean start discards the session on   *)
(* both sides; the old session's waiting will goes out now                *)
(* [MQTT-3.1.2-8 (5.0)].  Otherwise CONNACK says Session Present = 1 if    *)
(* the server holds a session of c: the client resends its unacknowledged *)
(* PUBLISH and PUBREL packets at once, the server does so packet by       *)
(* packet in ReconnectResend, and a waiting will is cancelled             *)
(* [MQTT-3.1.3-9 (5.0)].  With Session Present = 0 the client discards    *)
(* its own session state [MQTT-3.2.2-5 (5.0)].                             *)
ClientConnect(c, ch, w) ==
    /\ ~connected[c]
    /\ ~DueWill(c)
    /\ ch \in ConnectChoices(c)
    /\ w = NoWill \/ /\ w \in WillChoices(c)
                     /\ msgInfo[w.msg] = NotPublished
                     /\ IF pendingWill[c] = NoWill THEN TRUE ELSE pendingWill[c].will.msg # w.msg
                     /\ Version = "3.1.1" => w.delay = 0
    /\ connected' = [connected EXCEPT ![c] = TRUE]
    /\ expiry' = [expiry EXCEPT ![c] = ch.expiry]
    /\ will' = [will EXCEPT ![c] = w]
    /\ IF DiscardsSessionOnConnect(ch.clean)
       THEN DiscardServerSession(c)
       ELSE UNCHANGED <<subs, queue, out, inQos2, resentIds, dropped>>
    /\ LET pw == pendingWill[c]
       IN  pendingWill' =
              [pendingWill EXCEPT ![c] =
                  IF pw = NoWill THEN NoWill
                  ELSE IF ch.clean
                       THEN IF SessionEndPublishesWill THEN [pw EXCEPT !.due = TRUE] ELSE NoWill
                       ELSE IF ReconnectCancelsWill THEN NoWill ELSE pw]
    /\ willStatus' =
          LET pw == pendingWill[c]
              s1 == IF pw # NoWill /\ ~ch.clean
                    THEN [willStatus EXCEPT ![pw.will.msg] = "superseded"] ELSE willStatus
          IN  IF w # NoWill THEN [s1 EXCEPT ![w.msg] = "registered"] ELSE s1
    /\ IF ch.clean \/ expiry[c] = NoSession
       THEN EndSessionHistory(c)       \* a new session starts
       ELSE UNCHANGED sessionBase
    /\ IF ch.clean \/ ~SessionPresent(c, ch.clean)
       THEN /\ cOut' = [cOut EXCEPT ![c] = << >>]
            /\ cIn' = [cIn EXCEPT ![c] = {}]
            /\ cSubs' = [cSubs EXCEPT ![c] = [f \in Filters |-> -1]]
            /\ UNCHANGED <<toServer, cAnswers>>
       ELSE /\ toServer' = [toServer EXCEPT ![c] =
                               LET rs == ClientResendOrder(cOut[c])
                               IN  [i \in 1..Len(rs) |-> ClientResendPacket(rs[i])]]
            /\ UNCHANGED clientVars
    /\ UNCHANGED <<crashVars, retained, toClient, msgInfo, routeLog, copies, received, sentCopies,
                   expired, expect, retainedSends, lost>>

(* The end of c's connection (DISCONNECT or loss): both channels lose     *)
(* their content.  A kept session stays, and its in-flight messages await *)
(* a resend; any other session ends on both sides (the client knows from  *)
(* the expiry it asked for).  A will that survives waits in the session   *)
(* if it has a delay and the session lives on; otherwise it is due now.   *)
EndConnection(c, kind) ==
    /\ ~DueWill(c)
    /\ connected' = [connected EXCEPT ![c] = FALSE]
    /\ toServer' = [toServer EXCEPT ![c] = << >>]
    /\ toClient' = [toClient EXCEPT ![c] = << >>]
    /\ expect' = [expect EXCEPT ![c] = {}]
    /\ LET kept == SessionOutlivesConnection(c)
           w    == will[c]
       IN  /\ IF kept
              THEN /\ out' = [out EXCEPT ![c] = [i \in DOMAIN @ |->
                                                  [@[i] EXCEPT !.sent = FALSE, !.resends = 0]]]
                   /\ resentIds' = [resentIds EXCEPT ![c] = {}]
                   /\ UNCHANGED <<subs, queue, inQos2, dropped, expiry>>
              ELSE /\ DiscardServerSession(c)
                   /\ expiry' = [expiry EXCEPT ![c] = NoSession]
           /\ pendingWill' = [pendingWill EXCEPT ![c] =
                                IF w # NoWill /\ WillSurvives(kind)
                                THEN [will |-> w, due |-> w.delay = 0 \/ ~kept]
                                ELSE NoWill]
           /\ will' = [will EXCEPT ![c] = NoWill]
           /\ willStatus' = IF w # NoWill THEN [willStatus EXCEPT ![w.msg] = kind]
                                          ELSE willStatus
    /\ cAnswers' = [cAnswers EXCEPT ![c] = << >>]   \* unsent answers die with the connection
    /\ IF expiry[c] = 0
       THEN /\ EndSessionHistory(c)
            /\ cOut' = [cOut EXCEPT ![c] = << >>]
            /\ cIn' = [cIn EXCEPT ![c] = {}]
            /\ cSubs' = [cSubs EXCEPT ![c] = [f \in Filters |-> -1]]
       ELSE UNCHANGED <<sessionBase, cOut, cIn, cSubs>>
    /\ UNCHANGED <<crashVars, retained, msgInfo, routeLog, copies, received, sentCopies, expired,
                   retainedSends>>

(* c sends DISCONNECT, with reason 0x00 (normal) or, 5.0, 0x04 (withWill). *)
(* The server has read everything c sent before it; what the server sent  *)
(* and c had not read is lost.  A client disconnects once its own         *)
(* publishes are acknowledged (as Paho's disconnect() quiesces); one that *)
(* gives up earlier leaves the session as a lost connection does.  This   *)
(* keeps the model finite: only the MaxDrops lost connections can make a  *)
(* client resend, so only they can duplicate a QoS 1 message.             *)
ClientDisconnect(c, kind) ==
    /\ connected[c]
    /\ kind \in {"normal", "withWill"}
    /\ kind = "withWill" => Version = "5.0"
    /\ toServer[c] = << >> /\ cAnswers[c] = << >>
    /\ cOut[c] = << >>
    /\ EndConnection(c, kind)
    /\ UNCHANGED lost

(* c's connection breaks, at any moment; everything in flight on it is lost. *)
ConnectionLost(c) ==
    /\ connected[c]
    /\ lost < MaxDrops
    /\ lost' = lost + 1
    /\ EndConnection(c, "lost")

(* 5.0: the Session Expiry Interval of c's offline session passed: the     *)
(* server discards the session [MQTT-4.1.0-2 (5.0)], and a will still      *)
(* waiting in it is due [MQTT-3.1.2-8 (5.0)].  3.1.1 has no expiry: the   *)
(* core keeps a CleanSession = 0 session until a clean start.             *)
SessionExpires(c) ==
    /\ Version = "5.0"
    /\ SessionCanExpire(c)
    /\ expiry' = [expiry EXCEPT ![c] = NoSession]
    /\ DiscardServerSession(c)
    /\ EndSessionHistory(c)
    /\ pendingWill' = [pendingWill EXCEPT ![c] =
                         IF @ = NoWill \/ @.due THEN @
                         ELSE IF SessionEndPublishesWill THEN [@ EXCEPT !.due = TRUE]
                         ELSE NoWill]
    /\ UNCHANGED <<crashVars, connected, will, retained, netVars, clientVars, msgInfo, routeLog,
                   copies, received, sentCopies, expired, expect, willStatus,
                   retainedSends, lost>>

(* The server publishes c's will: it is due, or its Will Delay Interval   *)
(* ran out before the session could end (core: Lifecycle#willDelayDue;    *)
(* a due will goes out in the same step as the connection's end or the    *)
(* session's, which the spec splits in two).                              *)
PublishWill(c) ==
    /\ pendingWill[c] # NoWill
    /\ LET p    == pendingWill[c]
           w    == p.will
           info == WillInfo(c, w)
       IN  /\ p.due \/ WillDelayEndsFirst(w.delay, expiry[c])
           /\ \E pick \in Picks(w.topic) :
                 LET r == Routing(w.msg, info, Len(routeLog) + 1, pick)
                 IN  /\ ApplyRouting(r, w.msg, info)
                     /\ toClient' = [s \in Clients |-> r[s].wire]
           /\ msgInfo' = [msgInfo EXCEPT ![w.msg] = info]
           /\ pendingWill' = [pendingWill EXCEPT ![c] =
                                IF RemovesWillOncePublished THEN NoWill ELSE @]
    /\ UNCHANGED <<crashVars, connected, expiry, subs, out, inQos2, resentIds, will, toServer,
                   clientVars, received, sentCopies, expired, sessionBase, expect,
                   willStatus, retainedSends, lost>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* Crash and restart.  The broker keeps a log of the durable view of its  *)
(* state (nio-broker's persistence, README "Persistence"): kept sessions  *)
(* and everything they hold, and the retained messages.  A crash (kill    *)
(* -9, or a failed write that stops the broker) loses every connection    *)
(* and all the rest: sessions that are not kept, QoS 0 copies on the      *)
(* wire, counters, and whatever the log had not been forced to hold.  The *)
(* restart rebuilds the server's state from the log alone, and every      *)
(* client finds its connection lost.  Crash and restart are one step:     *)
(* while the broker is down no client can connect, and time is abstract,  *)
(* so nothing the properties see can happen in between.                   *)
(***************************************************************************)

(* The durable view of c's session: what the log must hold of it. *)
DurableSessionOf(c) ==
    IF expiry[c] > 0
    THEN [expiry |-> expiry[c], subs |-> subs[c], queue |-> queue[c],
          out |-> [i \in DOMAIN out[c] |->
                     [out[c][i] EXCEPT !.sent = FALSE, !.resends = 0,
                                       !.stage = DurableStage(out[c][i])]],
          inQos2 |-> DurableInQos2(c),
          will |-> IF LogKeepsWill THEN will[c] ELSE NoWill,
          pendingWill |-> IF LogKeepsWill THEN pendingWill[c] ELSE NoWill]
    ELSE NoDurableSession

DurableView == [session |-> [c \in Clients |-> DurableSessionOf(c)], retained |-> retained]

(* What the log holds when the broker crashes.  The log is forced before  *)
(* the packets of a step go out, so between two steps it holds the        *)
(* durable view of the state: a step of the spec is at most one pass of   *)
(* the loop, and a crash inside a pass is a crash before it, as none of   *)
(* its packets was written.  Only a broken ForcesBeforeAcknowledging      *)
(* makes the log lag behind (durable, written by Persist).                *)
Log == IF ForcesBeforeAcknowledging THEN DurableView ELSE durable

Crashable == crashes < MaxCrashes

(* Only with a broken ForcesBeforeAcknowledging: the log catches up with  *)
(* steps whose packets went out before it.                                *)
Persist ==
    /\ ~ForcesBeforeAcknowledging
    /\ Crashable
    /\ durable # DurableView
    /\ durable' = DurableView
    /\ UNCHANGED <<connected, expiry, serverVars, netVars, clientVars, historyVars, crashes>>

(* The will a restarted session holds: the will of its connection, which  *)
(* ended without DISCONNECT, waits for its delay (due at once without     *)
(* one), or the will that already waited (core: a session saved as        *)
(* connected counts as disconnected at the start).                        *)
RestoredWill(d) == IF d.will # NoWill THEN [will |-> d.will, due |-> d.will.delay = 0]
                                      ELSE d.pendingWill

(* How a crash ends the connection of will m: as a lost connection if its *)
(* session is kept (the restart publishes the will), else the will dies   *)
(* with the broker, as its session does (history, from what the client    *)
(* asked for, not from the log).                                          *)
WillStatusAtCrash(m) ==
    LET owners == {c \in Clients : will[c] # NoWill /\ will[c].msg = m}
    IN  CASE owners = {}                      -> willStatus[m]
          [] \E c \in owners : expiry[c] > 0  -> "lost"
          [] OTHER                            -> "crashed"

(* The broker crashes and restarts from its log.  A client whose session   *)
(* was not kept (expiry 0) knows it ended with the connection; any other  *)
(* keeps its state and learns from Session Present whether the server did. *)
(* A will that is due goes out in the step that made it due (see          *)
(* PublishWill), so no crash comes in between.                            *)
Crash ==
    /\ Crashable
    /\ \A c \in Clients : ~DueWill(c)
    /\ crashes' = crashes + 1
    /\ LET d == Log.session
           ends(c) == connected[c] /\ expiry[c] = 0
       IN  /\ connected' = [c \in Clients |-> FALSE]
           /\ expiry' = [c \in Clients |-> d[c].expiry]
           /\ subs' = [c \in Clients |-> d[c].subs]
           /\ queue' = [c \in Clients |-> d[c].queue]
           /\ out' = [c \in Clients |-> d[c].out]
           /\ inQos2' = [c \in Clients |-> d[c].inQos2]
           /\ resentIds' = [c \in Clients |-> {}]
           /\ dropped' = [c \in Clients |-> 0]
           /\ will' = [c \in Clients |-> NoWill]
           /\ pendingWill' = [c \in Clients |-> RestoredWill(d[c])]
           /\ retained' = Log.retained
           /\ toServer' = [c \in Clients |-> << >>]
           /\ toClient' = [c \in Clients |-> << >>]
           /\ cOut' = [c \in Clients |-> IF ends(c) THEN << >> ELSE cOut[c]]
           /\ cIn' = [c \in Clients |-> IF ends(c) THEN {} ELSE cIn[c]]
           /\ cSubs' = [c \in Clients |-> IF ends(c) THEN [f \in Filters |-> -1] ELSE cSubs[c]]
           /\ cAnswers' = [c \in Clients |-> << >>]   \* unsent answers die with the connections
           /\ sessionBase' = [c \in Clients |->
                                IF ends(c) THEN [copies |-> Len(copies[c]), received |-> Len(received[c])]
                                ELSE sessionBase[c]]
           /\ expect' = [c \in Clients |-> {}]
           /\ willStatus' = [m \in Messages |-> WillStatusAtCrash(m)]
           /\ durable' = IF ForcesBeforeAcknowledging THEN durable
                          ELSE DurableView'   \* the snapshot of what the restart recovered
    /\ UNCHANGED <<msgInfo, routeLog, copies, received, sentCopies, expired, retainedSends, lost>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* Subscriptions (SUBSCRIBE/SUBACK, UNSUBSCRIBE/UNSUBACK as single steps). *)
(* A subscription to a filter c already has replaces it [MQTT-3.8.4-3].   *)
(* A new subscription gets the retained message of every matching topic,  *)
(* with RETAIN = 1, at min(its QoS, the granted QoS), queued or sent like *)
(* any other copy.  Messages already queued stay and are delivered.       *)
(***************************************************************************)

(* The retained messages c should get for a subscription to f: the last   *)
(* RETAIN = 1 message routed on each matching topic, unless it was empty   *)
(* (history, not the server's store).                                     *)
RetainedRoutings(t) ==
    {i \in DOMAIN routeLog : msgInfo[routeLog[i]].topic = t /\ msgInfo[routeLog[i]].retain}
LastRetained(t) ==
    IF RetainedRoutings(t) = {} THEN NoRetained
    ELSE LET m == routeLog[Max(RetainedRoutings(t))]
         IN  IF msgInfo[m].empty THEN NoRetained ELSE m
OwedRetained(f) ==
    IF f \in SharedFilters THEN {}
    ELSE {LastRetained(t) : t \in {u \in Topics : Matches(f, u) /\ LastRetained(u) # NoRetained}}
         \ {m \in Messages : msgInfo[m].expires}

(* A SUBSCRIBE changes a subscription or gets retained messages; the      *)
(* latter at most MaxRetainedSends times per client, to keep models finite. *)
ClientSubscribe(c, ch) ==
    /\ c \in Subscribers
    /\ connected[c]
    /\ ch \in SubscribeChoices(c)
    /\ LET gets == ch.filter \notin SharedFilters
                   /\ \E t \in Topics : Matches(ch.filter, t) /\ LastRetained(t) # NoRetained
       IN  /\ subs[c][ch.filter] # [qos |-> ch.qos, noLocal |-> ch.noLocal] \/ gets
           /\ gets => retainedSends[c] < MaxRetainedSends
           /\ retainedSends' = [retainedSends EXCEPT ![c] = IF gets THEN @ + 1 ELSE @]
    /\ subs' = [subs EXCEPT ![c][ch.filter] = [qos |-> ch.qos, noLocal |-> ch.noLocal]]
    /\ cSubs' = [cSubs EXCEPT ![c][ch.filter] = ch.qos]
    /\ LET via == {[filter |-> ch.filter, qos |-> ch.qos, noLocal |-> ch.noLocal]}
           ms  == RetainedFor(c, ch.filter)
       IN  \E order \in Orderings(ms) :
              LET ds == [i \in 1..Len(order) |->
                            [msg |-> order[i], qos |-> CopyQos(msgInfo[order[i]].qos, via),
                             retain |-> TRUE, src |-> 0, via |-> via, kind |-> "retained"]]
                  r  == DeliverTo(c, ds)
                  full == {ds[i].msg : i \in {j \in 1..Len(ds) : r.copies[Len(copies[c]) + j].fate = "full"}}
              IN  /\ queue' = [queue EXCEPT ![c] = r.queue]
                  /\ copies' = [copies EXCEPT ![c] = r.copies]
                  /\ toClient' = [toClient EXCEPT ![c] = r.wire]
                  /\ dropped' = [dropped EXCEPT ![c] = r.dropped]
                  /\ expect' = [expect EXCEPT ![c] = (@ \cup OwedRetained(ch.filter)) \ full]
    /\ UNCHANGED <<crashVars, connected, expiry, out, inQos2, resentIds, will, pendingWill, retained,
                   toServer, cOut, cIn, cAnswers, msgInfo, routeLog, received, sentCopies, expired,
                   sessionBase, willStatus, lost>>

ClientUnsubscribe(c, f) ==
    /\ connected[c]
    /\ subs[c][f] # NoSub
    /\ subs' = [subs EXCEPT ![c][f] = NoSub]
    /\ cSubs' = [cSubs EXCEPT ![c][f] = -1]
    /\ UNCHANGED <<crashVars, connected, expiry, queue, out, inQos2, resentIds, dropped, will,
                   pendingWill, retained, netVars, cOut, cIn, cAnswers, historyVars>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* Publisher -> server                                                     *)
(***************************************************************************)

(* The messages an application may publish next. *)
Publishable == {m \in Messages \ WillMessages : msgInfo[m] = NotPublished}

AppPublishes == Cardinality({m \in Messages : msgInfo[m].kind = "app"})

(* c's application publishes m (topic, QoS, RETAIN, ... from ch); c sends  *)
(* PUBLISH with identifier pid (NoPid for QoS 0) and keeps a QoS 1/2      *)
(* message until it is acknowledged.                                      *)
ClientPublish(c, m, ch, pid) ==
    /\ c \in Publishers
    /\ connected[c]
    /\ m \in Publishable
    /\ ch \in PublishChoices(c)
    /\ ch.expires => Version = "5.0"
    /\ IF ch.qos = 0 THEN pid = NoPid
                     ELSE pid \in PacketIds \ {cOut[c][i].pid : i \in DOMAIN cOut[c]}
    /\ msgInfo' = [msgInfo EXCEPT ![m] =
                     [kind |-> "app", from |-> c, topic |-> ch.topic, qos |-> ch.qos,
                      retain |-> ch.retain, empty |-> ch.empty, expires |-> ch.expires,
                      seq |-> AppPublishes + 1, acked |-> FALSE]]
    /\ toServer' = [toServer EXCEPT ![c] = Append(@, Publish(m, ch.qos, pid, FALSE, ch.retain, 0))]
    /\ cOut' = IF ch.qos = 0 THEN cOut
               ELSE [cOut EXCEPT ![c] = Append(@,
                       [pid |-> pid, msg |-> m, qos |-> ch.qos, stage |-> "published"])]
    /\ UNCHANGED <<crashVars, connected, expiry, serverVars, toClient, cIn, cSubs, cAnswers, routeLog, copies,
                   received, sentCopies, expired, sessionBase, expect, willStatus,
                   retainedSends, lost>>

(* The server reads PUBLISH m at QoS q from c.  It routes the message     *)
(* (choosing a member of each matching share group), unless it is a      *)
(* repeated QoS 2 PUBLISH, and then answers PUBACK (QoS 1) or PUBREC       *)
(* (QoS 2).  QoS 1 is routed on every copy: at least once.  QoS 2 is      *)
(* routed once and its identifier kept until PUBREL: exactly once         *)
(* ("method B" of the 3.1.1 spec, 4.3.3).                                  *)
ServerReceivesPublish(c, m, q, pid) ==
    /\ toServer[c] # << >>
    /\ Head(toServer[c]).type = "PUBLISH"
    /\ Head(toServer[c]).msg = m
    /\ Head(toServer[c]).qos = q
    /\ Head(toServer[c]).pid = pid
    /\ LET info  == msgInfo[m]
           reply == CASE q = 0 -> << >>
                      [] q = 1 -> << Puback(pid) >>
                      [] q = 2 -> << Pubrec(pid) >>
       IN  /\ toServer' = [toServer EXCEPT ![c] = Tail(@)]
           /\ inQos2' = IF q = 2 THEN [inQos2 EXCEPT ![c] = @ \cup {pid}] ELSE inQos2
           /\ IF q < 2 \/ ~IsDuplicateQos2(c, pid)
              THEN \E pick \in Picks(info.topic) :
                      LET r == Routing(m, info, Len(routeLog) + 1, pick)
                      IN  /\ ApplyRouting(r, m, info)
                          /\ toClient' = [s \in Clients |->
                                            IF s = c THEN r[s].wire \o reply ELSE r[s].wire]
              ELSE /\ toClient' = [toClient EXCEPT ![c] = @ \o reply]
                   /\ UNCHANGED <<queue, copies, dropped, routeLog, retained>>
    /\ UNCHANGED <<crashVars, connected, expiry, subs, out, resentIds, will, pendingWill, clientVars,
                   msgInfo, received, sentCopies, expired, sessionBase, expect, willStatus,
                   retainedSends, lost>>

(* The server reads PUBREL from c: the QoS 2 message is complete on the   *)
(* inbound side; the identifier may be reused by c.                       *)
ServerReceivesPubrel(c, pid) ==
    /\ Arrives(toServer[c], "PUBREL", pid)
    /\ toServer' = [toServer EXCEPT ![c] = Tail(@)]
    /\ inQos2' = [inQos2 EXCEPT ![c] = @ \ {pid}]
    /\ toClient' = [toClient EXCEPT ![c] = @ \o PubrelReply(pid)]
    /\ UNCHANGED <<crashVars, connected, expiry, subs, queue, out, resentIds, dropped, will,
                   pendingWill, retained, clientVars, historyVars>>

(* The messages of c that a PUBACK (q = 1) or PUBREC (q = 2) with         *)
(* identifier pid acknowledges, and msgInfo with them marked acknowledged. *)
AckedBy(c, pid, q) ==
    {cOut[c][i].msg : i \in {j \in DOMAIN cOut[c] :
        cOut[c][j].pid = pid /\ cOut[c][j].qos = q /\ cOut[c][j].stage = "published"}}
(* Only the crash models' properties read acked; the others do not record *)
(* it, so they keep their state counts.                                   *)
MarkAcked(ms) == [m \in Messages |-> IF m \in ms /\ MaxCrashes > 0
                                    THEN [msgInfo[m] EXCEPT !.acked = TRUE]
                                    ELSE msgInfo[m]]

(* c reads PUBACK: its QoS 1 publish is done. *)
ClientReceivesPuback(c, pid) ==
    /\ Arrives(toClient[c], "PUBACK", pid)
    /\ toClient' = [toClient EXCEPT ![c] = Tail(@)]
    /\ cOut' = [cOut EXCEPT ![c] = SelectSeq(@, LAMBDA e : ~(e.pid = pid /\ e.qos = 1))]
    /\ msgInfo' = MarkAcked(AckedBy(c, pid, 1))
    /\ UNCHANGED <<crashVars, connected, expiry, serverVars, toServer, cIn, cSubs, cAnswers, routeLog,
                   copies, received, sentCopies, expired, sessionBase, expect, willStatus,
                   retainedSends, lost>>

(* c reads PUBREC: it sends PUBREL and from now on resends PUBREL, never   *)
(* the PUBLISH again.                                                     *)
ClientReceivesPubrec(c, pid) ==
    /\ Arrives(toClient[c], "PUBREC", pid)
    /\ toClient' = [toClient EXCEPT ![c] = Tail(@)]
    /\ IF \E i \in DOMAIN cOut[c] : cOut[c][i].pid = pid /\ cOut[c][i].qos = 2
       THEN /\ cOut' = [cOut EXCEPT ![c] = [i \in DOMAIN @ |->
                          IF @[i].pid = pid THEN [@[i] EXCEPT !.stage = "released"] ELSE @[i]]]
            /\ toServer' = [toServer EXCEPT ![c] = Append(@, Pubrel(pid))]
       ELSE UNCHANGED <<cOut, toServer>>
    /\ msgInfo' = MarkAcked(AckedBy(c, pid, 2))
    /\ UNCHANGED <<crashVars, connected, expiry, serverVars, cIn, cSubs, cAnswers, routeLog, copies,
                   received, sentCopies, expired, sessionBase, expect, willStatus, retainedSends, lost>>

(* c reads PUBCOMP: its QoS 2 publish is done. *)
ClientReceivesPubcomp(c, pid) ==
    /\ Arrives(toClient[c], "PUBCOMP", pid)
    /\ toClient' = [toClient EXCEPT ![c] = Tail(@)]
    /\ cOut' = [cOut EXCEPT ![c] = SelectSeq(@, LAMBDA e : ~(e.pid = pid /\ e.stage = "released"))]
    /\ UNCHANGED <<crashVars, connected, expiry, serverVars, toServer, cIn, cSubs, cAnswers, historyVars>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* Server -> subscriber                                                    *)
(***************************************************************************)

(* The server sends the message at the head of c's queue: a QoS 1/2 one   *)
(* with a free packet identifier pid (it goes in flight, in send order),  *)
(* once every resend owed after a reconnect has gone out and c's receive  *)
(* quota allows it; a QoS 0 one (only a broken QueuesOffline queues it)   *)
(* as it is.                                                              *)
ServerSendsPublish(c, m, pid) ==
    /\ connected[c]
    /\ queue[c] # << >>
    /\ Head(queue[c]).msg = m
    /\ ResendsDone(c)
    /\ LET e == Head(queue[c]) IN
       /\ queue' = [queue EXCEPT ![c] = Tail(@)]
       /\ sentCopies' = IF msgInfo[m].expires THEN [sentCopies EXCEPT ![c] = @ \cup {e.idx}]
                                              ELSE sentCopies
       /\ IF HeldInFlight(e.qos)
          THEN /\ SendQuotaAvailable(c)
               /\ pid \in FreePacketIds(c)
               /\ out' = [out EXCEPT ![c] = Append(@,
                            [pid |-> pid, msg |-> m, qos |-> e.qos, retain |-> e.retain,
                             idx |-> e.idx, stage |-> "published", sent |-> TRUE,
                             resends |-> 0])]
               /\ toClient' = [toClient EXCEPT ![c] =
                                 Append(@, Publish(m, e.qos, pid, FALSE, e.retain, e.idx))]
          ELSE /\ pid = NoPid
               /\ toClient' = [toClient EXCEPT ![c] =
                                 Append(@, Publish(m, e.qos, NoPid, FALSE, e.retain, e.idx))]
               /\ UNCHANGED out
    /\ UNCHANGED <<crashVars, connected, expiry, subs, inQos2, resentIds, dropped, will, pendingWill,
                   retained, toServer, clientVars, msgInfo, routeLog, copies, received,
                   expired, sessionBase, expect, willStatus, retainedSends, lost>>

(* 5.0: the message at the head of c's queue carries a Message Expiry      *)
(* Interval, and it passed before the server could start onward delivery: *)
(* the copy is deleted [MQTT-3.3.2-5 (5.0)] (core: Outbound#readyToSend,  *)
(* when the queue drains).                                                *)
QueuedMessageExpires(c) ==
    /\ queue[c] # << >>
    /\ msgInfo[Head(queue[c]).msg].expires
    /\ queue' = [queue EXCEPT ![c] = Tail(@)]
    /\ expired' = [expired EXCEPT ![c] = @ \cup {Head(queue[c]).idx}]
    /\ UNCHANGED <<crashVars, connected, expiry, subs, out, inQos2, resentIds, dropped, will,
                   pendingWill, retained, netVars, clientVars, msgInfo, routeLog, copies,
                   received, sentCopies, sessionBase, expect, willStatus, retainedSends, lost>>

(* Only with a broken ExpiryDropsInFlight: an in-flight PUBLISH of an      *)
(* expiring message is dropped instead of resent after a reconnect.       *)
InFlightMessageExpires(c) ==
    /\ ExpiryDropsInFlight
    /\ \E i \in AwaitingResend(c) :
          /\ out[c][i].stage = "published"
          /\ msgInfo[out[c][i].msg].expires
          /\ out' = [out EXCEPT ![c] = SubSeq(@, 1, i - 1) \o SubSeq(@, i + 1, Len(@))]
          /\ expired' = [expired EXCEPT ![c] = @ \cup {out[c][i].idx}]
    /\ UNCHANGED <<crashVars, connected, expiry, subs, queue, inQos2, resentIds, dropped, will,
                   pendingWill, retained, netVars, clientVars, msgInfo, routeLog, copies,
                   received, sentCopies, sessionBase, expect, willStatus, retainedSends, lost>>

(* After c resumed its kept session, the server resends the in-flight     *)
(* message with identifier pid, the next one in send order: PUBLISH with  *)
(* DUP = 1, or PUBREL if PUBREC had arrived [MQTT-4.4.0-1].                *)
ReconnectResend(c, pid) ==
    /\ connected[c]
    /\ AwaitingResend(c) # {}
    /\ LET i == NextResend(c) IN
       /\ out[c][i].pid = pid
       /\ out' = [out EXCEPT ![c][i].sent = TRUE]
       /\ toClient' = [toClient EXCEPT ![c] = Append(@, ResendPacket(out[c][i]))]
    /\ UNCHANGED <<crashVars, connected, expiry, subs, queue, inQos2, resentIds, dropped, will,
                   pendingWill, retained, toServer, clientVars, historyVars>>

(* 3.1.1 only: the server resends an unacknowledged packet inside the      *)
(* connection after a timeout (the core's onResendDeadline), at most      *)
(* MaxTimedResends times.  5.0 forbids this [MQTT-4.4.0-1 (5.0)].           *)
TimedResend(c, pid) ==
    /\ Version = "3.1.1"
    /\ connected[c]
    /\ \E i \in DOMAIN out[c] :
          /\ out[c][i].pid = pid
          /\ out[c][i].sent
          /\ out[c][i].resends < MaxTimedResends
          /\ out' = [out EXCEPT ![c][i].resends = @ + 1]
          /\ toClient' = [toClient EXCEPT ![c] = Append(@, ResendPacket(out[c][i]))]
    /\ resentIds' = [resentIds EXCEPT ![c] = @ \cup {pid}]
    /\ UNCHANGED <<crashVars, connected, expiry, subs, queue, inQos2, dropped, will, pendingWill,
                   retained, toServer, clientVars, historyVars>>

(* c reads PUBLISH m at QoS q.  QoS 0 and 1: handed to the application     *)
(* every time (QoS 1 may therefore duplicate).  QoS 2: handed over only if *)
(* pid is not awaiting PUBREL already; answered PUBREC either way.         *)
ClientReceivesPublish(c, m, q, pid) ==
    /\ toClient[c] # << >>
    /\ Head(toClient[c]).type = "PUBLISH"
    /\ Head(toClient[c]).msg = m
    /\ Head(toClient[c]).qos = q
    /\ Head(toClient[c]).pid = pid
    /\ LET p     == Head(toClient[c])
           new   == q < 2 \/ ~\E e \in cIn[c] : e.pid = pid
           reply == CASE q = 0 -> << >>
                      [] q = 1 -> << Puback(pid) >>
                      [] q = 2 -> << Pubrec(pid) >>
           later == ClientAnswersLater /\ q = 1
       IN  /\ toClient' = [toClient EXCEPT ![c] = Tail(@)]
           /\ toServer' = IF later THEN toServer ELSE [toServer EXCEPT ![c] = @ \o reply]
           /\ cAnswers' = IF later THEN [cAnswers EXCEPT ![c] = @ \o reply] ELSE cAnswers
           /\ received' = IF new THEN [received EXCEPT ![c] =
                                         Append(@, [idx |-> p.idx, qos |-> q, retain |-> p.retain])]
                                 ELSE received
           /\ expect' = IF new /\ p.retain THEN [expect EXCEPT ![c] = @ \ {m}] ELSE expect
           /\ cIn' = IF q = 2 /\ new THEN [cIn EXCEPT ![c] = @ \cup {[pid |-> pid, idx |-> p.idx]}]
                                     ELSE cIn
    /\ UNCHANGED <<crashVars, connected, expiry, serverVars, cOut, cSubs, msgInfo, routeLog, copies,
                   sentCopies, expired, sessionBase, willStatus, retainedSends, lost>>

(* c reads PUBREL: it forgets pid and answers PUBCOMP. *)
ClientReceivesPubrel(c, pid) ==
    /\ Arrives(toClient[c], "PUBREL", pid)
    /\ toClient' = [toClient EXCEPT ![c] = Tail(@)]
    /\ cIn' = [cIn EXCEPT ![c] = {e \in @ : e.pid # pid}]
    /\ IF ClientAnswersLater
       THEN /\ cAnswers' = [cAnswers EXCEPT ![c] = Append(@, Pubcomp(pid))]
            /\ UNCHANGED toServer
       ELSE /\ toServer' = [toServer EXCEPT ![c] = Append(@, Pubcomp(pid))]
            /\ UNCHANGED cAnswers
    /\ UNCHANGED <<crashVars, connected, expiry, serverVars, cOut, cSubs, historyVars>>

(* With ClientAnswersLater: c sends an answer it holds, the oldest of its  *)
(* kind: PUBACKs go in the order their PUBLISHes came [MQTT-4.6.0-2], and   *)
(* so do PUBCOMPs, but a PUBCOMP may overtake a PUBACK (Paho 5.0 answers   *)
(* PUBREL at once, PUBLISH after its application took the message).       *)
ClientSendsAnswer(c) ==
    \E i \in DOMAIN cAnswers[c] :
       /\ \A j \in 1..(i - 1) : cAnswers[c][j].type # cAnswers[c][i].type
       /\ toServer' = [toServer EXCEPT ![c] = Append(@, cAnswers[c][i])]
       /\ cAnswers' = [cAnswers EXCEPT ![c] = SubSeq(@, 1, i - 1) \o SubSeq(@, i + 1, Len(@))]
       /\ UNCHANGED <<crashVars, connected, expiry, serverVars, toClient, cOut, cIn, cSubs, historyVars>>

(* The server reads PUBACK from c: the QoS 1 message is done. *)
ServerReceivesPuback(c, pid) ==
    /\ Arrives(toServer[c], "PUBACK", pid)
    /\ toServer' = [toServer EXCEPT ![c] = Tail(@)]
    /\ out' = [out EXCEPT ![c] = SelectSeq(@, LAMBDA e : ~(e.pid = pid /\ e.qos = 1))]
    /\ UNCHANGED <<crashVars, connected, expiry, subs, queue, inQos2, resentIds, dropped, will,
                   pendingWill, retained, toClient, clientVars, historyVars>>

(* The server reads PUBREC from c: it sends PUBREL and from now on resends *)
(* PUBREL, never the PUBLISH [MQTT-4.3.3-1 (3.1.1)].  The message keeps    *)
(* its place in the send order.  PUBREL is a new packet, so its timed      *)
(* resends are counted afresh (core: InflightMessage.released):            *)
(* MaxTimedResends bounds each packet, not the whole flow.                 *)
ServerReceivesPubrec(c, pid) ==
    /\ Arrives(toServer[c], "PUBREC", pid)
    /\ toServer' = [toServer EXCEPT ![c] = Tail(@)]
    /\ IF \E i \in DOMAIN out[c] : out[c][i].pid = pid /\ out[c][i].qos = 2
       THEN /\ out' = [out EXCEPT ![c] = [i \in DOMAIN @ |->
                         IF @[i].pid = pid THEN [@[i] EXCEPT !.stage = "released", !.resends = 0]
                                             ELSE @[i]]]
            /\ toClient' = [toClient EXCEPT ![c] = Append(@, Pubrel(pid))]
       ELSE UNCHANGED <<out, toClient>>
    /\ UNCHANGED <<crashVars, connected, expiry, subs, queue, inQos2, resentIds, dropped, will,
                   pendingWill, retained, clientVars, historyVars>>

(* The server reads PUBCOMP from c: the QoS 2 message is done. *)
ServerReceivesPubcomp(c, pid) ==
    /\ Arrives(toServer[c], "PUBCOMP", pid)
    /\ toServer' = [toServer EXCEPT ![c] = Tail(@)]
    /\ out' = [out EXCEPT ![c] = SelectSeq(@, LAMBDA e : ~(e.pid = pid /\ e.stage = "released"))]
    /\ UNCHANGED <<crashVars, connected, expiry, subs, queue, inQos2, resentIds, dropped, will,
                   pendingWill, retained, toClient, clientVars, historyVars>>

(* Only with a broken RedistributesShared: the offline session of c hands *)
(* a queued shared message to another, connected member of its group.    *)
SharedMessageRedistributed(c) ==
    /\ RedistributesShared
    /\ ~connected[c]
    /\ queue[c] # << >>
    /\ LET e == Head(queue[c])
           cp == copies[c][e.idx]
       IN  \E v \in cp.via, s \in Clients \ {c} :
              /\ v.filter \in SharedFilters /\ connected[s]
              /\ subs[s][v.filter] # NoSub
              /\ LET ds == << [msg |-> e.msg, qos |-> e.qos, retain |-> FALSE, src |-> cp.src,
                               via |-> {[v EXCEPT !.qos = subs[s][v.filter].qos]},
                               kind |-> "routed"] >>
                     r  == DeliverTo(s, ds)
                 IN  /\ queue' = [queue EXCEPT ![c] = Tail(@), ![s] = r.queue]
                     /\ copies' = [copies EXCEPT ![s] = r.copies]
                     /\ toClient' = [toClient EXCEPT ![s] = r.wire]
                     /\ dropped' = [dropped EXCEPT ![s] = r.dropped]
    /\ UNCHANGED <<crashVars, connected, expiry, subs, out, inQos2, resentIds, will, pendingWill,
                   retained, toServer, clientVars, msgInfo, routeLog, received, sentCopies,
                   expired, sessionBase, expect, willStatus, retainedSends, lost>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* The next-state relation, grouped by who acts.  The environment (the    *)
(* clients' applications, the network and time) acts when it likes; the  *)
(* server and the clients' protocol engines are fair.                     *)
(***************************************************************************)
Environment ==
    \E c \in Clients :
        \/ \E ch \in ConnectChoices(c), w \in WillChoices(c) \cup {NoWill} : ClientConnect(c, ch, w)
        \/ \E k \in DisconnectChoices(c) : ClientDisconnect(c, k)
        \/ ConnectionLost(c)
        \/ \E ch \in SubscribeChoices(c) : ClientSubscribe(c, ch)
        \/ \E f \in UnsubscribeChoices(c) : ClientUnsubscribe(c, f)
        \/ \E m \in Publishable, ch \in PublishChoices(c), pid \in PacketIds \cup {NoPid} :
              ClientPublish(c, m, ch, pid)
        \/ \E pid \in PacketIds : TimedResend(c, pid)
        \/ QueuedMessageExpires(c)
        \/ InFlightMessageExpires(c)
        \/ SharedMessageRedistributed(c)

ServerReceives(c) ==
    \/ \E m \in Messages, q \in QoS, pid \in PacketIds \cup {NoPid} :
          ServerReceivesPublish(c, m, q, pid)
    \/ \E pid \in PacketIds :
          \/ ServerReceivesPuback(c, pid)
          \/ ServerReceivesPubrec(c, pid)
          \/ ServerReceivesPubrel(c, pid)
          \/ ServerReceivesPubcomp(c, pid)

ServerSends(c) ==
    \E m \in Messages, pid \in FreePacketIds(c) \cup {NoPid} : ServerSendsPublish(c, m, pid)

ServerResends(c) == \E pid \in PacketIds : ReconnectResend(c, pid)

(* The server's timers: a will delay and a session expiry that have begun *)
(* eventually run out, unless the client comes back first.                *)
ServerTimers(c) == PublishWill(c) \/ SessionExpires(c)

ClientReceives(c) ==
    \/ \E m \in Messages, q \in QoS, pid \in PacketIds \cup {NoPid} :
          ClientReceivesPublish(c, m, q, pid)
    \/ \E pid \in PacketIds :
          \/ ClientReceivesPuback(c, pid)
          \/ ClientReceivesPubrec(c, pid)
          \/ ClientReceivesPubrel(c, pid)
          \/ ClientReceivesPubcomp(c, pid)
    \/ ClientSendsAnswer(c)

Next ==
    \/ Environment
    \/ \E c \in Clients :
          \/ ServerReceives(c) \/ ServerSends(c) \/ ServerResends(c)
          \/ ServerTimers(c) \/ ClientReceives(c)
    \/ Crash      \* the environment too: at most MaxCrashes of them
    \/ Persist

(* Everything the server does for one client, timers included. *)
Server(c) == ServerReceives(c) \/ ServerSends(c) \/ ServerResends(c) \/ ServerTimers(c)

(* ENABLED Server(c) and ENABLED ClientReceives(c), written out.  TLC     *)
(* would otherwise compute ENABLED by evaluating each action (routing     *)
(* included) in every state for every fairness condition, which made the *)
(* liveness models ten times slower.  FairnessPredicatesExact checks that *)
(* they equal ENABLED.                                                    *)
ServerCanAct(c) ==
    \/ toServer[c] # << >>
    \/ /\ connected[c] /\ queue[c] # << >>
       /\ ResendsDone(c)
       /\ HeldInFlight(Head(queue[c]).qos) => SendQuotaAvailable(c) /\ FreePacketIds(c) # {}
    \/ connected[c] /\ AwaitingResend(c) # {}
    \/ /\ pendingWill[c] # NoWill
       /\ pendingWill[c].due \/ WillDelayEndsFirst(pendingWill[c].will.delay, expiry[c])
    \/ Version = "5.0" /\ SessionCanExpire(c)
ClientCanAct(c) == toClient[c] # << >> \/ cAnswers[c] # << >>

FairnessPredicatesExact ==
    \A c \in Clients : /\ ServerCanAct(c) = ENABLED Server(c)
                       /\ ClientCanAct(c) = ENABLED ClientReceives(c)

(* The server and the clients' protocol engines never stop while they have *)
(* something to do, and timers fire.  Timed resends, message expiry and   *)
(* the environment are not fair.  One weak fairness condition per client  *)
(* and side, not one per action, written with the predicates above.  It   *)
(* is as strong here as one per action, because no server action can     *)
(* happen infinitely often while another stays enabled: reading needs a  *)
(* client's packets, which answer the server's, and the messages, lost   *)
(* connections and therefore resends are finite.                         *)
Fairness ==
    \A c \in Clients :
        /\ []<>~ServerCanAct(c) \/ []<><<Server(c)>>_vars          \* WF_vars(Server(c))
        /\ []<>~ClientCanAct(c) \/ []<><<ClientReceives(c)>>_vars  \* WF_vars(ClientReceives(c))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
(***************************************************************************)
(* History views used by the properties                                    *)
(***************************************************************************)

CopyOf(c, k) == copies[c][received[c][k].idx]
HandOvers(c, i) == {k \in DOMAIN received[c] : received[c][k].idx = i}
HandedOver(c, i) == HandOvers(c, i) # {}

(* The hand-overs to c of message m by routing (retained copies excluded). *)
RoutedHandOvers(c, m) ==
    {k \in DOMAIN received[c] : CopyOf(c, k).msg = m /\ CopyOf(c, k).kind = "routed"}

(* Copies of c's current session stored in it and not yet handed over. *)
Owed(c) == {i \in (sessionBase[c].copies + 1)..Len(copies[c]) :
               copies[c][i].fate = "stored" /\ copies[c][i].qos > 0 /\ ~HandedOver(c, i)}
OwedMessages(c) == {copies[c][i].msg : i \in Owed(c) \ expired[c]}

InQueue(c, i) == \E k \in DOMAIN queue[c] : queue[c][k].idx = i
InFlightUnacked(c, i) == \E k \in DOMAIN out[c] : out[c][k].idx = i /\ out[c][k].stage = "published"

(* The first hand-over of each copy to c, in order (positions in received). *)
FirstHandOvers(c) ==
    {k \in DOMAIN received[c] : \A j \in 1..(k - 1) : received[c][j].idx # received[c][k].idx}

FirstRouting(m) == CHOOSE i \in DOMAIN routeLog : routeLog[i] = m /\ \A j \in 1..(i - 1) : routeLog[j] # m

(* The packet identifiers of server -> c flows that c's connection still   *)
(* carries or c still holds: PUBLISH and PUBREL towards c, PUBACK, PUBREC  *)
(* and PUBCOMP towards the server, QoS 2 copies awaiting PUBREL.          *)
OutstandingPids(c) ==
    {toClient[c][i].pid : i \in {j \in DOMAIN toClient[c] :
        \/ toClient[c][j].type = "PUBLISH" /\ toClient[c][j].qos > 0
        \/ toClient[c][j].type = "PUBREL"}}
    \cup {toServer[c][i].pid : i \in {j \in DOMAIN toServer[c] :
        toServer[c][j].type \in {"PUBACK", "PUBREC", "PUBCOMP"}}}
    \cup {e.pid : e \in cIn[c]}
    \cup {cAnswers[c][i].pid : i \in DOMAIN cAnswers[c]}

-----------------------------------------------------------------------------
(***************************************************************************)
(* Invariants: guarantees about what applications receive                  *)
(***************************************************************************)

(* Every hand-over has QoS min(publish QoS, the highest QoS granted to the *)
(* matching subscriptions the copy was routed with).                      *)
DeliveredQosIsMinimum ==
    \A c \in Clients : \A k \in DOMAIN received[c] :
        received[c][k].qos = Min(msgInfo[CopyOf(c, k).msg].qos, MaxGranted(CopyOf(c, k).via))

(* A message that reaches an application at QoS 2 reaches it once, over  *)
(* any number of drops and reconnects of a kept session (a retained copy  *)
(* sent on a later SUBSCRIBE is a new delivery).                          *)
Qos2DeliveredAtMostOnce ==
    \A c \in Clients, m \in Messages :
        (\E k \in RoutedHandOvers(c, m) : received[c][k].qos = 2)
            => Cardinality(RoutedHandOvers(c, m)) = 1

(* A message published at QoS 0 reaches an application at most once. *)
Qos0DeliveredAtMostOnce ==
    \A c \in Clients, m \in Messages :
        msgInfo[m].qos = 0 => Cardinality(RoutedHandOvers(c, m)) <= 1

(* A QoS 0 copy reaches an application only if it was routed while the    *)
(* client was connected: QoS 0 is not kept for an offline client.         *)
Qos0OnlyWhileConnected ==
    \A c \in Clients : \A k \in DOMAIN received[c] :
        received[c][k].qos = 0 => CopyOf(c, k).online

(* The packet identifier of a server -> client flow is not given to       *)
(* another message while the client may still see or hold that flow      *)
(* [MQTT-2.3.1-2/-4 (3.1.1), MQTT-2.2.1-3/-4 (5.0)].                       *)
PacketIdsNotReused ==
    \A c \in Clients :
        LET pubs == {toClient[c][i] : i \in {j \in DOMAIN toClient[c] :
                        toClient[c][j].type = "PUBLISH" /\ toClient[c][j].qos > 0}}
        IN  /\ \A p1, p2 \in pubs : p1.pid = p2.pid => p1.idx = p2.idx
            /\ \A p \in pubs, e \in cIn[c] : p.pid = e.pid => p.idx = e.idx

(* Never more server -> client flows open on a client's connection than   *)
(* its Receive Maximum (5.0) [MQTT-3.3.4-9], or than there are packet     *)
(* identifiers (3.1.1).                                                   *)
ReceiveMaximumRespected ==
    \A c \in Clients : Cardinality(OutstandingPids(c)) <= Window

(* Once a session ended (its connection ended with expiry 0, a clean      *)
(* start replaced it, or it expired), its client's application gets no    *)
(* further copy of a message routed into it [MQTT-3.1.2-6 (3.1.1),        *)
(* MQTT-3.1.2-4, MQTT-4.1.0-2 (5.0)].                                     *)
NoDeliveryFromEndedSession ==
    \A c \in Clients :
        \A k \in (sessionBase[c].received + 1)..Len(received[c]) :
            received[c][k].idx > sessionBase[c].copies

(* While c is connected, the server's subscriptions of c are the ones c   *)
(* made in its current session, at the QoS granted [MQTT-3.8.4-3, and the  *)
(* clean start rules].                                                    *)
SubscriptionsAreTheClients ==
    \A c \in Clients : connected[c] =>
        \A f \in Filters : (subs[c][f] = NoSub /\ cSubs[c][f] = -1)
                           \/ (subs[c][f] # NoSub /\ subs[c][f].qos = cSubs[c][f])

(* At least once, as a state invariant: a QoS 1/2 copy the server accepted *)
(* into c's session stays in it, queued or in flight awaiting PUBACK /    *)
(* PUBREC, until c's application has it or the session ends; or it was    *)
(* dropped because its message expired before it was ever sent.  A PUBACK *)
(* or PUBREC that acknowledges a copy c has not received (a late answer   *)
(* to a resent identifier given meanwhile to a new message) breaks it.    *)
OwedMessagesStayInSession ==
    \A c \in Clients : \A i \in Owed(c) :
        \/ InQueue(c, i)
        \/ InFlightUnacked(c, i)
        \/ i \in expired[c] /\ i \notin sentCopies[c]

(* Message expiry deletes only copies whose delivery has not started      *)
(* [MQTT-3.3.2-5 (5.0)].                                                   *)
ExpiredOnlyBeforeSending ==
    \A c \in Clients : expired[c] \cap sentCopies[c] = {}

(* The queue of a session never holds more than MaxQueued messages, and a *)
(* copy is dropped for lack of room only when the queue was full.         *)
QueueWithinBound ==
    \A c \in Clients : Len(queue[c]) <= MaxQueued
DroppedOnlyWhenQueueFull ==
    \A c \in Clients : \A i \in DOMAIN copies[c] :
        copies[c][i].fate = "full" => copies[c][i].ahead >= MaxQueued

(* Message order [MQTT-4.6.0-6 (3.1.1), MQTT-4.6.0-5 (5.0)]: the copies    *)
(* of one publisher's messages on one topic, at one QoS, reach a          *)
(* subscriber's application (first time each) in the order the server     *)
(* routed them.  Resends keep their original order [MQTT-4.6.0-1], and    *)
(* new messages wait until the resends are out.                           *)
OrderedDelivery ==
    \A c \in Clients : \A k1, k2 \in FirstHandOvers(c) :
        LET a == CopyOf(c, k1)
            b == CopyOf(c, k2)
        IN  (/\ k1 < k2
             /\ a.kind = "routed" /\ b.kind = "routed" /\ a.msg # b.msg
             /\ msgInfo[a.msg].from = msgInfo[b.msg].from
             /\ msgInfo[a.msg].topic = msgInfo[b.msg].topic
             /\ a.qos = b.qos)
                => received[c][k1].idx < received[c][k2].idx

(* The other half of the order: the server receives each client's         *)
(* messages on one topic at one QoS (first copy each) in the order its    *)
(* application published them; a client resends in its original order     *)
(* [MQTT-4.6.0-1].                                                        *)
InboundOrder ==
    \A m1, m2 \in Range(routeLog) :
        (/\ msgInfo[m1].kind = "app" /\ msgInfo[m2].kind = "app"
         /\ msgInfo[m1].from = msgInfo[m2].from
         /\ msgInfo[m1].topic = msgInfo[m2].topic
         /\ msgInfo[m1].qos = msgInfo[m2].qos
         /\ msgInfo[m1].seq < msgInfo[m2].seq)
            => FirstRouting(m1) < FirstRouting(m2)

(* Overlapping subscriptions: a client's application gets one copy per    *)
(* routing, however many of its subscriptions match [MQTT-3.3.5-1 (3.1.1)]. *)
OneCopyPerRouting ==
    \A c \in Clients : \A k1, k2 \in DOMAIN received[c] :
        (/\ received[c][k1].idx # received[c][k2].idx
         /\ CopyOf(c, k1).src = CopyOf(c, k2).src)
            => CopyOf(c, k1).src = 0

(* Shared subscriptions: a routing reaches one member of a share group,   *)
(* and a message a member's session accepted stays with it: it is never   *)
(* given to another member, even if the first one's session ends          *)
(* [MQTT-4.8.2-4/-5 (5.0)].  Over the copies the server accepted, since a *)
(* message taken from one member was never handed to that one.            *)
SharedMessageToOneMember ==
    \A g \in SharedFilters, src \in DOMAIN routeLog :
        Cardinality({c \in Clients :
            \E i \in DOMAIN copies[c] :
                copies[c][i].src = src /\ g \in {v.filter : v \in copies[c][i].via}}) <= 1

(* No Local: a client's application gets its own message only through a   *)
(* subscription without No Local [MQTT-3.8.3-3 (5.0)].                     *)
NoLocalRespected ==
    \A c \in Clients : \A k \in DOMAIN received[c] :
        (CopyOf(c, k).kind = "routed" /\ msgInfo[CopyOf(c, k).msg].from = c)
            => \E v \in CopyOf(c, k).via : ~v.noLocal

(* The retained message of a topic is the last RETAIN = 1 message routed  *)
(* on it, or none if there was none or it was empty.                      *)
RetainedIsLastRetainedPublish ==
    \A t \in Topics : retained[t] = LastRetained(t)

(* A will is published only for a connection that ended without a normal *)
(* DISCONNECT [MQTT-3.1.2-10 (3.1.1: -8)], at most once, and never after  *)
(* its client resumed the session [MQTT-3.1.3-9 (5.0)].                    *)
WillOnlyAfterAbnormalEnd ==
    \A m \in WillMessages : m \in Range(routeLog) => willStatus[m] \in {"withWill", "lost"}

WillPublishedOnce ==
    \A m \in WillMessages : Cardinality({i \in DOMAIN routeLog : routeLog[i] = m}) <= 1

WillNotAfterReconnect ==
    \A m \in WillMessages : willStatus[m] = "superseded" => m \notin Range(routeLog)

-----------------------------------------------------------------------------
(***************************************************************************)
(* Liveness                                                                *)
(***************************************************************************)

(* Every QoS 1/2 copy the server accepted for c's session is eventually    *)
(* handed to c's application, if c eventually stays connected (at least   *)
(* once; with Qos2DeliveredAtMostOnce, exactly once for QoS 2), unless    *)
(* the session ends first or the message expires before it is sent.  This *)
(* includes a shared message its member's session accepted [MQTT-4.8.2-4]. *)
AcceptedMessagesAreDelivered ==
    \A c \in Subscribers, m \in Messages :
        <>[]connected[c] => (m \in OwedMessages(c) ~> m \notin OwedMessages(c))

(* Across crashes: every QoS 1/2 message whose publisher saw it           *)
(* acknowledged (PUBACK, PUBREC) and which the server accepted into c's   *)
(* session is eventually handed to c's application, if c eventually stays *)
(* connected, unless c's session ends first or the message expires before *)
(* it is sent.  A crash may lose only what was never acknowledged: what a *)
(* publisher still holds unacknowledged it resends.  With                 *)
(* Qos2DeliveredAtMostOnce, an acknowledged QoS 2 message reaches c       *)
(* exactly once.  At least once is about the message: a copy of it that   *)
(* c's application was handed in this session settles every other.  It   *)
(* reads history only: msgInfo (what publishers saw acknowledged), copies *)
(* (what was routed into c's session), received.                          *)
HandedInSession(c) == {CopyOf(c, k).msg : k \in (sessionBase[c].received + 1)..Len(received[c])}
AckedOwed(c) == {m \in OwedMessages(c) : msgInfo[m].acked} \ HandedInSession(c)
AcknowledgedMessagesAreDelivered ==
    \A c \in Subscribers, m \in Messages :
        <>[]connected[c] => (m \in AckedOwed(c) ~> m \notin AckedOwed(c))

(* 3.1.1 timed resend: every packet identifier is quarantined on c's       *)
(* connection, so no new QoS 1/2 PUBLISH can go out to c until it ends.   *)
IdsExhausted(c) == PacketIds \subseteq Quarantined(c)

(* AcceptedMessagesAreDelivered, except for a connection whose timed       *)
(* resends quarantined every identifier (MCLivenessTimedResendOneId).      *)
AcceptedMessagesAreDeliveredOrIdsExhausted ==
    \A c \in Subscribers, m \in Messages :
        <>[]connected[c] => (m \in OwedMessages(c) ~> (m \notin OwedMessages(c) \/ IdsExhausted(c)))

(* Every handshake the server starts towards c completes (PUBACK, or       *)
(* PUBREC-PUBREL-PUBCOMP) if c eventually stays connected.                *)
ServerHandshakesComplete ==
    \A c \in Clients, pid \in PacketIds :
        <>[]connected[c] => ((pid \in OutPids(c)) ~> (pid \notin OutPids(c)))

(* Every handshake a publisher starts towards the server completes if the *)
(* publisher eventually stays connected.                                  *)
ClientPids(c) == {cOut[c][i].pid : i \in DOMAIN cOut[c]}
ClientHandshakesComplete ==
    \A c \in Publishers, pid \in PacketIds :
        <>[]connected[c] => ((pid \in ClientPids(c)) ~> (pid \notin ClientPids(c)))

(* A will whose connection ended abnormally is eventually published,       *)
(* unless its client resumes the session first [MQTT-3.1.2-8,             *)
(* MQTT-3.1.3-9 (5.0)]: published, not merely no longer waiting.           *)
DelayedWillIsPublished ==
    \A m \in WillMessages :
        willStatus[m] \in {"withWill", "lost"}
            ~> (m \in Range(routeLog) \/ willStatus[m] \notin {"withWill", "lost"})

(* A new subscription's client is eventually handed the retained message  *)
(* of every matching topic [MQTT-3.3.1-6 (3.1.1), MQTT-3.3.1-9 (5.0)],    *)
(* unless its connection ends first (or the queue had no room for it).    *)
RetainedReachesNewSubscriber ==
    \A c \in Subscribers, m \in Messages : (m \in expect[c]) ~> (m \notin expect[c])

=============================================================================

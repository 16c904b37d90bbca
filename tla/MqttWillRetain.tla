--------------------------- MODULE MqttWillRetain ---------------------------
(***************************************************************************)
(* Will messages, retained messages and topic matching.                   *)
(*                                                                         *)
(* MqttSession.tla models how one message travels, at which QoS, over     *)
(* lost connections.  This module models which messages exist at all: the *)
(* will a client leaves with its CONNECT and the server publishes when    *)
(* the connection ends abnormally (5.0: after the Will Delay Interval or  *)
(* when the session ends, whichever comes first, unless the client comes  *)
(* back first), and the retained message per topic that a new             *)
(* subscription receives.  Delivery is immediate and only to connected   *)
(* clients (QoS 0, subscriptions end with the connection); of a session   *)
(* this module keeps only its expiry, which bounds how long a will waits. *)
(* Everything else about QoS and sessions is MqttSession's business.      *)
(*                                                                         *)
(* Topics and filters are constants; Matches says which filter matches    *)
(* which topic (the MC module gives a table with a wildcard filter), so   *)
(* the spec follows the routing decisions of io.checkedmqtt.core.routing   *)
(* without modelling strings.                                             *)
(*                                                                         *)
(* Time is abstract.  A will delay and a Session Expiry Interval are       *)
(* numbers only so that the spec can compare them as the core does        *)
(* (Lifecycle#detach: a Will Delay timer only if delay < expiry); which   *)
(* timer fires first follows from that comparison, not from a clock.      *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets

CONSTANTS
    Clients,
    Topics,          \* topic names
    Filters,         \* topic filters clients subscribe to
    MatchPairs,      \* set of <<filter, topic>>: the filter matches the topic
    Payloads,        \* application payloads
    Empty,           \* the zero-length payload: clears a retained message
    Version,         \* "3.1.1" or "5.0"
    MaxConnects,     \* connections per client in a behaviour
    MaxPublishes,    \* application publishes in a behaviour
    SessionExpiries, \* 5.0 Session Expiry Intervals a CONNECT may carry (seconds)
    NeverExpires,    \* stands for 0xFFFFFFFF, the interval that never expires
                     \*   [5.0 3.1.2.11.2]; TLC's integers stop at 2^31 - 1, so a
                     \*   model gives any number above its other intervals and delays
    NoWill,          \* a model value: no will
    NoRetained       \* a model value: no retained message

ASSUME /\ MatchPairs \subseteq Filters \X Topics
       /\ Empty \notin Payloads
       /\ Version \in {"3.1.1", "5.0"}
       /\ MaxConnects \in Nat /\ MaxPublishes \in Nat
       /\ SessionExpiries \subseteq Nat /\ SessionExpiries # {}
       /\ NeverExpires \in Nat /\ \A e \in SessionExpiries : e <= NeverExpires

EndKinds == {"normal", "withWill", "lost"}   \* DISCONNECT 0x00, DISCONNECT 0x04, loss

Matches(f, t) == <<f, t>> \in MatchPairs

NoSession == -1        \* sessionExpiry[c] = NoSession: the server holds no session of c

Msg == [topic : Topics, payload : Payloads \cup {Empty}, retain : BOOLEAN]
(* delay: the 5.0 Will Delay Interval in seconds (0: no delay; always 0 in 3.1.1). *)
WillMsg == [topic : Topics, payload : Payloads, retain : BOOLEAN, delay : Nat]

(* The messages and wills clients choose from in Next (a model may narrow *)
(* them to keep the state space small).                                    *)
PublishChoices == Msg
WillChoices == WillMsg

(* What the server published, in order, with where it came from: an      *)
(* application publish of a client, or the will of connection conn of a   *)
(* client, published while that client had made `at` connections.         *)
Record == [msg : Msg, from : Clients, kind : {"app", "will"},
           conn : 1..MaxConnects, at : 1..MaxConnects]

VARIABLES
    connected,   \* connected[c]
    will,        \* will[c]: the will the server holds for c, or NoWill
    pending,     \* pending[c]: the will of c's connection number conn that
                 \*   waits for its Will Delay Interval or the end of the
                 \*   session (5.0), or NoWill
    sessionExpiry, \* sessionExpiry[c]: the Session Expiry Interval of the session
                 \*   the server holds for c, or NoSession
    subs,        \* subs[c]: c's topic filters
    retained,    \* retained[t]: the retained payload of topic t, or NoRetained
    inbox,       \* inbox[c]: the set of messages the server has sent c
    onSubscribe, \* onSubscribe[c]: the retained messages sent for c's latest SUBSCRIBE
    \* History
    connects,    \* connects[c]: connections c has made
    ends,        \* ends[c][i]: how c's i-th connection ended
    published    \* the server's publications, in order (Records)

vars == <<connected, will, pending, sessionExpiry, subs, retained, inbox, onSubscribe,
          connects, ends, published>>

TypeOK ==
    /\ connected \in [Clients -> BOOLEAN]
    /\ will \in [Clients -> WillMsg \cup {NoWill}]
    /\ pending \in [Clients -> [will : WillMsg, conn : 1..MaxConnects] \cup {NoWill}]
    /\ sessionExpiry \in [Clients -> SessionExpiries \cup {NoSession}]
    /\ subs \in [Clients -> SUBSET Filters]
    /\ retained \in [Topics -> Payloads \cup {NoRetained}]
    /\ inbox \in [Clients -> SUBSET Msg]
    /\ onSubscribe \in [Clients -> SUBSET Msg]
    /\ connects \in [Clients -> 0..MaxConnects]
    /\ ends \in [Clients -> Seq(EndKinds)]
    /\ published \in Seq(Record)

Init ==
    /\ connected = [c \in Clients |-> FALSE]
    /\ will = [c \in Clients |-> NoWill]
    /\ pending = [c \in Clients |-> NoWill]
    /\ sessionExpiry = [c \in Clients |-> NoSession]
    /\ subs = [c \in Clients |-> {}]
    /\ retained = [t \in Topics |-> NoRetained]
    /\ inbox = [c \in Clients |-> {}]
    /\ onSubscribe = [c \in Clients |-> {}]
    /\ connects = [c \in Clients |-> 0]
    /\ ends = [c \in Clients |-> << >>]
    /\ published = << >>

-----------------------------------------------------------------------------
(***************************************************************************)
(* Rules (overridden by the MC_Broken*.cfg negative checks)               *)
(***************************************************************************)

(* The retained message of t after a PUBLISH with RETAIN = 1: replaced    *)
(* [MQTT-3.3.1-5], or removed by a zero-length payload [MQTT-3.3.1-10/-11  *)
(* (3.1.1), MQTT-3.3.1-6/-7 (5.0)].                                        *)
RetainAfter(payload) == IF payload = Empty THEN NoRetained ELSE payload

(* Whether the will survives this end of the connection: a DISCONNECT     *)
(* with reason 0x00 deletes it [MQTT-3.1.2-10 (3.1.1: -8)]; 0x04 (5.0) and *)
(* a lost connection publish it [MQTT-3.1.2-8 (5.0)].                      *)
WillSurvives(kind) == kind # "normal"

(* Whether the server deletes a will once it has published it             *)
(* [MQTT-3.1.2-10 (3.1.1 and 5.0)].  The core's willDelayDue returns the  *)
(* session without its will; otherwise the next timer that fires (or the  *)
(* session's end) would publish it again.                                  *)
RemovesWillOncePublished == TRUE

(* Whether the Will Delay timer of a waiting will fires before its session *)
(* ends: the will goes out at whichever comes first [MQTT-3.1.2-8 (5.0)].  *)
(* The core schedules a Will Delay timer only if delay < expiry, and lets  *)
(* the session's end publish the others (Lifecycle#detach).                *)
WillDelayEndsFirst(delay, expiry) == delay < expiry

(* Whether the end of a session publishes the will still waiting in it     *)
(* [MQTT-3.1.2-8 (5.0): "or the Session ends, whichever happens first"]    *)
(* (core: Lifecycle#expiryDue).                                            *)
SessionEndPublishesWill == TRUE

(* Whether a new connection of c cancels its delayed will [MQTT-3.1.3-9,   *)
(* 5.0: the server MUST NOT send it if the client comes back first].      *)
ReconnectCancelsWill == TRUE

(* The retained messages a new subscription to f receives, with RETAIN = 1 *)
(* [MQTT-3.3.1-6 (3.1.1), MQTT-3.3.1-9 (5.0), Retain Handling 0].         *)
RetainedFor(f) ==
    {[topic |-> t, payload |-> retained[t], retain |-> TRUE] :
        t \in {u \in Topics : Matches(f, u) /\ retained[u] # NoRetained}}

-----------------------------------------------------------------------------
(* The server publishes m: it updates the retained store and sends one copy *)
(* (RETAIN = 0 [MQTT-3.3.1-9 (3.1.1)]) to every connected client with a    *)
(* matching subscription, however many of its filters match [MQTT-3.3.5-1]. *)
Route(m, from, kind, conn) ==
    /\ retained' = IF m.retain THEN [retained EXCEPT ![m.topic] = RetainAfter(m.payload)]
                               ELSE retained
    /\ inbox' = [c \in Clients |->
                    IF connected[c] /\ \E f \in subs[c] : Matches(f, m.topic)
                    THEN inbox[c] \cup {[m EXCEPT !.retain = FALSE]}
                    ELSE inbox[c]]
    /\ published' = Append(published, [msg |-> m, from |-> from, kind |-> kind,
                                       conn |-> conn, at |-> connects[from]])

WillMessage(w) == [topic |-> w.topic, payload |-> w.payload, retain |-> w.retain]

(* c connects, with or without a will (5.0: with or without a Will Delay   *)
(* Interval), and with Session Expiry Interval e (3.1.1: 0 for            *)
(* CleanSession = 1, NeverExpires for CleanSession = 0).  The session it   *)
(* finds (if any) continues with the new interval, as in the core.        *)
(* Subscriptions are not kept across connections here, and Clean Start is *)
(* not modelled: a reconnect always cancels a waiting will (see README).  *)
ClientConnect(c, w, e) ==
    /\ ~connected[c]
    /\ connects[c] < MaxConnects
    /\ Version = "3.1.1" => (w = NoWill \/ w.delay = 0) /\ e \in {0, NeverExpires}
    /\ connected' = [connected EXCEPT ![c] = TRUE]
    /\ connects' = [connects EXCEPT ![c] = @ + 1]
    /\ will' = [will EXCEPT ![c] = w]
    /\ sessionExpiry' = [sessionExpiry EXCEPT ![c] = e]
    /\ pending' = [pending EXCEPT ![c] = IF ReconnectCancelsWill THEN NoWill ELSE @]
    /\ UNCHANGED <<subs, retained, inbox, onSubscribe, ends, published>>

(* c's connection ends: DISCONNECT 0x00, DISCONNECT 0x04 (5.0) or loss.  *)
(* A session with expiry 0 ends with it.  A surviving will is published   *)
(* now if it has no delay or its session ends now; otherwise it waits in  *)
(* the session for its delay or the session's end (Lifecycle#detach).     *)
ConnectionEnds(c, kind) ==
    /\ connected[c]
    /\ kind = "withWill" => Version = "5.0"
    /\ connected' = [connected EXCEPT ![c] = FALSE]
    /\ subs' = [subs EXCEPT ![c] = {}]
    /\ ends' = [ends EXCEPT ![c] = Append(@, kind)]
    /\ sessionExpiry' = [sessionExpiry EXCEPT ![c] = IF @ = 0 THEN NoSession ELSE @]
    /\ IF will[c] # NoWill /\ WillSurvives(kind)
       THEN IF will[c].delay > 0 /\ sessionExpiry[c] > 0
            THEN /\ pending' = [pending EXCEPT ![c] = [will |-> will[c], conn |-> connects[c]]]
                 /\ UNCHANGED <<retained, inbox, published>>
            ELSE /\ Route(WillMessage(will[c]), c, "will", connects[c])
                 /\ UNCHANGED pending
       ELSE UNCHANGED <<pending, retained, inbox, published>>
    /\ will' = [will EXCEPT ![c] = NoWill]
    /\ UNCHANGED <<connects, onSubscribe>>

(* The Will Delay Interval of c's waiting will passed before its session  *)
(* could end (core: SessionTransitions#onWillDelayElapsed).               *)
WillDelayElapsed(c) ==
    /\ pending[c] # NoWill
    /\ WillDelayEndsFirst(pending[c].will.delay, sessionExpiry[c])
    /\ Route(WillMessage(pending[c].will), c, "will", pending[c].conn)
    /\ pending' = [pending EXCEPT ![c] = IF RemovesWillOncePublished THEN NoWill ELSE @]
    /\ UNCHANGED <<connected, will, sessionExpiry, subs, onSubscribe, connects, ends>>

(* The Session Expiry Interval of c's offline session passed: the server   *)
(* discards the session [MQTT-4.1.0-2 (5.0)] and publishes a will still   *)
(* waiting in it [MQTT-3.1.2-8 (5.0)].  Enabled only while c is offline    *)
(* (a connection cancels the timer; MQTT-4.1.0-1: never while connected)  *)
(* and for a finite, non-zero interval; a waiting will whose own delay is  *)
(* shorter has gone out before (core: SessionTransitions#onSessionExpiry). *)
SessionExpires(c) ==
    /\ ~connected[c]
    /\ sessionExpiry[c] \notin {NoSession, NeverExpires}
    /\ pending[c] # NoWill => ~WillDelayEndsFirst(pending[c].will.delay, sessionExpiry[c])
    /\ sessionExpiry' = [sessionExpiry EXCEPT ![c] = NoSession]
    /\ pending' = [pending EXCEPT ![c] = NoWill]
    /\ IF pending[c] # NoWill /\ SessionEndPublishesWill
       THEN Route(WillMessage(pending[c].will), c, "will", pending[c].conn)
       ELSE UNCHANGED <<retained, inbox, published>>
    /\ UNCHANGED <<connected, will, subs, onSubscribe, connects, ends>>

ClientPublish(c, m) ==
    /\ connected[c]
    /\ Cardinality({i \in 1..Len(published) : published[i].kind = "app"}) < MaxPublishes
    /\ Route(m, c, "app", connects[c])
    /\ UNCHANGED <<connected, will, pending, sessionExpiry, subs, onSubscribe, connects, ends>>

(* c subscribes to f and receives the retained messages of matching topics. *)
ClientSubscribe(c, f) ==
    /\ connected[c]
    /\ f \notin subs[c]
    /\ subs' = [subs EXCEPT ![c] = @ \cup {f}]
    /\ inbox' = [inbox EXCEPT ![c] = @ \cup RetainedFor(f)]
    /\ onSubscribe' = [onSubscribe EXCEPT ![c] = RetainedFor(f)]
    /\ UNCHANGED <<connected, will, pending, sessionExpiry, retained, connects, ends, published>>

ClientUnsubscribe(c, f) ==
    /\ connected[c]
    /\ f \in subs[c]
    /\ subs' = [subs EXCEPT ![c] = @ \ {f}]
    /\ UNCHANGED <<connected, will, pending, sessionExpiry, retained, inbox, onSubscribe,
                   connects, ends, published>>

(* Nothing left to do: every client has used its connections, none is     *)
(* connected and no will is pending.  Stuttering here is intended, and it  *)
(* keeps TLC's deadlock check meaningful for every other state.           *)
Done ==
    /\ \A c \in Clients : ~connected[c] /\ connects[c] = MaxConnects /\ pending[c] = NoWill
    /\ UNCHANGED vars

Next ==
    \/ \E c \in Clients :
          \/ \E w \in WillChoices \cup {NoWill}, e \in SessionExpiries : ClientConnect(c, w, e)
          \/ \E k \in EndKinds : ConnectionEnds(c, k)
          \/ WillDelayElapsed(c)
          \/ SessionExpires(c)
          \/ \E m \in PublishChoices : ClientPublish(c, m)
          \/ \E f \in Filters : ClientSubscribe(c, f) \/ ClientUnsubscribe(c, f)
    \/ Done

(* The server's timers fire: a will delay or a session expiry that has    *)
(* begun eventually runs out, unless the client comes back first.          *)
Spec == Init /\ [][Next]_vars
        /\ \A c \in Clients : WF_vars(WillDelayElapsed(c)) /\ WF_vars(SessionExpires(c))

-----------------------------------------------------------------------------
(* The retained message of each topic is the payload of the last PUBLISH   *)
(* with RETAIN = 1 on it, or none if there was none or it was empty.       *)
RetainedIsLastRetainedPublish ==
    \A t \in Topics :
        LET idx == {i \in 1..Len(published) :
                       published[i].msg.topic = t /\ published[i].msg.retain}
        IN  retained[t] =
              IF idx = {} THEN NoRetained
              ELSE LET p == published[CHOOSE i \in idx : \A j \in idx : j <= i].msg.payload
                   IN  IF p = Empty THEN NoRetained ELSE p

(* A will is published only for a connection that ended without a normal  *)
(* DISCONNECT, at most once per connection, and never after the client    *)
(* has connected again.                                                   *)
WillOnlyAfterAbnormalEnd ==
    \A i \in 1..Len(published) :
        published[i].kind = "will" =>
            /\ published[i].conn <= Len(ends[published[i].from])
            /\ ends[published[i].from][published[i].conn] # "normal"

WillAtMostOncePerConnection ==
    \A i, j \in 1..Len(published) :
        (/\ i # j
         /\ published[i].kind = "will" /\ published[j].kind = "will"
         /\ published[i].from = published[j].from)
            => published[i].conn # published[j].conn

WillNotAfterReconnect ==
    \A i \in 1..Len(published) :
        published[i].kind = "will" => published[i].at = published[i].conn

(* A new subscription receives the current retained message of every      *)
(* matching topic, flagged RETAIN = 1 (an action property).               *)
SubscribeDeliversRetained ==
    [][\A c \in Clients, f \in Filters :
          (f \notin subs[c] /\ f \in subs'[c]) =>
              \A t \in Topics :
                  (Matches(f, t) /\ retained[t] # NoRetained) =>
                      [topic |-> t, payload |-> retained[t], retain |-> TRUE]
                          \in onSubscribe'[c]]_vars

(* A will that waits for its delay or for the end of its session is       *)
(* eventually published, unless the client connects again first            *)
(* [MQTT-3.1.2-8, MQTT-3.1.3-9 (5.0)].  "Published", not merely "no longer *)
(* waiting": a will that silently disappears with its session violates it. *)
WillPublished(c, n) ==
    \E i \in 1..Len(published) :
        published[i].kind = "will" /\ published[i].from = c /\ published[i].conn = n

DelayedWillIsPublished ==
    \A c \in Clients, n \in 1..MaxConnects :
        (pending[c] # NoWill /\ pending[c].conn = n)
            ~> (WillPublished(c, n) \/ connects[c] > n)

=============================================================================

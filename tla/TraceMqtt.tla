------------------------------ MODULE TraceMqtt ------------------------------
(***************************************************************************)
(* Trace validation of the Java core against Mqtt, the technique of CCF's *)
(* Traceccfraft.tla and etcd's Traceetcdraft.tla.  model-tests records    *)
(* runs of the core as events, one per spec action, each with the         *)
(* arguments the action takes; TraceModule.java writes them, as the      *)
(* definition Traces, into a module TraceData (with the runs' clients,    *)
(* messages and version, which its TraceRun.cfg gives the constants).     *)
(*                                                                         *)
(* t picks one trace in the initial state and l counts the events matched *)
(* so far; each step must be the action of Mqtt, as written, that the     *)
(* next event names.  A trace the spec does not allow leaves TLC in a     *)
(* state without successor: a deadlock whose last state names t and l.    *)
(* Besides the spec's safety invariants, TLC checks StateMapped (the      *)
(* core's session state, recorded after each core step, equals the        *)
(* spec's variables) and QuiescentAtEnd (a run recorded with its settling *)
(* phase ends with nothing on the wire or owed to a connected subscriber).*)
(***************************************************************************)
EXTENDS Mqtt, TLC, TraceData   \* TraceData: Traces, the recorded runs (sequences of events)

VARIABLES t, l   \* which trace; how many of its events have been matched
traceVars == <<vars, t, l>>

(* The runs use one topic and one filter that matches it, no will, no     *)
(* retained message, no shared subscription, and Session Expiry 0 or     *)
(* 0xFFFFFFFF (NeverExpires).                                            *)
TraceTopic == "t"
TraceFilter == "f"
TraceTopics == {TraceTopic}
TraceFilters == {TraceFilter}
TraceNoShared == {}
TraceMatch == {<<TraceFilter, TraceTopic>>}
TraceNever == 9
TraceExpiries == {0, TraceNever}
TracePacketIds == 1..65535
TraceMaxDrops == 1000

TraceInit == Init /\ t \in 1..Len(Traces) /\ l = 0

Ev == Traces[t][l + 1]

Flags(e) == [clean |-> e.clean, expiry |-> IF e.keep THEN NeverExpires ELSE 0]
AppMessage(e) ==
    [topic |-> TraceTopic, qos |-> e.q, retain |-> FALSE, empty |-> FALSE, expires |-> FALSE]

(* The granted QoS on the one filter, or -1.  Quiescent: nothing on the  *)
(* wire, and nothing queued or in flight for a connected client that      *)
(* subscribes.                                                            *)
SubQos(c) == IF subs[c][TraceFilter] = NoSub THEN -1 ELSE subs[c][TraceFilter].qos
Quiescent ==
    \A c \in Clients :
        /\ toServer[c] = << >> /\ toClient[c] = << >> /\ cAnswers[c] = << >>
        /\ (connected[c] /\ SubQos(c) # -1) => queue[c] = << >> /\ out[c] = << >>

(* The spec action the next event names, with the event's arguments; the *)
(* recorded Session Present and the QoS of a PUBLISH the server sends must *)
(* be the spec's too.                                                    *)
IsEvent ==
    \/ Ev.a = "ClientConnect"          /\ SessionPresent(Ev.c, Ev.clean) = Ev.sp
                                      /\ ClientConnect(Ev.c, Flags(Ev), NoWill)
    \/ Ev.a = "ClientDisconnect"       /\ ClientDisconnect(Ev.c, "normal")
    \/ Ev.a = "ConnectionLost"         /\ ConnectionLost(Ev.c)
    \/ Ev.a = "ClientSubscribe"        /\ ClientSubscribe(Ev.c, [filter |-> TraceFilter, qos |-> Ev.q,
                                                               noLocal |-> FALSE])
    \/ Ev.a = "ClientUnsubscribe"      /\ ClientUnsubscribe(Ev.c, TraceFilter)
    \/ Ev.a = "ClientPublish"          /\ ClientPublish(Ev.c, Ev.m, AppMessage(Ev), Ev.pid)
    \/ Ev.a = "TimedResend"            /\ TimedResend(Ev.c, Ev.pid)
    \/ Ev.a = "ServerReceivesPublish"  /\ ServerReceivesPublish(Ev.c, Ev.m, Ev.q, Ev.pid)
    \/ Ev.a = "ServerReceivesPuback"   /\ ServerReceivesPuback(Ev.c, Ev.pid)
    \/ Ev.a = "ServerReceivesPubrec"   /\ ServerReceivesPubrec(Ev.c, Ev.pid)
    \/ Ev.a = "ServerReceivesPubrel"   /\ ServerReceivesPubrel(Ev.c, Ev.pid)
    \/ Ev.a = "ServerReceivesPubcomp"  /\ ServerReceivesPubcomp(Ev.c, Ev.pid)
    \/ Ev.a = "ServerSendsPublish"     /\ queue[Ev.c] # << >> /\ Head(queue[Ev.c]).qos = Ev.q
                                      /\ ServerSendsPublish(Ev.c, Ev.m, Ev.pid)
    \/ Ev.a = "ReconnectResend"        /\ ReconnectResend(Ev.c, Ev.pid)
    \/ Ev.a = "ClientReceivesPublish"  /\ ClientReceivesPublish(Ev.c, Ev.m, Ev.q, Ev.pid)
    \/ Ev.a = "ClientReceivesPuback"   /\ ClientReceivesPuback(Ev.c, Ev.pid)
    \/ Ev.a = "ClientReceivesPubrec"   /\ ClientReceivesPubrec(Ev.c, Ev.pid)
    \/ Ev.a = "ClientReceivesPubrel"   /\ ClientReceivesPubrel(Ev.c, Ev.pid)
    \/ Ev.a = "ClientReceivesPubcomp"  /\ ClientReceivesPubcomp(Ev.c, Ev.pid)
    \/ Ev.a = "Settle"                 /\ UNCHANGED vars
    \/ Ev.a = "Quiet"                  /\ Quiescent /\ UNCHANGED vars

TraceNext == /\ l < Len(Traces[t])
             /\ IsEvent
             /\ l' = l + 1
             /\ UNCHANGED t

(* A trace matched to its end stutters; any other state without a successor *)
(* is a trace the spec rejects, and TLC reports it as a deadlock.            *)
TraceDone == l = Len(Traces[t]) /\ UNCHANGED traceVars

TraceAll == TraceNext \/ TraceDone

(* The state mapping.  Event l carries (hs) the core's session state after *)
(* the core step that event ends (SessionStateRecord.java); the spec's     *)
(* variables must map onto it: a session is held iff expiry # NoSession;   *)
(* keep iff expiry > 0; the subscription QoS on the one filter, or -1; the *)
(* queue as (message, QoS) in order; the in-flight messages as (packet id, *)
(* message, QoS, stage) in send order; the inbound QoS 2 identifiers; the  *)
(* identifiers quarantined on the current connection (resentIds).          *)
StateIs(s) ==
    \A c \in Clients :
        /\ (expiry[c] # NoSession) = s[c].held
        /\ s[c].held => (expiry[c] > 0) = s[c].keep
        /\ connected[c] = s[c].conn
        /\ SubQos(c) = s[c].sub
        /\ [i \in DOMAIN queue[c] |-> [m |-> queue[c][i].msg, q |-> queue[c][i].qos]] = s[c].queue
        /\ [i \in DOMAIN out[c] |-> [pid |-> out[c][i].pid, m |-> out[c][i].msg,
                                       q |-> out[c][i].qos, st |-> out[c][i].stage]] = s[c].out
        /\ inQos2[c] = s[c].in2
        /\ resentIds[c] = s[c].rs
StateMapped == l > 0 /\ Traces[t][l].hs => StateIs(Traces[t][l].s)

(* A run recorded with its settling phase (a Settle event; a trace of the *)
(* running broker ends with Quiet) ends quiescent:                         *)
(* nothing on the wire, and nothing queued or in flight for a connected      *)
(* client that subscribes.                                                   *)
Settled == \E i \in DOMAIN Traces[t] : Traces[t][i].a \in {"Settle", "Quiet"}
QuiescentAtEnd == (l = Len(Traces[t]) /\ Settled) => Quiescent

(***************************************************************************)
(* Traces of the running broker (nio-broker's spec_trace setting, written *)
(* by SpecEvents.java).  The broker records only the server's side: what  *)
(* its core read, decided and sent, and its sessions after every step.    *)
(* A client's PUBLISH is recorded when the server reads it (ClientPublish *)
(* then ServerReceivesPublish); a client's reads are not recorded at all. *)
(* So before each recorded event, the client it names may take steps of  *)
(* its own, the spec's actions as written: read the next packet of its    *)
(* channel (the ClientReceives actions), or send an answer it held back  *)
(* (ClientSendsAnswer).  Before the final Quiet event every client may,   *)
(* and Quiet requires Quiescent: the run had settled, and every packet    *)
(* the server sent was read and answered.  Which reads came before a lost *)
(* connection decides what the client resends after it, so the choices   *)
(* branch, and a wrong guess leaves a branch that cannot match a later    *)
(* event.  A trace is accepted if some branch matches all of its events:  *)
(* TLC runs without deadlock checking, register t holds the most events   *)
(* of trace t any branch matched (each new maximum is printed), and every *)
(* state of every branch must satisfy the invariants.                     *)
(***************************************************************************)
ClientReadsNext(c) ==
    /\ toClient[c] # << >>
    /\ LET p == Head(toClient[c]) IN
       \/ p.type = "PUBLISH" /\ ClientReceivesPublish(c, p.msg, p.qos, p.pid)
       \/ p.type = "PUBACK"  /\ ClientReceivesPuback(c, p.pid)
       \/ p.type = "PUBREC"  /\ ClientReceivesPubrec(c, p.pid)
       \/ p.type = "PUBREL"  /\ ClientReceivesPubrel(c, p.pid)
       \/ p.type = "PUBCOMP" /\ ClientReceivesPubcomp(c, p.pid)

(* Paho sends PUBACK and PUBCOMP once its application has taken the      *)
(* message, PUBREC at once: the broker's traces run with                  *)
(* ClientAnswersLater <- TraceAnswersLater (TraceRun.cfg).                 *)
TraceAnswersLater == TRUE
ClientUnrecorded(c) == ClientReadsNext(c) \/ ClientSendsAnswer(c)

Readers == IF Ev.a = "Quiet" THEN Clients ELSE {Ev.c} \cap Clients

MostMatched == (l + 1 > TLCGet(t)) => (TLCSet(t, l + 1) /\ PrintT(<<"matched", t, l + 1>>))

BrokerTraceInit == TraceInit /\ \A i \in 1..Len(Traces) : TLCSet(i, 0)

(* nio-broker's client testing may write a second copy of an in-flight     *)
(* PUBLISH, DUP 1, right behind the first (the fault rule "duplicate       *)
(* PUBLISH out"; WireFault.Duplicated).  The broker records it as         *)
(* WireDuplicate.  What the client then reads is the copy Mqtt's           *)
(* TimedResend makes, but in the place the shell wrote it, behind its      *)
(* original still on the wire, and outside MaxTimedResends (the rule sent  *)
(* it, not the core's timer); the identifier is quarantined as after      *)
(* TimedResend (core: SessionTransitions#onPublishDuplicated).  3.1.1      *)
(* only: 5.0 forbids a resend inside a connection [MQTT-4.4.0-1], so a     *)
(* 5.0 trace with a copy is rejected.  Only the broker's traces take this  *)
(* step; Mqtt's models never do.                                          *)
WireDuplicate(c, pid) ==
    /\ Version = "3.1.1"
    /\ connected[c]
    /\ \E i \in DOMAIN out[c] : out[c][i].pid = pid /\ out[c][i].stage = "published"
    /\ LET ch   == toClient[c]
           at   == {k \in DOMAIN ch : ch[k].type = "PUBLISH" /\ ch[k].pid = pid}
           k    == CHOOSE j \in at : \A x \in at : x <= j
       IN  /\ at # {}
           /\ toClient' = [toClient EXCEPT ![c] =
                             SubSeq(ch, 1, k) \o << [ch[k] EXCEPT !.dup = TRUE] >> \o SubSeq(ch, k + 1, Len(ch))]
    /\ resentIds' = [resentIds EXCEPT ![c] = @ \cup {pid}]
    /\ UNCHANGED <<crashVars, connected, expiry, subs, queue, out, inQos2, dropped, will, pendingWill,
                   retained, toServer, clientVars, historyVars>>

(* The broker cannot tell whether a client that sent DISCONNECT had its   *)
(* publishes acknowledged and everything it read answered, as the spec's   *)
(* ClientDisconnect requires (Paho's quiescing disconnect() mostly has).   *)
(* A DISCONNECT before that leaves the session as a lost connection does,  *)
(* as the spec's comment on ClientDisconnect says and the harness records  *)
(* it, so a recorded ClientDisconnect may also be ConnectionLost.           *)
BrokerEvent == \/ IsEvent
               \/ Ev.a = "ClientDisconnect" /\ ConnectionLost(Ev.c)
               \/ Ev.a = "WireDuplicate" /\ WireDuplicate(Ev.c, Ev.pid)

BrokerTraceNext ==
    /\ l < Len(Traces[t])
    /\ \/ BrokerEvent /\ l' = l + 1 /\ UNCHANGED t /\ MostMatched
       \/ \E c \in Readers : ClientUnrecorded(c) /\ UNCHANGED <<t, l>>
=============================================================================

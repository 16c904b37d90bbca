------------------------- MODULE MCMqttWillRetain -------------------------
(***************************************************************************)
(* Model of MqttWillRetain for TLC: two topics "a/b" and "a/c", and the   *)
(* filters "a/b" and "a/+" (which matches both).  The Broken* operators    *)
(* are wrong rules for the MC_BrokenWill*/MC_BrokenRetain* negative checks. *)
(***************************************************************************)
EXTENDS MqttWillRetain, TLC

CONSTANTS ab, ac, abFilter, aPlus

MCTopics == {ab, ac}
MCFilters == {abFilter, aPlus}
MCWildcardOnly == {aPlus}
MCWildcardPairs == {<<aPlus, ab>>, <<aPlus, ac>>}
MCMatchPairs == {<<abFilter, ab>>, <<aPlus, ab>>, <<aPlus, ac>>}

(* Smaller message sets, to keep the models small: wills on "a/b" only,  *)
(* with no delay or a delay of 1 s; application publishes that set,        *)
(* replace and clear retained messages.                                    *)
MCWillMsg == [topic : {ab}, payload : Payloads, retain : {TRUE}, delay : {0, 1}]

(* Session Expiry Intervals against that delay of 1 s: the session ends   *)
(* with the connection (0), before or with the delay (1: the session's    *)
(* end publishes the will), after it (2: the Will Delay timer does), or   *)
(* never (NeverExpires = 9 in the .cfg files, above every delay here).    *)
MCSessionExpiries == {0, 1, 2, NeverExpires}

(* For two clients: only the two finite intervals, where the will goes out *)
(* by the session's end (1) or by its own timer (2).  0 and never add      *)
(* nothing between clients that MCMqttWill does not check for one.         *)
MCSessionExpiriesFinite == {1, 2}
MCMsg == {[topic |-> ab, payload |-> p, retain |-> TRUE] : p \in Payloads \cup {Empty}}
         \cup {[topic |-> ac, payload |-> p, retain |-> r] : p \in Payloads, r \in BOOLEAN}
NoWills == {}

(* A zero-length retained PUBLISH is stored instead of clearing the topic. *)
BrokenRetainAfter(payload) == payload

(* The will is published even after a normal DISCONNECT. *)
BrokenWillSurvives(kind) == TRUE

(* A published delayed will stays in the session, so it can go out again. *)
BrokenRemovesWillOncePublished == FALSE

(* The session's end drops a will still waiting in it instead of          *)
(* publishing it (a core that forgot the PublishWill in expiryDue).        *)
BrokenSessionEndPublishesWill == FALSE

(* A reconnect does not cancel the pending delayed will. *)
BrokenReconnectCancelsWill == FALSE

(* A new subscription gets no retained messages. *)
BrokenRetainedFor(f) == {}

=============================================================================

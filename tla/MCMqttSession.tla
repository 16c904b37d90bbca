--------------------------- MODULE MCMqttSession ---------------------------
(***************************************************************************)
(* Model of MqttSession for TLC.  The .cfg files give the constants.       *)
(*                                                                         *)
(* The Broken* operators below are wrong rules.  Each MC_Broken*.cfg      *)
(* replaces one rule of MqttSession by one of them (a definition override, *)
(* "Rule <- BrokenRule") and checks only the property that rule protects; *)
(* the build expects TLC to find a violation, so that no property passes   *)
(* vacuously.                                                              *)
(***************************************************************************)
EXTENDS MqttSession, TLC

(* Delivers at the publish QoS, ignoring the subscription's. *)
BrokenDeliveredQos(pubQ, subQ) == pubQ

(* Forgets QoS 2 identifiers: a repeated PUBLISH is routed again. *)
BrokenIsDuplicateQos2(c, pid) == FALSE

(* Stores QoS 0 copies in the session like QoS 1: queued while offline,   *)
(* held in flight and resent after a reconnect.                           *)
BrokenStoresInSession(dq) == TRUE

(* Hands out any packet identifier, even one in use. *)
BrokenFreePacketIds(c) == PacketIds

(* Hands out packet identifier 0, which MQTT reserves [MQTT-2.3.1-1]. *)
BrokenFreePacketIdsWithZero(c) == ({NoPid} \cup PacketIds) \ {e.pid : e \in out[c]}

(* Ignores the client's Receive Maximum. *)
BrokenSendQuotaAvailable(c) == TRUE

(* Ignores Clean Start: an old session is resumed. *)
BrokenDiscardsSessionOnConnect(cleanStart) == FALSE

(* Keeps every session after the connection ends, kept or not. *)
BrokenSessionOutlivesConnection(c) == TRUE

(* Answers Session Present = 1 to every Clean Start = 0 CONNECT, even when *)
(* the session has expired [against MQTT-3.2.2-3 (5.0)]: the client then   *)
(* resends into a session that has forgotten its QoS 2 identifiers.       *)
BrokenSessionPresent(c, cleanStart) == ~cleanStart

(* Lets a session expire while its client is connected: the core forgot   *)
(* to cancel the Session Expiry timer on CONNECT and to check isOnline()   *)
(* when it fires, so the timer of an earlier absence ends a live session.  *)
BrokenSessionCanExpire(c) == keep[c]

(* No quarantine: an identifier resent by timer is reused at once. *)
BrokenQuarantined(c) == {}

(* Never resends in-flight messages after a reconnect. *)
BrokenAwaitingResend(c) == {}

(* Does not answer PUBREL. *)
BrokenPubrelReply(pid) == << >>

=============================================================================

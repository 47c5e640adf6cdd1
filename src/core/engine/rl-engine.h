/* rl-engine.h: the call engine as the phone sees it: a state, commands with
 * replies, and events. RlBaresip is the real one; the tests have a scripted
 * one (tests/rl-test-engine.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-ctrl-client.h"
#include "rl-engine-event.h"

G_BEGIN_DECLS

typedef enum
{
  RL_ENGINE_STATE_STOPPED,
  RL_ENGINE_STATE_STARTING,
  RL_ENGINE_STATE_RUNNING,
  RL_ENGINE_STATE_RESTARTING,
  RL_ENGINE_STATE_MISSING, /* no engine binary: the app runs, calls cannot */
} RlEngineState;

/**
 * RlEngineFeatures:
 * @RL_ENGINE_FEATURE_CALL_IDS: accept, hangup, hold and resume name their
 *   call; "dial" replies with the new call's id; "callfind" selects a call
 *   for the commands that act on the current one. Without it the phone
 *   selects the call's line first.
 * @RL_ENGINE_FEATURE_HANGUP_STATUS: hangup takes scode= and reason=, so a
 *   decline can answer 603
 * @RL_ENGINE_FEATURE_CLOSE_REASON: CALL_CLOSED carries the closing message's
 *   Reason header after a comma
 * @RL_ENGINE_FEATURE_MUTE_STATE: "mute yes|no" sets the state; 1.0's toggles
 * @RL_ENGINE_FEATURE_STUN: its stun module (media NAT "stun") is loaded
 * @RL_ENGINE_FEATURE_TURN: its turn module (media NAT "turn") is loaded
 * @RL_ENGINE_FEATURE_ICE: its ice module (media NAT "ice") is loaded
 * @RL_ENGINE_FEATURE_SRTP: its srtp module (SDES-SRTP) is loaded
 * @RL_ENGINE_FEATURE_DTLS_SRTP: its dtls_srtp module is loaded
 * @RL_ENGINE_FEATURE_CALL_HEADERS: "uaaddheader"/"uarmheader" put headers
 *   of our choice in the INVITEs placed between them
 * @RL_ENGINE_FEATURE_TLS_VERIFY: SIP over TLS checks the server's
 *   certificate (baresip 1.0 does not: TLS is not used with it)
 *
 * What the engine offers beyond baresip 1.0's control interface, and which
 * optional modules it has; known once it has been asked (before its first
 * run), none before.
 */
typedef enum /*< flags >*/
{
  RL_ENGINE_FEATURE_NONE = 0,
  RL_ENGINE_FEATURE_CALL_IDS = 1 << 0,
  RL_ENGINE_FEATURE_HANGUP_STATUS = 1 << 1,
  RL_ENGINE_FEATURE_CLOSE_REASON = 1 << 2,
  RL_ENGINE_FEATURE_MUTE_STATE = 1 << 3,
  RL_ENGINE_FEATURE_STUN = 1 << 4,
  RL_ENGINE_FEATURE_TURN = 1 << 5,
  RL_ENGINE_FEATURE_ICE = 1 << 6,
  RL_ENGINE_FEATURE_TLS_VERIFY = 1 << 7,
  RL_ENGINE_FEATURE_SRTP = 1 << 8,
  RL_ENGINE_FEATURE_DTLS_SRTP = 1 << 9,
  RL_ENGINE_FEATURE_CALL_HEADERS = 1 << 10,
} RlEngineFeatures;

#define RL_TYPE_ENGINE (rl_engine_get_type ())
G_DECLARE_INTERFACE (RlEngine, rl_engine, RL, ENGINE, GObject)

/**
 * RlEngineInterface:
 * @command_async: sends one command; fails with %RL_ERROR_ENGINE_UNAVAILABLE
 *   while the engine is not running
 * @set_max_calls: calls beyond this are refused by the engine itself
 *
 * Implementations override the properties "state", "version" and "error",
 * and emit ::ready, ::lost and ::event through rl_engine_emit_*().
 */
struct _RlEngineInterface
{
  GTypeInterface parent_iface;

  RlEngineState (*get_state) (RlEngine *self);
  const char *(*get_version) (RlEngine *self);
  const char *(*get_error) (RlEngine *self);
  RlEngineFeatures (*get_features) (RlEngine *self);
  void (*set_max_calls) (RlEngine *self, guint max_calls);
  void (*command_async) (RlEngine *self, const char *command, const char *params, RlCtrlFlags flags,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data);
  char *(*command_finish) (RlEngine *self, GAsyncResult *result, GError **error);
};

RlEngineState rl_engine_get_state (RlEngine *self);
const char *rl_engine_get_version (RlEngine *self);
const char *rl_engine_get_error (RlEngine *self);
RlEngineFeatures rl_engine_get_features (RlEngine *self);
void rl_engine_set_max_calls (RlEngine *self, guint max_calls);
void rl_engine_command_async (RlEngine *self, const char *command, const char *params,
                              RlCtrlFlags flags, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
char *rl_engine_command_finish (RlEngine *self, GAsyncResult *result, GError **error);

void rl_engine_emit_ready (RlEngine *self);
void rl_engine_emit_lost (RlEngine *self, const GError *error);
void rl_engine_emit_event (RlEngine *self, RlEngineEvent *event);

G_END_DECLS

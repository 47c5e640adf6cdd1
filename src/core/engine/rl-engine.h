/* rl-engine.h: supervises the baresip process and speaks to it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-ctrl-client.h"
#include "rl-quality.h"

G_BEGIN_DECLS

typedef enum
{
  RL_ENGINE_STATE_STOPPED,
  RL_ENGINE_STATE_STARTING,
  RL_ENGINE_STATE_RUNNING,
  RL_ENGINE_STATE_RESTARTING,
  RL_ENGINE_STATE_MISSING, /* no baresip binary: the app runs, calls cannot */
} RlEngineState;

typedef enum
{
  RL_ENGINE_AUDIO_SYSTEM, /* the user's sound server through ALSA's default device */
  RL_ENGINE_AUDIO_NULL,   /* a test tone in, nothing out: works with no sound card */
} RlEngineAudio;

typedef enum
{
  RL_ENGINE_EVENT_OTHER,
  RL_ENGINE_EVENT_REGISTERING,
  RL_ENGINE_EVENT_REGISTER_OK,
  RL_ENGINE_EVENT_REGISTER_FAIL,
  RL_ENGINE_EVENT_UNREGISTERING,
  RL_ENGINE_EVENT_CALL_INCOMING,
  RL_ENGINE_EVENT_CALL_OUTGOING,
  RL_ENGINE_EVENT_CALL_RINGING,
  RL_ENGINE_EVENT_CALL_PROGRESS,
  RL_ENGINE_EVENT_CALL_ESTABLISHED,
  RL_ENGINE_EVENT_CALL_CLOSED,
  RL_ENGINE_EVENT_CALL_DTMF_START,
  RL_ENGINE_EVENT_CALL_DTMF_END,
  RL_ENGINE_EVENT_CALL_RTCP,
  RL_ENGINE_EVENT_TRANSFER,
  RL_ENGINE_EVENT_TRANSFER_FAILED,
  RL_ENGINE_EVENT_CALL_HOLD,   /* the peer held the call (newer baresip only) */
  RL_ENGINE_EVENT_CALL_RESUME, /* the peer took it off hold (newer baresip only) */
} RlEngineEventType;

/* A baresip event, typed. Strings are never NULL. */
typedef struct
{
  RlEngineEventType type;
  char *type_name;
  char *call_id;
  gboolean outgoing;
  char *peer_uri;
  char *peer_name;
  char *param;
  char *account_aor;
  gboolean has_rtcp; /* CALL_RTCP with its figures */
  RlQualitySample rtcp;
  char *reason_header; /* CALL_CLOSED: the ending message's Reason header, or NULL */
} RlEngineEvent;

#define RL_TYPE_ENGINE_EVENT (rl_engine_event_get_type ())
GType rl_engine_event_get_type (void);
RlEngineEvent *rl_engine_event_new_from_json (JsonObject *message);
RlEngineEvent *rl_engine_event_copy (const RlEngineEvent *event);
void rl_engine_event_free (RlEngineEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlEngineEvent, rl_engine_event_free)

#define RL_TYPE_ENGINE (rl_engine_get_type ())
G_DECLARE_FINAL_TYPE (RlEngine, rl_engine, RL, ENGINE, GObject)

RlEngine *rl_engine_new (void);
void rl_engine_start (RlEngine *self);
void rl_engine_stop (RlEngine *self);
RlEngineState rl_engine_get_state (RlEngine *self);
const char *rl_engine_get_version (RlEngine *self);
const char *rl_engine_get_error (RlEngine *self);
guint rl_engine_get_pid (RlEngine *self);
guint16 rl_engine_get_sip_port (RlEngine *self);
const char *rl_engine_get_config_dir (RlEngine *self);
gboolean rl_engine_has_command (RlEngine *self, const char *command);
void rl_engine_set_listen_address (RlEngine *self, const char *address);
void rl_engine_set_max_calls (RlEngine *self, guint max_calls);
void rl_engine_set_audio_devices (RlEngine *self, gboolean sound_server,
                                  const char *const *devices);
void rl_engine_command_async (RlEngine *self, const char *command, const char *params,
                              RlCtrlFlags flags, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data);
char *rl_engine_command_finish (RlEngine *self, GAsyncResult *result, GError **error);

G_END_DECLS

/* rl-engine-event.h: what the call engine reports, typed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-quality.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

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

/* An engine event (baresip's, or a test's script). Strings are never NULL. */
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
  GVariant *headers;   /* CALL_INCOMING: a{ss}, the INVITE's hand-on headers, or NULL */
} RlEngineEvent;

#define RL_TYPE_ENGINE_EVENT (rl_engine_event_get_type ())
GType rl_engine_event_get_type (void);
RlEngineEvent *rl_engine_event_new_from_json (JsonObject *message);
RlEngineEvent *rl_engine_event_copy (const RlEngineEvent *event);
void rl_engine_event_free (RlEngineEvent *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RlEngineEvent, rl_engine_event_free)

G_END_DECLS

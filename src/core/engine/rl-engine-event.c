/* rl-engine-event.c
 *
 * baresip's ctrl_tcp events are JSON objects; each becomes an RlEngineEvent
 * whose strings are never NULL, whatever the engine left out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlEngineEvent"

#include "rl-engine-event.h"
#include "rl-json.h"

G_DEFINE_BOXED_TYPE (RlEngineEvent, rl_engine_event, rl_engine_event_copy, rl_engine_event_free)

static const struct
{
  const char *name;
  RlEngineEventType type;
} event_names[] = {
  { "REGISTERING", RL_ENGINE_EVENT_REGISTERING },
  { "REGISTER_OK", RL_ENGINE_EVENT_REGISTER_OK },
  { "REGISTER_FAIL", RL_ENGINE_EVENT_REGISTER_FAIL },
  { "UNREGISTERING", RL_ENGINE_EVENT_UNREGISTERING },
  { "CALL_INCOMING", RL_ENGINE_EVENT_CALL_INCOMING },
  { "CALL_OUTGOING", RL_ENGINE_EVENT_CALL_OUTGOING },
  { "CALL_RINGING", RL_ENGINE_EVENT_CALL_RINGING },
  { "CALL_PROGRESS", RL_ENGINE_EVENT_CALL_PROGRESS },
  { "CALL_ESTABLISHED", RL_ENGINE_EVENT_CALL_ESTABLISHED },
  { "CALL_CLOSED", RL_ENGINE_EVENT_CALL_CLOSED },
  { "CALL_DTMF_START", RL_ENGINE_EVENT_CALL_DTMF_START },
  { "CALL_DTMF_END", RL_ENGINE_EVENT_CALL_DTMF_END },
  { "CALL_RTCP", RL_ENGINE_EVENT_CALL_RTCP },
  { "TRANSFER", RL_ENGINE_EVENT_TRANSFER },
  { "TRANSFER_FAILED", RL_ENGINE_EVENT_TRANSFER_FAILED },
  { "CALL_HOLD", RL_ENGINE_EVENT_CALL_HOLD },
  { "CALL_RESUME", RL_ENGINE_EVENT_CALL_RESUME },
};

static char *
member (JsonObject *message, const char *name)
{
  const char *value = rl_json_string (message, name);

  return g_strdup (value ? value : "");
}

RlEngineEvent *
rl_engine_event_new_from_json (JsonObject *message)
{
  RlEngineEvent *event = g_new0 (RlEngineEvent, 1);
  g_autofree char *direction = member (message, "direction");

  event->type_name = member (message, "type");
  for (guint i = 0; i < G_N_ELEMENTS (event_names); i++)
    if (g_str_equal (event->type_name, event_names[i].name))
      event->type = event_names[i].type;
  event->call_id = member (message, "id");
  event->outgoing = g_str_equal (direction, "outgoing");
  event->peer_uri = member (message, "peeruri");
  event->peer_name = member (message, "peerdisplayname");
  event->param = member (message, "param");
  event->account_aor = member (message, "accountaor");
  if (event->type == RL_ENGINE_EVENT_CALL_RTCP
      && rl_json_member_object (message, "rtcp_stats") != NULL)
    event->has_rtcp
      = rl_quality_sample_from_json (rl_json_member_object (message, "rtcp_stats"), &event->rtcp);
  return event;
}

RlEngineEvent *
rl_engine_event_copy (const RlEngineEvent *event)
{
  RlEngineEvent *copy = g_memdup2 (event, sizeof *event);

  copy->type_name = g_strdup (event->type_name);
  copy->call_id = g_strdup (event->call_id);
  copy->peer_uri = g_strdup (event->peer_uri);
  copy->peer_name = g_strdup (event->peer_name);
  copy->param = g_strdup (event->param);
  copy->account_aor = g_strdup (event->account_aor);
  copy->reason_header = g_strdup (event->reason_header);
  copy->headers = event->headers ? g_variant_ref (event->headers) : NULL;
  return copy;
}

void
rl_engine_event_free (RlEngineEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->type_name);
  g_free (event->call_id);
  g_free (event->peer_uri);
  g_free (event->peer_name);
  g_free (event->param);
  g_free (event->account_aor);
  g_free (event->reason_header);
  g_clear_pointer (&event->headers, g_variant_unref);
  g_free (event);
}

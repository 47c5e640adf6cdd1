/* rl-agent-status.c
 *
 * The agent's seat status. Idle turns busy by itself while a call is up and
 * back after, through wrap-up when :wrap-up-seconds is set (the agent's time
 * to finish the call's notes; idle by hand ends it early); a status the
 * agent chose stays until the agent changes it. While resting, in wrap-up or
 * busy by choice the phone answers inbound calls busy; dialling still works.
 * Signed in, every change goes to the backend (the last one wins; one that
 * fails offline is sent when the backend is back), a sign-in adopts the rest
 * the backend remembers, and a change made elsewhere (another instance, the
 * backend) is read every POLL_SECONDS.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlAgentStatus"

#include "rl-agent-status.h"
#include "rl-callcenter-enums.h"
#include "rl-enum.h"
#include "rl-error.h"
#include "rl-json.h"

struct _RlAgentStatus
{
  GObject parent_instance;

  RlPhone *phone;
  RlSession *session;
  GCancellable *cancellable;
  RlAgentState state;
  const char *reason; /* static strings from the table below */
  gboolean automatic; /* busy because of a call, not by choice */
  gboolean dirty;     /* the backend has not got the current status yet */
  gboolean sending;
  int backend_row; /* what the backend had when last heard from; -1 unknown */
  guint poll_id;
  gboolean polling;
  guint pushes;      /* counts the changes sent: a poll that crossed one is stale */
  guint poll_pushes; /* the count when the poll in flight left */
  guint wrap_up_seconds;
  guint wrap_up_id;
};

#define POLL_SECONDS 5

G_DEFINE_FINAL_TYPE (RlAgentStatus, rl_agent_status, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATUS,
  PROP_REASON,
  PROP_CODE,
  PROP_WRAP_UP_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The call center's seat status codes (docs/dbus-api.md): 1 idle, 2 busy, 3–7 rest for a
 * reason, 8 wrap-up. */
static const struct
{
  RlAgentState state;
  const char *reason;
  guint code;
} table[] = {
  { RL_AGENT_STATE_IDLE, "", 1 },        { RL_AGENT_STATE_BUSY, "", 2 },
  { RL_AGENT_STATE_REST, "meeting", 3 }, { RL_AGENT_STATE_REST, "meal", 4 },
  { RL_AGENT_STATE_REST, "break", 5 },   { RL_AGENT_STATE_REST, "sleeping", 6 },
  { RL_AGENT_STATE_REST, "other", 7 },   { RL_AGENT_STATE_WRAP_UP, "", 8 },
};

static int
find (RlAgentState state, const char *reason)
{
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (table[i].state == state && g_strcmp0 (table[i].reason, reason) == 0)
      return i;
  return -1;
}

/* The backend's words, which are outside input. */
static int
find_words (const char *status, const char *reason)
{
  int state;

  if (!rl_enum_from_nick (RL_TYPE_AGENT_STATE, status, &state))
    return -1;
  return find (state, reason ? reason : "");
}

const char *
rl_agent_state_to_string (RlAgentState state)
{
  return rl_enum_to_nick (RL_TYPE_AGENT_STATE, state);
}

static void push (RlAgentStatus *self);

static void
apply (RlAgentStatus *self, int row, gboolean automatic, gboolean local)
{
  gboolean status_changed = self->state != table[row].state;
  gboolean reason_changed = !g_str_equal (self->reason, table[row].reason);

  self->automatic = automatic;
  if (!status_changed && !reason_changed)
    return;
  self->state = table[row].state;
  self->reason = table[row].reason;
  if (self->state != RL_AGENT_STATE_WRAP_UP)
    g_clear_handle_id (&self->wrap_up_id, g_source_remove);
  rl_phone_set_refuse_inbound (
    self->phone, self->state == RL_AGENT_STATE_REST || self->state == RL_AGENT_STATE_WRAP_UP
                   || (self->state == RL_AGENT_STATE_BUSY && !automatic));
  g_object_freeze_notify (G_OBJECT (self));
  if (status_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CODE]);
  if (reason_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
  g_object_thaw_notify (G_OBJECT (self));
  if (!local)
    return;
  self->dirty = TRUE;
  push (self);
}

/* ---- the backend ---- */

static void
on_pushed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlAgentStatus) self = user_data;
  g_autoptr (GError) error = NULL;
  JsonNode *reply = rl_backend_request_finish (RL_BACKEND (source), result, &error);

  g_clear_pointer (&reply, json_node_unref); /* only whether it came matters */
  self->sending = FALSE;
  if (error == NULL)
    self->backend_row = find (self->state, self->reason);
  /* A reply for a session that ended since (its tokens revoked) says nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || !rl_session_get_signed_in (self->session))
    return;
  /* Offline: sent again when the backend is back. Refused: nothing to retry. */
  if (g_error_matches (error, RL_ERROR, RL_ERROR_OFFLINE))
    self->dirty = TRUE;
  else if (error)
    g_warning ("The backend did not take the agent status: %s", error->message);
  if (rl_session_get_online (self->session))
    push (self);
}

static void
push (RlAgentStatus *self)
{
  g_autoptr (JsonNode) body = NULL;

  if (self->sending || !self->dirty || !rl_session_get_signed_in (self->session))
    return;
  body = rl_json_strings ("status", rl_agent_state_to_string (self->state), "reason", self->reason,
                          NULL);
  self->sending = TRUE;
  self->pushes++;
  self->dirty = FALSE;
  rl_backend_request_async (rl_session_get_backend (self->session), "PUT", "/api/agent-status",
                            body, RL_BACKEND_REQUEST_AUTH, self->cancellable, on_pushed,
                            g_object_ref (self));
}

/* A rest the backend remembers (another device, or before a restart) holds
 * here too, unless the agent chose a status here since; its idle or busy do
 * not, as the calls here decide those. */
static void
on_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlAgentStatus) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) reply = rl_backend_request_finish (RL_BACKEND (source), result, &error);
  JsonObject *o = rl_json_object (reply);
  int row = find_words (rl_json_string (o, "status"), rl_json_string (o, "reason"));

  if (error)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not read the agent status: %s", error->message);
      return;
    }
  if (!self->dirty && row >= 0 && table[row].state == RL_AGENT_STATE_REST)
    apply (self, row, FALSE, FALSE);
  else if (row < 0 || table[row].state != self->state
           || !g_str_equal (table[row].reason, self->reason))
    self->dirty = TRUE;
  self->backend_row = row;
  push (self);
}

/* What the backend has now, if someone else changed it since we last heard
 * (another instance of this agent, a supervisor): adopted, but for idle or
 * busy, which the calls here decide. */
static void
on_polled (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlAgentStatus) self = user_data;
  g_autoptr (JsonNode) reply = rl_backend_request_finish (RL_BACKEND (source), result, NULL);
  JsonObject *o = rl_json_object (reply);
  int row = find_words (rl_json_string (o, "status"), rl_json_string (o, "reason"));

  self->polling = FALSE;
  if (row < 0 || row == self->backend_row || self->dirty || self->sending
      || self->poll_pushes != self->pushes)
    return;
  self->backend_row = row;
  if (table[row].state != RL_AGENT_STATE_IDLE && table[row].state != RL_AGENT_STATE_BUSY)
    apply (self, row, FALSE, FALSE);
  else if (self->state != RL_AGENT_STATE_IDLE && self->state != RL_AGENT_STATE_BUSY)
    apply (self, row, FALSE, FALSE);
}

static gboolean
on_poll_due (gpointer data)
{
  RlAgentStatus *self = data;

  if (!rl_session_get_online (self->session) || self->sending || self->polling)
    return G_SOURCE_CONTINUE;
  self->polling = TRUE;
  self->poll_pushes = self->pushes;
  rl_backend_request_async (rl_session_get_backend (self->session), "GET", "/api/agent-status",
                            NULL, RL_BACKEND_REQUEST_AUTH, self->cancellable, on_polled,
                            g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

static void
on_signed_in_changed (RlAgentStatus *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  self->backend_row = -1;
  self->polling = FALSE;
  if (!rl_session_get_signed_in (self->session))
    {
      /* What was on its way belonged to the session that ended. */
      g_cancellable_cancel (self->cancellable);
      g_object_unref (self->cancellable);
      self->cancellable = g_cancellable_new ();
      return;
    }
  self->poll_id = g_timeout_add_seconds (POLL_SECONDS, on_poll_due, self);
  rl_backend_request_async (rl_session_get_backend (self->session), "GET", "/api/agent-status",
                            NULL, RL_BACKEND_REQUEST_AUTH, self->cancellable, on_fetched,
                            g_object_ref (self));
}

static void
on_online_changed (RlAgentStatus *self)
{
  if (rl_session_get_online (self->session))
    push (self);
}

/* ---- calls ---- */

/* A call counts from dialling, or for an inbound one from answering: an
 * agent is not busy because a phone rings. */
static gboolean
in_call (RlAgentStatus *self)
{
  GListModel *calls = rl_phone_get_calls (self->phone);

  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (calls, i);
      if (rl_call_get_state (call) != RL_CALL_STATE_TERMINATED && !rl_call_is_ringing_in (call))
        return TRUE;
    }
  return FALSE;
}

static gboolean
on_wrap_up_over (gpointer data)
{
  RlAgentStatus *self = data;

  self->wrap_up_id = 0;
  apply (self, find (RL_AGENT_STATE_IDLE, ""), FALSE, TRUE);
  return G_SOURCE_REMOVE;
}

static void
on_calls_changed (RlAgentStatus *self)
{
  gboolean busy = in_call (self);

  if (busy && (self->state == RL_AGENT_STATE_IDLE || self->state == RL_AGENT_STATE_WRAP_UP))
    apply (self, find (RL_AGENT_STATE_BUSY, ""), TRUE, TRUE);
  else if (!busy && self->automatic && self->wrap_up_seconds > 0)
    {
      apply (self, find (RL_AGENT_STATE_WRAP_UP, ""), FALSE, TRUE);
      self->wrap_up_id = g_timeout_add_seconds (self->wrap_up_seconds, on_wrap_up_over, self);
    }
  else if (!busy && self->automatic)
    apply (self, find (RL_AGENT_STATE_IDLE, ""), FALSE, TRUE);
}

/* ---- the object ---- */

RlAgentState
rl_agent_status_get_state (RlAgentStatus *self)
{
  g_return_val_if_fail (RL_IS_AGENT_STATUS (self), RL_AGENT_STATE_IDLE);
  return self->state;
}

const char *
rl_agent_status_get_reason (RlAgentStatus *self)
{
  g_return_val_if_fail (RL_IS_AGENT_STATUS (self), NULL);
  return self->reason;
}

/**
 * rl_agent_status_get_code:
 *
 * Returns: the call center's seat status code (1 idle, 2 busy, 3 meeting, 4 meal,
 *   5 break, 6 sleeping, 7 other, 8 wrap-up)
 */
guint
rl_agent_status_get_code (RlAgentStatus *self)
{
  g_return_val_if_fail (RL_IS_AGENT_STATUS (self), 0);
  return table[find (self->state, self->reason)].code;
}

/**
 * rl_agent_status_set:
 * @reason: with rest, one of "meeting", "meal", "break", "sleeping", "other"; else ""
 */
gboolean
rl_agent_status_set (RlAgentStatus *self, RlAgentState state, const char *reason, GError **error)
{
  int row = find (state, reason ? reason : "");

  g_return_val_if_fail (RL_IS_AGENT_STATUS (self), FALSE);
  if (row < 0)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                   "Unknown agent status '%s' with reason '%s': use idle, busy, wrap-up, or "
                   "rest with meeting, meal, break, sleeping or other",
                   rl_agent_state_to_string (state), reason ? reason : "");
      return FALSE;
    }
  apply (self, row, FALSE, TRUE);
  return TRUE;
}

static void
rl_agent_status_dispose (GObject *object)
{
  RlAgentStatus *self = RL_AGENT_STATUS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->wrap_up_id, g_source_remove);
  if (self->phone)
    g_signal_handlers_disconnect_by_data (self->phone, self);
  if (self->session)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->phone);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (rl_agent_status_parent_class)->dispose (object);
}

static void
rl_agent_status_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlAgentStatus *self = RL_AGENT_STATUS (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->state);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_CODE:
      g_value_set_uint (value, rl_agent_status_get_code (self));
      break;
    case PROP_WRAP_UP_SECONDS:
      g_value_set_uint (value, self->wrap_up_seconds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_agent_status_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  RlAgentStatus *self = RL_AGENT_STATUS (object);

  switch (prop_id)
    {
    case PROP_WRAP_UP_SECONDS:
      if (self->wrap_up_seconds == g_value_get_uint (value))
        return;
      self->wrap_up_seconds = g_value_get_uint (value);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_agent_status_class_init (RlAgentStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = rl_agent_status_dispose;
  object_class->get_property = rl_agent_status_get_property;
  object_class->set_property = rl_agent_status_set_property;
  properties[PROP_STATUS]
    = g_param_spec_enum ("status", NULL, NULL, RL_TYPE_AGENT_STATE, RL_AGENT_STATE_IDLE, flags);
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, "", flags);
  properties[PROP_CODE] = g_param_spec_uint ("code", NULL, NULL, 1, 8, 1, flags);
  /**
   * RlAgentStatus:wrap-up-seconds:
   *
   * After a call that made the agent busy, this long in wrap-up before
   * idle; 0: straight back to idle.
   */
  properties[PROP_WRAP_UP_SECONDS]
    = g_param_spec_uint ("wrap-up-seconds", NULL, NULL, 0, 3600, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_agent_status_init (RlAgentStatus *self)
{
  self->cancellable = g_cancellable_new ();
  self->state = table[0].state;
  self->reason = table[0].reason;
  self->backend_row = -1;
}

RlAgentStatus *
rl_agent_status_new (RlPhone *phone, RlSession *session)
{
  RlAgentStatus *self = g_object_new (RL_TYPE_AGENT_STATUS, NULL);

  self->phone = g_object_ref (phone);
  self->session = g_object_ref (session);
  g_signal_connect_swapped (phone, "call-state-changed", G_CALLBACK (on_calls_changed), self);
  g_signal_connect_swapped (phone, "call-removed", G_CALLBACK (on_calls_changed), self);
  g_signal_connect_swapped (session, "notify::signed-in", G_CALLBACK (on_signed_in_changed), self);
  g_signal_connect_swapped (session, "notify::online", G_CALLBACK (on_online_changed), self);
  return self;
}

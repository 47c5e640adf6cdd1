/* rl-call.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "rl-call-private.h"
#include "rl-target.h"

struct _RlCall
{
  GObject parent_instance;

  char *id;
  char *engine_id;
  guint line;
  RlCallDirection direction;
  RlCallState state;
  char *remote_uri;
  char *remote_number;
  char *remote_name;
  char *local_number;
  GVariant *options;
  GDateTime *started;
  GDateTime *answered;
  GDateTime *ended;
  char *end_reason;
  guint end_code;
  char *end_text;
  gboolean hangup_requested;
};

G_DEFINE_FINAL_TYPE (RlCall, rl_call, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_DIRECTION,
  PROP_STATE,
  PROP_REMOTE_URI,
  PROP_REMOTE_NUMBER,
  PROP_REMOTE_NAME,
  PROP_END_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rl_call_finalize (GObject *object)
{
  RlCall *self = RL_CALL (object);

  g_free (self->id);
  g_free (self->engine_id);
  g_free (self->remote_uri);
  g_free (self->remote_number);
  g_free (self->remote_name);
  g_free (self->local_number);
  g_clear_pointer (&self->options, g_variant_unref);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->answered, g_date_time_unref);
  g_clear_pointer (&self->ended, g_date_time_unref);
  g_free (self->end_reason);
  g_free (self->end_text);
  G_OBJECT_CLASS (rl_call_parent_class)->finalize (object);
}

static void
rl_call_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlCall *self = RL_CALL (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_DIRECTION:
      g_value_set_string (value, rl_call_direction_to_string (self->direction));
      break;
    case PROP_STATE:
      g_value_set_string (value, rl_call_state_to_string (self->state));
      break;
    case PROP_REMOTE_URI:
      g_value_set_string (value, self->remote_uri);
      break;
    case PROP_REMOTE_NUMBER:
      g_value_set_string (value, self->remote_number);
      break;
    case PROP_REMOTE_NAME:
      g_value_set_string (value, self->remote_name);
      break;
    case PROP_END_REASON:
      g_value_set_string (value, self->end_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_call_class_init (RlCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = rl_call_finalize;
  object_class->get_property = rl_call_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_DIRECTION] = g_param_spec_string ("direction", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_string ("state", NULL, NULL, NULL, flags);
  properties[PROP_REMOTE_URI] = g_param_spec_string ("remote-uri", NULL, NULL, NULL, flags);
  properties[PROP_REMOTE_NUMBER] = g_param_spec_string ("remote-number", NULL, NULL, NULL, flags);
  properties[PROP_REMOTE_NAME] = g_param_spec_string ("remote-name", NULL, NULL, NULL, flags);
  properties[PROP_END_REASON] = g_param_spec_string ("end-reason", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_call_init (RlCall *self)
{
  self->id = g_uuid_string_random ();
  self->started = g_date_time_new_now_utc ();
  self->end_text = g_strdup ("");
}

RlCall *
_rl_call_new (RlCallDirection direction, const char *remote_uri, const char *remote_name,
              const char *local_number, GVariant *options)
{
  RlCall *self = g_object_new (RL_TYPE_CALL, NULL);

  self->direction = direction;
  self->state
    = direction == RL_CALL_DIRECTION_INBOUND ? RL_CALL_STATE_RINGING : RL_CALL_STATE_CALLING;
  self->local_number = g_strdup (local_number ? local_number : "");
  self->options = options ? g_variant_ref_sink (options) : NULL;
  _rl_call_set_remote (self, remote_uri, remote_name);
  return self;
}

const char *
_rl_call_get_engine_id (RlCall *self)
{
  return self->engine_id;
}

void
_rl_call_set_engine_id (RlCall *self, const char *engine_id)
{
  g_free (self->engine_id);
  self->engine_id = g_strdup (engine_id);
}

guint
_rl_call_get_line (RlCall *self)
{
  return self->line;
}

void
_rl_call_set_line (RlCall *self, guint line)
{
  self->line = line;
}

void
_rl_call_set_remote (RlCall *self, const char *remote_uri, const char *remote_name)
{
  g_autofree char *number = rl_target_uri_user (remote_uri);

  if (g_strcmp0 (self->remote_uri, remote_uri) != 0)
    {
      g_free (self->remote_uri);
      self->remote_uri = g_strdup (remote_uri ? remote_uri : "");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_URI]);
    }
  if (g_strcmp0 (self->remote_number, number) != 0)
    {
      g_free (self->remote_number);
      self->remote_number = g_steal_pointer (&number);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_NUMBER]);
    }
  if (remote_name && g_strcmp0 (self->remote_name, remote_name) != 0)
    {
      g_free (self->remote_name);
      self->remote_name = g_strdup (remote_name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_NAME]);
    }
  if (self->remote_name == NULL)
    self->remote_name = g_strdup ("");
}

void
_rl_call_set_state (RlCall *self, RlCallState state)
{
  if (self->state == state || self->state == RL_CALL_STATE_TERMINATED)
    return;
  if (state == RL_CALL_STATE_ACCEPTED && self->answered == NULL)
    self->answered = g_date_time_new_now_utc ();
  if (state == RL_CALL_STATE_TERMINATED && self->ended == NULL)
    self->ended = g_date_time_new_now_utc ();
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
_rl_call_terminate (RlCall *self, const RlEndReason *reason)
{
  if (self->state == RL_CALL_STATE_TERMINATED)
    return;
  g_free (self->end_reason);
  self->end_reason = g_strdup (reason->category);
  self->end_code = reason->code;
  g_free (self->end_text);
  self->end_text = g_strdup (reason->text ? reason->text : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_REASON]);
  _rl_call_set_state (self, RL_CALL_STATE_TERMINATED);
}

gboolean
_rl_call_get_hangup_requested (RlCall *self)
{
  return self->hangup_requested;
}

void
_rl_call_set_hangup_requested (RlCall *self)
{
  self->hangup_requested = TRUE;
}

const char *
rl_call_get_id (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);
  return self->id;
}

RlCallDirection
rl_call_get_direction (RlCall *self)
{
  return self->direction;
}

RlCallState
rl_call_get_state (RlCall *self)
{
  return self->state;
}

const char *
rl_call_get_remote_uri (RlCall *self)
{
  return self->remote_uri;
}

const char *
rl_call_get_remote_number (RlCall *self)
{
  return self->remote_number;
}

const char *
rl_call_get_remote_name (RlCall *self)
{
  return self->remote_name;
}

const char *
rl_call_get_local_number (RlCall *self)
{
  return self->local_number;
}

GDateTime *
rl_call_get_started (RlCall *self)
{
  return self->started;
}

GDateTime *
rl_call_get_answered (RlCall *self)
{
  return self->answered;
}

GDateTime *
rl_call_get_ended (RlCall *self)
{
  return self->ended;
}

const char *
rl_call_get_end_reason (RlCall *self)
{
  return self->end_reason;
}

guint
rl_call_get_end_code (RlCall *self)
{
  return self->end_code;
}

const char *
rl_call_get_end_text (RlCall *self)
{
  return self->end_text;
}

const char *
rl_call_state_to_string (RlCallState state)
{
  static const char *names[] = { "calling", "ringing", "accepted", "terminated" };

  g_return_val_if_fail (state <= RL_CALL_STATE_TERMINATED, "terminated");
  return names[state];
}

const char *
rl_call_direction_to_string (RlCallDirection direction)
{
  return direction == RL_CALL_DIRECTION_INBOUND ? "inbound" : "outbound";
}

static guint
seconds_between (GDateTime *from, GDateTime *to)
{
  if (from == NULL || to == NULL)
    return 0;
  return (guint) MAX (0, g_date_time_difference (to, from) / G_TIME_SPAN_SECOND);
}

/* The seeds' status for a call record: answered, or how it failed to be. */
static const char *
call_status (RlCall *self)
{
  if (self->answered)
    return "answered";
  if (self->state != RL_CALL_STATE_TERMINATED)
    return "ringing";
  if (self->direction == RL_CALL_DIRECTION_INBOUND)
    return g_strcmp0 (self->end_reason, RL_END_LOCAL_HANGUP) == 0 ? "rejected" : "missed";
  return "failed";
}

/**
 * rl_call_build_details:
 *
 * Returns: (transfer floating): the call as an a{sv}: the fields the seeds'
 * phone events carry (id, direction, from, to, date, status, duration, wait,
 * total) plus state, remote name and, once ended, the reason.
 */
GVariant *
rl_call_build_details (RlCall *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *end = self->ended ? self->ended : now;
  g_autofree char *date = g_date_time_format_iso8601 (self->started);
  gboolean inbound = self->direction == RL_CALL_DIRECTION_INBOUND;
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
#define ADD(key, value) g_variant_builder_add (&b, "{sv}", key, value)
  ADD ("id", g_variant_new_string (self->id));
  ADD ("direction", g_variant_new_string (rl_call_direction_to_string (self->direction)));
  ADD ("from", g_variant_new_string (inbound ? self->remote_number : self->local_number));
  ADD ("to", g_variant_new_string (inbound ? self->local_number : self->remote_number));
  ADD ("remote_uri", g_variant_new_string (self->remote_uri));
  ADD ("remote_name", g_variant_new_string (self->remote_name));
  ADD ("date", g_variant_new_string (date));
  ADD ("state", g_variant_new_string (rl_call_state_to_string (self->state)));
  ADD ("status", g_variant_new_string (call_status (self)));
  ADD ("wait", g_variant_new_uint32 (
                 seconds_between (self->started, self->answered ? self->answered : end)));
  ADD ("duration", g_variant_new_uint32 (seconds_between (self->answered, end)));
  ADD ("total", g_variant_new_uint32 (seconds_between (self->started, end)));
  if (self->state == RL_CALL_STATE_TERMINATED)
    {
      ADD ("reason", g_variant_new_string (self->end_reason ? self->end_reason : ""));
      ADD ("reason_code", g_variant_new_uint32 (self->end_code));
      ADD ("reason_text", g_variant_new_string (self->end_text));
    }
  if (self->options)
    ADD ("options", g_variant_ref (self->options));
#undef ADD
  return g_variant_builder_end (&b);
}

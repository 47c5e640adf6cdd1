/* rl-call.c
 *
 * RlCall is the call as everyone sees it; only the phone changes it
 * (rl-call-private.h). Longer than most files: its twenty-odd properties and
 * the call record built from them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlCall"

#include "rl-call-private.h"
#include "rl-enum.h"
#include "rl-error.h"
#include "rl-phone-enums.h"
#include "rl-engine-enums.h"
#include "rl-platform-code.h"
#include "rl-quality.h"
#include "rl-target.h"
#include "rl-variant.h"

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
  char *contact_id; /* the contact the remote number belongs to, or NULL */
  char *post_dial;  /* a dialled tel: link's ;ext=/;postd=, sent once answered */
  gboolean early_media;
  GVariant *headers; /* a{ss}: hand-on headers the call came with, or sent */
  GVariant *data;    /* a{sv}: what a CRM attached (SetData), or NULL */
  char *contact_source;
  char *local_number;
  GVariant *options;
  GDateTime *started;
  char *date; /* started, ISO 8601, for every record */
  GDateTime *answered;
  GDateTime *ended;
  RlEndCategory end_reason; /* once terminated */
  guint end_code;
  char *end_text;
  guint platform_code;
  char *platform_text;
  char *platform_protocol;
  RlHeldBy held_by;
  gboolean held_local;
  gboolean held_remote;
  gboolean muted;
  gboolean recording;
  char *recording_url; /* the backend's, once a recording stopped */
  RlQualitySample last_sample;
  GVariant *report;        /* a{sv}: the figures of the last RTCP report */
  RlQualityLive last_live; /* the counters last read, time_us 0 before */
  GVariant *quality;       /* a{sv}: the report, refreshed by the counters */
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
  PROP_MUTED,
  PROP_HELD_BY,
  PROP_QUALITY,
  PROP_RECORDING,
  PROP_DATA,
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
  g_clear_pointer (&self->headers, g_variant_unref);
  g_clear_pointer (&self->data, g_variant_unref);
  g_free (self->contact_id);
  g_free (self->post_dial);
  g_free (self->contact_source);
  g_free (self->local_number);
  g_clear_pointer (&self->options, g_variant_unref);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_free (self->date);
  g_clear_pointer (&self->answered, g_date_time_unref);
  g_clear_pointer (&self->ended, g_date_time_unref);
  g_free (self->end_text);
  g_free (self->platform_text);
  g_free (self->platform_protocol);
  g_free (self->recording_url);
  g_clear_pointer (&self->quality, g_variant_unref);
  g_clear_pointer (&self->report, g_variant_unref);
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
      g_value_set_enum (value, self->direction);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
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
      g_value_set_enum (value, self->end_reason);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_HELD_BY:
      g_value_set_enum (value, self->held_by);
      break;
    case PROP_QUALITY:
      g_value_set_variant (value, self->quality);
      break;
    case PROP_RECORDING:
      g_value_set_boolean (value, self->recording);
      break;
    case PROP_DATA:
      g_value_set_variant (value, self->data);
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
  properties[PROP_DIRECTION] = g_param_spec_enum ("direction", NULL, NULL, RL_TYPE_CALL_DIRECTION,
                                                  RL_CALL_DIRECTION_OUTBOUND, flags);
  properties[PROP_STATE]
    = g_param_spec_enum ("state", NULL, NULL, RL_TYPE_CALL_STATE, RL_CALL_STATE_CALLING, flags);
  properties[PROP_REMOTE_URI] = g_param_spec_string ("remote-uri", NULL, NULL, NULL, flags);
  properties[PROP_REMOTE_NUMBER] = g_param_spec_string ("remote-number", NULL, NULL, NULL, flags);
  properties[PROP_REMOTE_NAME] = g_param_spec_string ("remote-name", NULL, NULL, NULL, flags);
  properties[PROP_END_REASON]
    = g_param_spec_enum ("end-reason", NULL, NULL, RL_TYPE_END_CATEGORY, RL_END_FAILED, flags);
  properties[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE, flags);
  properties[PROP_HELD_BY]
    = g_param_spec_enum ("held-by", NULL, NULL, RL_TYPE_HELD_BY, RL_HELD_BY_NONE, flags);
  /**
   * RlCall:quality:
   *
   * Loss, jitter, round trip, packets, bitrates and a label, refreshed on
   * each RTCP report the engine gets and every 2 s from baresip's counters
   * (see rl-quality.c for the formula).
   */
  properties[PROP_QUALITY]
    = g_param_spec_variant ("quality", NULL, NULL, G_VARIANT_TYPE_VARDICT, NULL, flags);
  /**
   * RlCall:recording:
   *
   * Whether the call center records the call (started and stopped through
   * its backend).
   */
  properties[PROP_RECORDING] = g_param_spec_boolean ("recording", NULL, NULL, FALSE, flags);
  /**
   * RlCall:data:
   *
   * What a CRM attached to the call (Call1.SetData): engagement_id,
   * order_id and keys of its own, merged over earlier ones; %NULL until then.
   */
  properties[PROP_DATA]
    = g_param_spec_variant ("data", NULL, NULL, G_VARIANT_TYPE_VARDICT, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rl_call_init (RlCall *self)
{
  self->id = g_uuid_string_random ();
  self->started = g_date_time_new_now_utc ();
  self->date = g_date_time_format_iso8601 (self->started);
  self->end_text = g_strdup ("");
  self->platform_text = g_strdup ("");
  self->platform_protocol = g_strdup ("");
  self->end_reason = RL_END_FAILED;
  self->quality = g_variant_ref_sink (g_variant_new ("a{sv}", NULL));
  self->report = g_variant_ref (self->quality);
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

/* Caller ID: the agent's own name for the party beats the network's. */
void
_rl_call_set_contact (RlCall *self, const char *source, const char *id, const char *name)
{
  g_free (self->contact_id);
  g_free (self->contact_source);
  self->contact_id = g_strdup (id);
  self->contact_source = g_strdup (source);
  if (name && *name && g_strcmp0 (self->remote_name, name) != 0)
    {
      g_free (self->remote_name);
      self->remote_name = g_strdup (name);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_NAME]);
    }
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
  self->end_reason = reason->category;
  self->end_code = reason->code;
  g_free (self->end_text);
  self->end_text = g_strdup (reason->text ? reason->text : "");
  self->platform_code = reason->platform_code;
  g_free (self->platform_text);
  self->platform_text = g_strdup (reason->platform_text ? reason->platform_text : "");
  g_free (self->platform_protocol);
  self->platform_protocol = g_strdup (reason->platform_protocol ? reason->platform_protocol : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_REASON]);
  _rl_call_set_state (self, RL_CALL_STATE_TERMINATED);
}

static void
update_held (RlCall *self)
{
  RlHeldBy now = self->held_local    ? RL_HELD_BY_LOCAL
                 : self->held_remote ? RL_HELD_BY_REMOTE
                                     : RL_HELD_BY_NONE;

  if (self->held_by != now)
    {
      self->held_by = now;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HELD_BY]);
    }
  _rl_call_set_state (self, now != RL_HELD_BY_NONE ? RL_CALL_STATE_HELD : RL_CALL_STATE_ACCEPTED);
}

/* Holding is ours or the peer's, or both: held_by says "local" while we hold. */
void
_rl_call_set_held (RlCall *self, gboolean local)
{
  if (!rl_call_is_active (self))
    return;
  self->held_local = local;
  update_held (self);
}

void
_rl_call_set_held_remote (RlCall *self, gboolean remote)
{
  if (!rl_call_is_active (self))
    return;
  self->held_remote = remote;
  update_held (self);
}

gboolean
_rl_call_get_held_local (RlCall *self)
{
  return self->held_local;
}

void
_rl_call_add_quality_sample (RlCall *self, const RlQualitySample *sample)
{
  gboolean first = self->last_sample.time_us == 0;

  /* Modern baresip reports at once, before any packet: nothing to judge. */
  if (sample->rx_packets == 0 && sample->tx_packets == 0)
    return;
  g_clear_pointer (&self->report, g_variant_unref);
  self->report
    = g_variant_ref_sink (rl_quality_compute (first ? NULL : &self->last_sample, sample));
  self->last_sample = *sample;
  g_clear_pointer (&self->quality, g_variant_unref);
  self->quality = g_variant_ref (self->report);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUALITY]);
}

/* Counters read between RTCP reports (see rl_quality_refresh()). */
void
_rl_call_add_live_quality (RlCall *self, const RlQualityLive *live)
{
  gboolean first = self->last_live.time_us == 0;

  g_clear_pointer (&self->quality, g_variant_unref);
  self->quality
    = g_variant_ref_sink (rl_quality_refresh (self->report, first ? NULL : &self->last_live, live));
  self->last_live = *live;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUALITY]);
}

void
_rl_call_set_post_dial (RlCall *self, const char *digits)
{
  g_free (self->post_dial);
  self->post_dial = g_strdup (digits);
}

/* Returns: (transfer full) (nullable): the post-dial digits, once */
char *
_rl_call_take_post_dial (RlCall *self)
{
  return g_steal_pointer (&self->post_dial);
}

void
_rl_call_set_muted (RlCall *self, gboolean muted)
{
  if (self->muted == muted)
    return;
  self->muted = muted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
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
  g_return_val_if_fail (RL_IS_CALL (self), 0);

  return self->direction;
}

RlCallState
rl_call_get_state (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), 0);

  return self->state;
}

const char *
rl_call_get_remote_uri (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);

  return self->remote_uri;
}

const char *
rl_call_get_remote_number (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);

  return self->remote_number;
}

const char *
rl_call_get_remote_name (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);

  return self->remote_name;
}

const char *
rl_call_get_local_number (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);

  return self->local_number;
}

GDateTime *
rl_call_get_started (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);

  return self->started;
}

GDateTime *
rl_call_get_answered (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);

  return self->answered;
}

GDateTime *
rl_call_get_ended (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);

  return self->ended;
}

RlEndCategory
rl_call_get_end_reason (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), 0);

  return self->end_reason;
}

guint
rl_call_get_end_code (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), 0);

  return self->end_code;
}

const char *
rl_call_get_end_text (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);

  return self->end_text;
}

/* The network's own code for why the call ended (a Reason header), 0 when
 * it sent none. */
guint
rl_call_get_platform_code (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), 0);

  return self->platform_code;
}

const char *
rl_call_get_platform_text (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);

  return self->platform_text;
}

/**
 * rl_call_get_quality:
 *
 * Returns: (transfer none): the latest quality figures, an a{sv}.
 */
GVariant *
rl_call_get_quality (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);

  return self->quality;
}

gboolean
rl_call_get_recording (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), FALSE);

  return self->recording;
}

const char *
rl_call_get_recording_url (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);

  return self->recording_url;
}

/* @url: (nullable): the recording's address, when the backend gave one */
void
_rl_call_set_recording (RlCall *self, gboolean recording, const char *url)
{
  if (url && g_strcmp0 (url, self->recording_url) != 0)
    {
      g_free (self->recording_url);
      self->recording_url = g_strdup (url);
    }
  if (self->recording == recording)
    return;
  self->recording = recording;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORDING]);
}

/* Returns: whether @self is an inbound call waiting to be answered; an
 * outbound call rings too, at the far end, and cannot be answered here. */
gboolean
rl_call_is_ringing_in (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), FALSE);

  return self->state == RL_CALL_STATE_RINGING && self->direction == RL_CALL_DIRECTION_INBOUND;
}

/* Returns: whether the far end plays its own ringback or message (183 with
 * SDP) while an outbound call rings */
gboolean
rl_call_get_early_media (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), FALSE);

  return self->early_media;
}

/**
 * rl_call_get_headers:
 *
 * Returns: (transfer none) (nullable): an a{ss}: an inbound call's X-
 * headers, User-to-User and auto-answer hints as its INVITE carried them,
 * or the headers an outbound call was dialled with
 */
GVariant *
rl_call_get_headers (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);

  return self->headers;
}

void
_rl_call_set_headers (RlCall *self, GVariant *headers)
{
  g_clear_pointer (&self->headers, g_variant_unref);
  if (headers)
    self->headers = g_variant_ref_sink (headers);
}

void
_rl_call_set_early_media (RlCall *self, gboolean early_media)
{
  self->early_media = early_media;
}

gboolean
rl_call_get_muted (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), FALSE);

  return self->muted;
}

RlHeldBy
rl_call_get_held_by (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), 0);

  return self->held_by;
}

/* Answered and not over: what hold, mute, DTMF and transfer act on. */
gboolean
rl_call_is_active (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), FALSE);

  return self->state == RL_CALL_STATE_ACCEPTED || self->state == RL_CALL_STATE_HELD;
}

/* The words of D-Bus and the call record: the enums' nicks. */
const char *
rl_call_state_to_string (RlCallState state)
{
  return rl_enum_to_nick (RL_TYPE_CALL_STATE, state);
}

const char *
rl_call_direction_to_string (RlCallDirection direction)
{
  return rl_enum_to_nick (RL_TYPE_CALL_DIRECTION, direction);
}

/* Returns: "local", "remote", or "" when the call is not held. */
const char *
rl_held_by_to_string (RlHeldBy held_by)
{
  return held_by == RL_HELD_BY_NONE ? "" : rl_enum_to_nick (RL_TYPE_HELD_BY, held_by);
}

static guint
seconds_between (GDateTime *from, GDateTime *to)
{
  if (from == NULL || to == NULL)
    return 0;
  return (guint) MAX (0, g_date_time_difference (to, from) / G_TIME_SPAN_SECOND);
}

/* nxcloud's numeric phone status for a call (seed 001's dialStatus): 0
 * calling out or ringing out, 1 ringing in, 2 in call, 5 hung up. */
static gint32
dial_status (RlCall *self)
{
  switch (self->state)
    {
    case RL_CALL_STATE_CALLING:
      return 0;
    case RL_CALL_STATE_RINGING:
      return self->direction == RL_CALL_DIRECTION_INBOUND ? 1 : 0;
    case RL_CALL_STATE_ACCEPTED:
    case RL_CALL_STATE_HELD:
      return 2;
    case RL_CALL_STATE_TERMINATED:
    default:
      return 5;
    }
}

/* The record's status (docs/dbus-api.md): answered, or how it failed to be. */
static const char *
call_status (RlCall *self)
{
  if (self->answered)
    return "answered";
  if (self->state != RL_CALL_STATE_TERMINATED)
    return "ringing";
  if (self->direction == RL_CALL_DIRECTION_INBOUND)
    return self->end_reason == RL_END_LOCAL_HANGUP ? "rejected" : "missed";
  return "failed";
}

static gboolean
is_record_key (const char *key)
{
  static const char *const keys[] = { "id",
                                      "direction",
                                      "from",
                                      "to",
                                      "remote_uri",
                                      "remote_name",
                                      "date",
                                      "state",
                                      "muted",
                                      "held_by",
                                      "status",
                                      "wait",
                                      "duration",
                                      "total",
                                      "reason",
                                      "reason_code",
                                      "reason_text",
                                      "platform_code",
                                      "platform_text",
                                      "platform_protocol",
                                      "platform_category",
                                      "early_media",
                                      "dial_status",
                                      "options",
                                      "quality",
                                      "contact_id",
                                      "contact_source",
                                      "contact_name",
                                      "recording",
                                      "recording_url",
                                      "headers",
                                      "data",
                                      "synced",
                                      "sync_error",
                                      NULL };

  return g_strv_contains (keys, key);
}

static gboolean
has_key (GVariant *dict, const char *key)
{
  g_autoptr (GVariant) value = dict ? g_variant_lookup_value (dict, key, NULL) : NULL;

  return value != NULL;
}

/**
 * rl_call_build_details:
 *
 * Returns: (transfer floating): the call as an a{sv}: the fields the web softphones'
 * phone events carry (id, direction, from, to, date, status, duration, wait,
 * total) plus state, remote name and, once ended, the reason.
 */
GVariant *
rl_call_build_details (RlCall *self)
{
  g_return_val_if_fail (RL_IS_CALL (self), NULL);

  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  GDateTime *end = self->ended ? self->ended : now;
  gboolean inbound = self->direction == RL_CALL_DIRECTION_INBOUND;
  GVariantBuilder b;

  g_variant_builder_init (&b, G_VARIANT_TYPE_VARDICT);
/* Takes a floating value and refs a non-floating one; built by hand, as a
 * "{sv}" format string is parsed again for every entry of every record. */
#define ADD(key, value)                                                                            \
  g_variant_builder_add_value (                                                                    \
    &b, g_variant_new_dict_entry (g_variant_new_string (key), g_variant_new_variant (value)))
  ADD ("id", g_variant_new_string (self->id));
  ADD ("direction", g_variant_new_string (rl_call_direction_to_string (self->direction)));
  ADD ("from", g_variant_new_string (inbound ? self->remote_number : self->local_number));
  ADD ("to", g_variant_new_string (inbound ? self->local_number : self->remote_number));
  ADD ("remote_uri", g_variant_new_string (self->remote_uri));
  if (!inbound)
    ADD ("early_media", g_variant_new_boolean (self->early_media));
  ADD ("dial_status", g_variant_new_int32 (dial_status (self)));
  if (self->headers && g_variant_n_children (self->headers) > 0)
    ADD ("headers", self->headers);
  ADD ("remote_name", g_variant_new_string (self->remote_name));
  ADD ("date", g_variant_new_string (self->date));
  ADD ("state", g_variant_new_string (rl_call_state_to_string (self->state)));
  ADD ("muted", g_variant_new_boolean (self->muted));
  ADD ("recording", g_variant_new_boolean (self->recording));
  if (self->recording_url)
    ADD ("recording_url", g_variant_new_string (self->recording_url));
  if (self->held_by != RL_HELD_BY_NONE)
    ADD ("held_by", g_variant_new_string (rl_held_by_to_string (self->held_by)));
  ADD ("status", g_variant_new_string (call_status (self)));
  ADD ("wait", g_variant_new_uint32 (
                 seconds_between (self->started, self->answered ? self->answered : end)));
  ADD ("duration", g_variant_new_uint32 (seconds_between (self->answered, end)));
  ADD ("total", g_variant_new_uint32 (seconds_between (self->started, end)));
  if (g_variant_n_children (self->quality) > 0)
    ADD ("quality", self->quality);
  if (self->contact_id)
    {
      ADD ("contact_id", g_variant_new_string (self->contact_id));
      ADD ("contact_source", g_variant_new_string (self->contact_source));
      ADD ("contact_name", g_variant_new_string (self->remote_name));
    }
  if (self->state == RL_CALL_STATE_TERMINATED)
    {
      ADD ("reason", g_variant_new_string (rl_end_category_to_string (self->end_reason)));
      ADD ("reason_code", g_variant_new_uint32 (self->end_code));
      ADD ("reason_text", g_variant_new_string (self->end_text));
      ADD ("platform_code", g_variant_new_uint32 (self->platform_code));
      ADD ("platform_text", g_variant_new_string (self->platform_text));
      ADD ("platform_protocol", g_variant_new_string (self->platform_protocol));
      if (self->platform_code)
        ADD ("platform_category",
             g_variant_new_string (rl_platform_code_category (self->platform_code)));
    }
  if (self->options)
    {
      GVariantIter iter;
      const char *key;
      GVariant *value;

      ADD ("options", self->options);
      /* String options also stand at the top, as web softphones' records carry
       * order_id or engagement_id beside the call's own fields. */
      g_variant_iter_init (&iter, self->options);
      while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
        if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING) && !is_record_key (key)
            && !has_key (self->data, key))
          ADD (key, value);
    }
  if (self->data)
    {
      GVariantIter iter;
      const char *key;
      GVariant *value;

      ADD ("data", self->data);
      /* Like string options, and over them: the newer word. */
      g_variant_iter_init (&iter, self->data);
      while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
        if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
          ADD (key, value);
    }
#undef ADD
  return g_variant_builder_end (&b);
}

#define MAX_DATA_KEYS 32
#define MAX_DATA_KEY 64

static gboolean
is_data_key (const char *key)
{
  gsize len = strlen (key);

  if (len == 0 || len > MAX_DATA_KEY)
    return FALSE;
  for (const char *p = key; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

/**
 * rl_call_check_data:
 * @data: what a CRM wants to attach to a call
 *
 * The rules of Call1.SetData: an a{sv} of at most 32 keys, each 1–64
 * letters, digits, '_', '-' or '.', none of the record's own fields (id,
 * state, …), each value a string, boolean or number.
 *
 * Returns: whether @data can be attached, else an InvalidArgument naming the key
 */
gboolean
rl_call_check_data (GVariant *data, GError **error)
{
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (!g_variant_is_of_type (data, G_VARIANT_TYPE_VARDICT)
      || g_variant_n_children (data) > MAX_DATA_KEYS)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "data: an a{sv} of at most %u keys",
                   MAX_DATA_KEYS);
      return FALSE;
    }
  g_variant_iter_init (&iter, data);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      if (!is_data_key (key) || is_record_key (key))
        {
          g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                       "data: \"%s\" cannot be a key (1–%u letters, digits, _ - or ., not one "
                       "of the call's own fields)",
                       key, MAX_DATA_KEY);
          return FALSE;
        }
      if (!g_variant_type_is_basic (g_variant_get_type (value))
          || g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH)
          || g_variant_is_of_type (value, G_VARIANT_TYPE_SIGNATURE)
          || g_variant_is_of_type (value, G_VARIANT_TYPE_HANDLE))
        {
          g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                       "data: %s must be a string, a boolean or a number", key);
          return FALSE;
        }
    }
  return TRUE;
}

void
_rl_call_add_data (RlCall *self, GVariant *data)
{
  g_autoptr (GVariant) before = g_steal_pointer (&self->data);

  self->data = g_variant_ref_sink (rl_variant_dict_merge (before, data));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATA]);
}

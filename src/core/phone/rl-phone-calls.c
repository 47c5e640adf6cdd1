/* rl-phone-calls.c
 *
 * Turns engine events into calls, and places dialled calls.
 *
 * baresip 1.0 does not return a call id from "dial": the id first appears in
 * the call's events. Dials are therefore sent one at a time, and the first
 * event of an outgoing call with an unknown id belongs to the dial in flight.
 * Its commands act on the "current" call, so with several calls the phone
 * selects the call's line first; it mirrors baresip's line numbering (lowest
 * free number at creation). A modern baresip (RL_ENGINE_FEATURE_CALL_IDS)
 * names the call in the commands that take an id, and selects it by id for
 * the others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlPhone"

#include "rl-error.h"
#include "rl-phone-private.h"

#include <string.h>

#define DIAL_TIMEOUT_SECONDS 10
/* How often a call's quality is read between RTCP reports. */
#define QUALITY_SECONDS 2

static RlCall *
find_by_engine_id (RlPhone *self, const char *engine_id)
{
  guint n = _rl_phone_n_calls (self);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      if (g_strcmp0 (_rl_call_get_engine_id (call), engine_id) == 0)
        return call;
    }
  return NULL;
}

static guint
free_line (RlPhone *self)
{
  guint n = _rl_phone_n_calls (self);

  for (guint line = 1;; line++)
    {
      gboolean taken = FALSE;

      for (guint i = 0; i < n && !taken; i++)
        {
          g_autoptr (RlCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

          taken = _rl_call_get_line (call) == line;
        }
      if (!taken)
        return line;
    }
}

static void watch_quality (RlPhone *self);

static void
add_call (RlPhone *self, RlCall *call)
{
  g_list_store_append (self->calls, call);
  watch_quality (self);
  _rl_phone_emit_call_added (self, call);
  _rl_phone_emit_call_state (self, call);
}

static void pump_dials (RlPhone *self);
static void bind_flight (RlPhone *self, const char *engine_id, RlEngineEvent *event);

static void
end_call_for (RlPhone *self, RlCall *call, const RlEndReason *reason)
{
  g_autoptr (RlCall) hold = g_object_ref (call);
  guint pos;

  (void) hold; /* the call outlives its removal from the lists below */
  if (rl_call_get_state (call) == RL_CALL_STATE_TERMINATED)
    return;
  if (g_queue_remove (&self->dial_queue, call))
    g_object_unref (call);
  if (self->dial_flight == call)
    {
      g_clear_handle_id (&self->dial_timeout_id, g_source_remove);
      g_clear_object (&self->dial_flight);
      pump_dials (self);
    }
  _rl_phone_forget_dtmf (self, call);
  _rl_call_terminate (call, reason);
  g_debug ("call %s ended: %s %u %s (platform %u)", rl_call_get_id (call),
           rl_end_category_to_string (reason->category), reason->code, reason->text,
           reason->platform_code);
  _rl_phone_emit_call_state (self, call);
  if (g_list_store_find (self->calls, call, &pos))
    g_list_store_remove (self->calls, pos);
  if (_rl_phone_n_calls (self) == 0)
    g_clear_handle_id (&self->quality_id, g_source_remove);
  _rl_phone_emit_call_removed (self, call);
}

void
_rl_phone_end_call (RlPhone *self, RlCall *call, RlEndCategory category, guint code,
                    const char *text)
{
  RlEndReason reason = { .category = category, .code = code, .text = (char *) text };

  end_call_for (self, call, &reason);
}

static gboolean
on_dial_timeout (gpointer user_data)
{
  RlPhone *self = user_data;

  self->dial_timeout_id = 0;
  if (self->dial_flight)
    _rl_phone_end_call (self, self->dial_flight, RL_END_FAILED, 0,
                        "The call engine did not place the call");
  return G_SOURCE_REMOVE;
}

static void
on_dial_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlPhoneReply) op = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *reply = rl_engine_command_finish (RL_ENGINE (source), result, &error);
  g_autoptr (RlPhone) self = g_weak_ref_get (&op->phone);

  /* A reply means placed: the call's events tell the rest. A modern
   * engine's reply names the call, in case its events come later. */
  if (reply != NULL && self && op->call == self->dial_flight)
    {
      const char *id = strstr (reply, "call id: ");

      if (id)
        {
          g_autofree char *engine_id = g_strndup (id + 9, strcspn (id + 9, " \r\n"));

          bind_flight (self, engine_id, NULL);
        }
    }
  if (reply != NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self && rl_call_get_state (op->call) != RL_CALL_STATE_TERMINATED
      && _rl_call_get_engine_id (op->call) == NULL)
    _rl_phone_end_call (self, op->call, RL_END_FAILED, 0, error->message);
}

/* The UA's extra headers go in every INVITE placed while they are set:
 * added just before this call's dial and removed just after, in one
 * ordered stream of commands, they reach this call alone. Values travel
 * percent-encoded (a space would end the command's argument); baresip
 * decodes them. */
static void
send_call_headers (RlPhone *self, RlCall *call, gboolean add)
{
  GVariant *headers = rl_call_get_headers (call);
  GVariantIter iter;
  const char *name, *value;

  if (headers == NULL)
    return;
  g_variant_iter_init (&iter, headers);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &value))
    {
      g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);
      /* Ringline's one user agent is the first. */
      g_autofree char *param
        = add ? g_strdup_printf ("%s=%s 0", name, escaped) : g_strdup_printf ("%s 0", name);

      rl_engine_command_async (self->engine, add ? "uaaddheader" : "uarmheader", param,
                               RL_CTRL_FLAGS_NONE, NULL, NULL, NULL);
    }
}

static void
pump_dials (RlPhone *self)
{
  RlCall *call;

  if (self->dial_flight || g_queue_is_empty (&self->dial_queue))
    return;
  call = g_queue_pop_head (&self->dial_queue);
  self->dial_flight = call; /* takes the queue's reference */
  self->dial_timeout_id = g_timeout_add_seconds (DIAL_TIMEOUT_SECONDS, on_dial_timeout, self);
  send_call_headers (self, call, TRUE);
  /* Until its first event, the remote URI is what was dialled. */
  rl_engine_command_async (self->engine, "dial", rl_call_get_remote_uri (call), RL_CTRL_FLAGS_NONE,
                           self->cancellable, on_dial_reply, _rl_phone_reply_new (self, call));
  send_call_headers (self, call, FALSE);
}

static gboolean
takes_call_id (const char *command)
{
  return g_str_equal (command, "accept") || g_str_equal (command, "hangup")
         || g_str_equal (command, "hold") || g_str_equal (command, "resume");
}

/* @callback: (nullable): receives an RlPhoneReply */
void
_rl_phone_send_to_call (RlPhone *self, RlCall *call, const char *command, const char *params,
                        GAsyncReadyCallback callback)
{
  gboolean ids = rl_engine_get_features (self->engine) & RL_ENGINE_FEATURE_CALL_IDS;
  const char *engine_id = _rl_call_get_engine_id (call);
  g_autofree char *with_id = NULL;

  if (ids && engine_id && takes_call_id (command))
    params = with_id
      = *params ? g_strdup_printf ("%s %s", engine_id, params) : g_strdup (engine_id);
  /* Selecting the call costs nothing when it is already current; with one
   * call it is always current. */
  else if (ids && engine_id && _rl_phone_n_calls (self) > 1)
    rl_engine_command_async (self->engine, "callfind", engine_id, RL_CTRL_FLAGS_NONE, NULL, NULL,
                             NULL);
  else if (!ids && _rl_phone_n_calls (self) > 1)
    {
      g_autofree char *line = g_strdup_printf ("%u", _rl_call_get_line (call));

      rl_engine_command_async (self->engine, "line", line, RL_CTRL_FLAGS_NONE, NULL, NULL, NULL);
    }
  /* Digits are what callers key in to an IVR: card numbers, PINs. */
  rl_engine_command_async (
    self->engine, command, params,
    g_str_equal (command, "sndcode") ? RL_CTRL_FLAGS_SECRET : RL_CTRL_FLAGS_NONE, self->cancellable,
    callback, callback ? _rl_phone_reply_new (self, call) : NULL);
}

/**
 * _rl_phone_send_hangup:
 * @code: the SIP status a ringing inbound call is refused with, 0 for the
 *   engine's choice; sent where the engine can (RL_ENGINE_FEATURE_HANGUP_STATUS)
 */
void
_rl_phone_send_hangup (RlPhone *self, RlCall *call, guint code, const char *reason,
                       GAsyncReadyCallback callback)
{
  g_autofree char *params = NULL;

  if (code && (rl_engine_get_features (self->engine) & RL_ENGINE_FEATURE_HANGUP_STATUS))
    params = g_strdup_printf ("scode=%u reason=%s", code, reason);
  _rl_phone_send_to_call (self, call, "hangup", params ? params : "", callback);
}

static RlEndCategory
local_hangup_category (RlCall *call)
{
  if (rl_call_is_active (call))
    return RL_END_LOCAL_HANGUP;
  return rl_call_get_direction (call) == RL_CALL_DIRECTION_INBOUND ? RL_END_DECLINED
                                                                   : RL_END_CANCELLED;
}

void
_rl_phone_on_hangup_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlPhoneReply) op = user_data;
  g_autofree char *reply = rl_engine_command_finish (RL_ENGINE (source), result, NULL);
  g_autoptr (RlPhone) self = g_weak_ref_get (&op->phone);

  /* baresip 1.0 sends no CALL_CLOSED for a local hangup: the reply is the end. */
  if (self && reply)
    _rl_phone_end_call (self, op->call, local_hangup_category (op->call), 0, "");
}

static void
on_audio_debug (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlPhoneReply) op = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *reply = rl_engine_command_finish (RL_ENGINE (source), result, &error);
  g_autoptr (RlPhone) self = g_weak_ref_get (&op->phone);
  RlCall *call = op->call;
  RlQualityLive live;

  if (reply && rl_call_get_state (call) == RL_CALL_STATE_ACCEPTED
      && rl_quality_live_from_debug (reply, &live))
    _rl_call_add_live_quality (call, &live);
  /* baresip registers its call commands only while there are calls, so
   * "help" at start-up cannot tell: a refusal can. */
  if (self && g_error_matches (error, RL_ERROR, RL_ERROR_FAILED)
      && rl_call_get_state (call) == RL_CALL_STATE_ACCEPTED)
    {
      g_debug ("no quality between RTCP reports: %s", error->message);
      self->live_quality = FALSE;
    }
}

/* RTCP reports come every 5 s or so, when the other party sends them;
 * baresip's counters move all the time: read them for each call talking. */
static gboolean
on_quality_tick (gpointer user_data)
{
  RlPhone *self = user_data;

  for (guint i = 0; i < _rl_phone_n_calls (self); i++)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      if (rl_call_get_state (call) == RL_CALL_STATE_ACCEPTED)
        _rl_phone_send_to_call (self, call, "audio_debug", "", on_audio_debug);
    }
  return G_SOURCE_CONTINUE;
}

static void
watch_quality (RlPhone *self)
{
  if (self->quality_id == 0 && self->live_quality)
    self->quality_id = g_timeout_add (QUALITY_SECONDS * 1000, on_quality_tick, self);
}

/* The dial in flight has its engine id, from its first event or (modern
 * engines) the dial's reply; @event is NULL for the reply. */
static void
bind_flight (RlPhone *self, const char *engine_id, RlEngineEvent *event)
{
  RlCall *call = self->dial_flight;

  _rl_call_set_engine_id (call, engine_id);
  _rl_call_set_line (call, free_line (self));
  if (event)
    _rl_call_set_remote (call, event->peer_uri, event->peer_name[0] ? event->peer_name : NULL);
  g_clear_handle_id (&self->dial_timeout_id, g_source_remove);
  self->dial_flight = NULL;
  if (_rl_call_get_hangup_requested (call))
    _rl_phone_send_hangup (self, call, 0, NULL, _rl_phone_on_hangup_reply);
  g_object_unref (call);
  pump_dials (self);
}

/* Answers busy: the caller hears 486 and the call still gets a record. */
static void
refuse_inbound (RlPhone *self, RlCall *call, const char *why)
{
  _rl_call_set_hangup_requested (call);
  _rl_phone_send_hangup (self, call, 486, "Busy Here", NULL);
  _rl_phone_end_call (self, call, RL_END_BUSY, 486, why);
}

static gboolean
is_expected (RlPhone *self, RlCall *call)
{
  return self->expected_inbound
         && (*self->expected_inbound == '\0'
             || g_strcmp0 (rl_call_get_remote_number (call), self->expected_inbound) == 0);
}

/* Returns: the value of header @name in @headers (a{ss}), any case, or NULL */
static char *
header_value (GVariant *headers, const char *name)
{
  GVariantIter iter;
  const char *key, *value;

  if (headers == NULL)
    return NULL;
  g_variant_iter_init (&iter, headers);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (g_ascii_strcasecmp (key, name) == 0)
      return g_ascii_strdown (value, -1);
  return NULL;
}

/* The whole seconds after @param= in @text, or 0 without it. */
static gint
param_seconds (const char *text, const char *param)
{
  const char *at = strstr (text, param);

  if (at == NULL)
    return 0;
  return (gint) MIN (g_ascii_strtoull (at + strlen (param), NULL, 10), 60);
}

/**
 * _rl_phone_auto_answer_delay:
 * @headers: (nullable): an inbound call's hand-on headers, a{ss}
 *
 * The auto-answer hints PBXs and dialers send: RFC 5373's Answer-Mode,
 * Call-Info's answer-after (BroadWorks, Asterisk's paging) and Alert-Info's
 * info=alert-autoanswer (Polycom, Yealink, Snom; "Auto Answer" on some).
 *
 * Returns: seconds to ring before answering, or -1 without a hint
 */
gint
_rl_phone_auto_answer_delay (GVariant *headers)
{
  g_autofree char *mode = header_value (headers, "Answer-Mode");
  g_autofree char *info = header_value (headers, "Call-Info");
  g_autofree char *alert = header_value (headers, "Alert-Info");

  if (mode && g_str_has_prefix (g_strstrip (mode), "auto"))
    return 0;
  if (info && strstr (info, "answer-after=") != NULL)
    return param_seconds (info, "answer-after=");
  if (alert
      && (strstr (alert, "autoanswer") || strstr (alert, "auto-answer")
          || strstr (alert, "auto answer")))
    return param_seconds (alert, "delay=");
  return -1;
}

typedef struct
{
  GWeakRef phone;
  GWeakRef call;
} AutoAnswer;

static void
auto_answer_free (gpointer data)
{
  AutoAnswer *pending = data;

  g_weak_ref_clear (&pending->phone);
  g_weak_ref_clear (&pending->call);
  g_free (pending);
}

static gboolean
auto_answer (gpointer data)
{
  AutoAnswer *pending = data;
  g_autoptr (RlPhone) self = g_weak_ref_get (&pending->phone);
  g_autoptr (RlCall) call = g_weak_ref_get (&pending->call);
  g_autoptr (GError) error = NULL;

  if (self && call && rl_call_is_ringing_in (call) && !rl_phone_answer (self, call, &error))
    g_message ("Cannot answer the call by itself: %s", error->message);
  return G_SOURCE_REMOVE;
}

/* A call the dialer marked for auto-answer, when the agent wants that and
 * is on no other call: it rings at least a second (the agent hears it come)
 * and is then answered as the agent would. */
static void
maybe_auto_answer (RlPhone *self, RlCall *call)
{
  gint delay = _rl_phone_auto_answer_delay (rl_call_get_headers (call));
  AutoAnswer *pending;

  if (!self->auto_answer || delay < 0 || _rl_phone_n_calls (self) > 1)
    return;
  pending = g_new0 (AutoAnswer, 1);
  g_weak_ref_init (&pending->phone, self);
  g_weak_ref_init (&pending->call, call);
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, MAX (delay, 1), auto_answer, pending,
                              auto_answer_free);
}

static void
on_incoming (RlPhone *self, RlEngineEvent *event)
{
  g_autoptr (RlCall) call = NULL;
  const char *local = self->account ? rl_account_get_username (self->account) : "";

  call = _rl_call_new (RL_CALL_DIRECTION_INBOUND, event->peer_uri,
                       event->peer_name[0] ? event->peer_name : NULL, local, NULL);
  _rl_call_set_engine_id (call, event->call_id);
  _rl_call_set_line (call, free_line (self));
  _rl_call_set_headers (call, event->headers);
  add_call (self, call);
  if (self->refuse_inbound && !is_expected (self, call))
    refuse_inbound (self, call, "The agent is resting");
  else if (_rl_phone_n_calls (self) > self->max_calls)
    refuse_inbound (self, call, "Too many calls");
  else
    maybe_auto_answer (self, call);
}

void
_rl_phone_on_call_event (RlPhone *self, RlEngineEvent *event)
{
  RlCall *call;

  if (event->type == RL_ENGINE_EVENT_CALL_INCOMING)
    {
      if (find_by_engine_id (self, event->call_id) == NULL)
        on_incoming (self, event);
      return;
    }
  call = find_by_engine_id (self, event->call_id);
  if (call == NULL && event->outgoing && self->dial_flight && *event->call_id)
    {
      call = self->dial_flight;
      bind_flight (self, event->call_id, event);
    }
  if (call == NULL)
    return;

  switch (event->type)
    {
    case RL_ENGINE_EVENT_CALL_RINGING:
    case RL_ENGINE_EVENT_CALL_PROGRESS:
      /* The far end rings (180), or plays its own tones (183 with SDP). */
      if (rl_call_get_direction (call) == RL_CALL_DIRECTION_OUTBOUND
          && rl_call_get_state (call) == RL_CALL_STATE_CALLING)
        {
          _rl_call_set_early_media (call, event->type == RL_ENGINE_EVENT_CALL_PROGRESS);
          _rl_call_set_state (call, RL_CALL_STATE_RINGING);
          _rl_phone_emit_call_state (self, call);
        }
      break;
    case RL_ENGINE_EVENT_CALL_ESTABLISHED:
      _rl_call_set_state (call, RL_CALL_STATE_ACCEPTED);
      _rl_phone_emit_call_state (self, call);
      break;
    case RL_ENGINE_EVENT_CALL_DTMF_START:
      _rl_phone_emit_dtmf_received (self, call, event->param);
      break;
    case RL_ENGINE_EVENT_CALL_HOLD:
    case RL_ENGINE_EVENT_CALL_RESUME:
      {
        RlCallState before = rl_call_get_state (call);

        _rl_call_set_held_remote (call, event->type == RL_ENGINE_EVENT_CALL_HOLD);
        if (rl_call_get_state (call) != before)
          _rl_phone_emit_call_state (self, call);
      }
      break;
    case RL_ENGINE_EVENT_CALL_RTCP:
      if (event->has_rtcp)
        _rl_call_add_quality_sample (call, &event->rtcp);
      break;
    case RL_ENGINE_EVENT_TRANSFER_FAILED:
      _rl_phone_emit_transfer_result (self, call, FALSE, event->param);
      break;
    case RL_ENGINE_EVENT_CALL_CLOSED:
      {
        RlEndReason reason = { 0 };

        rl_end_reason_from_engine (event->param, &reason);
        if (reason.category == RL_END_TRANSFERRED)
          _rl_phone_emit_transfer_result (self, call, TRUE, event->param);
        if (_rl_call_get_hangup_requested (call) && reason.code == 0)
          reason.category = local_hangup_category (call);
        rl_end_reason_read_header (event->reason_header, &reason);
        end_call_for (self, call, &reason);
        rl_end_reason_clear (&reason);
      }
      break;
    default:
      break;
    }
}

/* The engine is gone, or going, and its calls with it. */
void
_rl_phone_end_all_calls (RlPhone *self, RlEndCategory category, const char *text)
{
  while (_rl_phone_n_calls (self) > 0)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), 0);

      _rl_phone_end_call (self, call, category, 0, text);
    }
}

/* The INVITE leaves first; announcing the call (signals, D-Bus objects)
 * happens while the network works. */
void
_rl_phone_place (RlPhone *self, RlCall *call)
{
  g_queue_push_tail (&self->dial_queue, g_object_ref (call));
  pump_dials (self);
  add_call (self, call);
}

/* Drops a call not sent to baresip yet; FALSE when it was sent. */
gboolean
_rl_phone_unplace (RlPhone *self, RlCall *call)
{
  if (!g_queue_find (&self->dial_queue, call))
    return FALSE;
  _rl_phone_end_call (self, call, RL_END_CANCELLED, 0, "");
  return TRUE;
}

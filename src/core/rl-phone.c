/* rl-phone.c
 *
 * Turns engine events into calls and registration state.
 *
 * baresip 1.0 does not return a call id from "dial": the id first appears in
 * the call's events. Dials are therefore sent one at a time, and the first
 * event of an outgoing call with an unknown id belongs to the dial in flight.
 * Commands act on baresip's "current" call, so with several calls the phone
 * selects the call's line first; it mirrors baresip's line numbering (lowest
 * free number at creation).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlPhone"

#include "rl-phone.h"
#include "rl-call-private.h"
#include "rl-error.h"
#include "rl-target.h"

#include <string.h>

#define DIAL_TIMEOUT_SECONDS 10
/* How often a call's quality is read between RTCP reports. */
#define QUALITY_SECONDS 2
#define REGISTER_INTERVAL 600

struct _RlPhone
{
  GObject parent_instance;

  RlEngine *engine;
  RlAccount *account;
  char *ua_aor;    /* the UA added to baresip, NULL when none */
  guint server;    /* index of the server in use, for failover */
  gboolean wanted; /* the user wants to be registered */
  RlRegistrationState reg_state;
  char *reg_error;

  GListStore *calls;
  guint max_calls;
  gboolean refuse_inbound;
  char *expected_inbound; /* a call asked for: rings even when refusing */
  GQueue dial_queue;      /* RlCall not sent to baresip yet */
  RlCall *dial_flight;    /* sent, waiting for its first event */
  guint dial_timeout_id;
  guint quality_id;      /* runs while there are calls */
  gboolean live_quality; /* baresip answers "audio_debug" */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (RlPhone, rl_phone, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ACCOUNT,
  PROP_REGISTRATION_STATE,
  PROP_REGISTRATION_ERROR,
  PROP_MAX_CALLS,
  PROP_REFUSE_INBOUND,
  N_PROPS
};

enum
{
  SIGNAL_CALL_ADDED,
  SIGNAL_CALL_STATE_CHANGED,
  SIGNAL_CALL_REMOVED,
  SIGNAL_DTMF_RECEIVED,
  SIGNAL_TRANSFER_RESULT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

const char *
rl_registration_state_to_string (RlRegistrationState state)
{
  static const char *names[] = { "unregistered", "registering", "registered", "failed" };

  g_return_val_if_fail (state <= RL_REGISTRATION_FAILED, "failed");
  return names[state];
}

static void
set_registration (RlPhone *self, RlRegistrationState state, const char *error)
{
  if (g_strcmp0 (self->reg_error, error ? error : "") != 0)
    {
      g_free (self->reg_error);
      self->reg_error = g_strdup (error ? error : "");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTRATION_ERROR]);
    }
  if (self->reg_state != state)
    {
      self->reg_state = state;
      g_debug ("registration: %s", rl_registration_state_to_string (state));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTRATION_STATE]);
    }
}

/* --- the UA in baresip ------------------------------------------------ */

static char *
build_ua_params (RlPhone *self, gboolean do_register)
{
  RlAccount *a = self->account;
  const char *const *servers = rl_account_get_servers (a);
  const char *server = servers[self->server % g_strv_length ((char **) servers)];
  const char *transport = rl_account_get_transport (a);
  g_autofree char *domain = rl_account_dup_domain (a);
  g_autofree char *proxy = NULL;
  GString *p = g_string_new (NULL);

  if (*rl_account_get_display_name (a))
    g_string_append_printf (p, "\"%s\" ", rl_account_get_display_name (a));
  g_string_append_printf (p, "<sip:%s@%s;transport=%s>", rl_account_get_username (a), domain,
                          transport);
  proxy = g_str_has_prefix (server, "sip")
            ? g_strdup (server)
            : g_strdup_printf ("sip:%s;transport=%s", server, transport);
  g_string_append_printf (p, ";outbound1=\"%s\"", proxy);
  if (!g_str_equal (rl_account_get_auth_username (a), rl_account_get_username (a)))
    g_string_append_printf (p, ";auth_user=%s", rl_account_get_auth_username (a));
  if (*rl_account_get_password (a))
    g_string_append_printf (p, ";auth_pass=%s", rl_account_get_password (a));
  g_string_append_printf (p, ";regint=%u;answermode=manual", do_register ? REGISTER_INTERVAL : 0);
  return g_string_free (p, FALSE);
}

static void
on_ua_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlPhone) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *reply = rl_engine_command_finish (RL_ENGINE (source), result, &error);

  if (reply == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->wanted)
    set_registration (self, RL_REGISTRATION_FAILED, error->message);
}

static void
remove_ua (RlPhone *self)
{
  if (self->ua_aor == NULL)
    return;
  rl_engine_command_async (self->engine, "uadel", self->ua_aor, RL_CTRL_FLAGS_NONE, NULL, NULL,
                           NULL);
  g_clear_pointer (&self->ua_aor, g_free);
}

/* Adds the account to baresip; registers when the user wants it. */
static void
add_ua (RlPhone *self)
{
  g_autofree char *params = NULL;
  gboolean do_register;

  if (self->account == NULL || rl_engine_get_state (self->engine) != RL_ENGINE_STATE_RUNNING)
    return;
  remove_ua (self);
  do_register = self->wanted && rl_account_get_register (self->account);
  params = build_ua_params (self, do_register);
  self->ua_aor = rl_account_dup_aor (self->account);
  if (do_register)
    set_registration (self, RL_REGISTRATION_REGISTERING, "");
  rl_engine_command_async (self->engine, "uanew", params, RL_CTRL_FLAGS_SECRET, self->cancellable,
                           on_ua_reply, g_object_ref (self));
  /* baresip 1.0 makes a new UA current only when no other is listed, and a
   * UA just deleted stays listed while a finished call still holds it: dials
   * would then go out from the deleted one. */
  rl_engine_command_async (self->engine, "uafind", self->ua_aor, RL_CTRL_FLAGS_NONE, NULL, NULL,
                           NULL);
}

static gboolean
ua_usable (RlPhone *self)
{
  if (self->ua_aor == NULL)
    return FALSE;
  return self->reg_state == RL_REGISTRATION_REGISTERED || !rl_account_get_register (self->account);
}

/* --- calls ------------------------------------------------------------ */

static guint
n_calls (RlPhone *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->calls));
}

static RlCall *
find_by_engine_id (RlPhone *self, const char *engine_id)
{
  guint n = n_calls (self);

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
  guint n = n_calls (self);

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

static void
emit_state (RlPhone *self, RlCall *call)
{
  g_signal_emit (self, signals[SIGNAL_CALL_STATE_CHANGED], 0, call);
}

static void watch_quality (RlPhone *self);

static void
add_call (RlPhone *self, RlCall *call)
{
  g_list_store_append (self->calls, call);
  watch_quality (self);
  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, call);
  emit_state (self, call);
}

static void pump_dials (RlPhone *self);

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
  _rl_call_terminate (call, reason);
  g_debug ("call %s ended: %s %u %s (platform %u)", rl_call_get_id (call), reason->category,
           reason->code, reason->text, reason->platform_code);
  emit_state (self, call);
  if (g_list_store_find (self->calls, call, &pos))
    g_list_store_remove (self->calls, pos);
  if (n_calls (self) == 0)
    g_clear_handle_id (&self->quality_id, g_source_remove);
  g_signal_emit (self, signals[SIGNAL_CALL_REMOVED], 0, call);
}

static void
end_call (RlPhone *self, RlCall *call, const char *category, guint code, const char *text)
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
    end_call (self, self->dial_flight, RL_END_FAILED, 0, "The call engine did not place the call");
  return G_SOURCE_REMOVE;
}

static void
on_dial_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlCall) call = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *reply = rl_engine_command_finish (RL_ENGINE (source), result, &error);
  RlPhone *self = g_object_get_data (G_OBJECT (call), "rl-phone");

  /* A reply means placed: the call's events tell the rest. */
  if (reply != NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self && rl_call_get_state (call) != RL_CALL_STATE_TERMINATED
      && _rl_call_get_engine_id (call) == NULL)
    end_call (self, call, RL_END_FAILED, 0, error->message);
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
  rl_engine_command_async (self->engine, "dial", g_object_get_data (G_OBJECT (call), "rl-target"),
                           RL_CTRL_FLAGS_NONE, self->cancellable, on_dial_reply,
                           g_object_ref (call));
}

static void
send_to_call_with (RlPhone *self, RlCall *call, const char *command, const char *params,
                   GAsyncReadyCallback callback)
{
  g_autofree char *line = NULL;

  /* Selecting the line costs nothing when it is already current; with one
   * call it is always current. */
  if (n_calls (self) > 1)
    {
      line = g_strdup_printf ("%u", _rl_call_get_line (call));
      rl_engine_command_async (self->engine, "line", line, RL_CTRL_FLAGS_NONE, NULL, NULL, NULL);
    }
  rl_engine_command_async (self->engine, command, params, RL_CTRL_FLAGS_NONE, self->cancellable,
                           callback, callback ? g_object_ref (call) : NULL);
}

static void
send_to_call (RlPhone *self, RlCall *call, const char *command, GAsyncReadyCallback callback)
{
  send_to_call_with (self, call, command, "", callback);
}

static const char *
local_hangup_category (RlCall *call)
{
  if (rl_call_is_active (call))
    return RL_END_LOCAL_HANGUP;
  return rl_call_get_direction (call) == RL_CALL_DIRECTION_INBOUND ? "declined" : RL_END_CANCELLED;
}

static void
on_hangup_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlCall) call = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *reply = rl_engine_command_finish (RL_ENGINE (source), result, &error);
  RlPhone *self = g_object_get_data (G_OBJECT (call), "rl-phone");

  /* baresip 1.0 sends no CALL_CLOSED for a local hangup: the reply is the end. */
  if (self && reply)
    end_call (self, call, local_hangup_category (call), 0, "");
}

static void
on_audio_debug (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlCall) call = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *reply = rl_engine_command_finish (RL_ENGINE (source), result, &error);
  RlPhone *self = g_object_get_data (G_OBJECT (call), "rl-phone");
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

  for (guint i = 0; i < n_calls (self); i++)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      if (rl_call_get_state (call) == RL_CALL_STATE_ACCEPTED)
        send_to_call (self, call, "audio_debug", on_audio_debug);
    }
  return G_SOURCE_CONTINUE;
}

static void
watch_quality (RlPhone *self)
{
  if (self->quality_id == 0 && self->live_quality)
    self->quality_id = g_timeout_add (QUALITY_SECONDS * 1000, on_quality_tick, self);
}

static void
bind_flight (RlPhone *self, RlEngineEvent *event)
{
  RlCall *call = self->dial_flight;

  _rl_call_set_engine_id (call, event->call_id);
  _rl_call_set_line (call, free_line (self));
  _rl_call_set_remote (call, event->peer_uri, event->peer_name[0] ? event->peer_name : NULL);
  g_clear_handle_id (&self->dial_timeout_id, g_source_remove);
  self->dial_flight = NULL;
  if (_rl_call_get_hangup_requested (call))
    send_to_call (self, call, "hangup", on_hangup_reply);
  g_object_unref (call);
  pump_dials (self);
}

/* Answers busy: the caller hears 486 and the call still gets a record. */
static void
refuse_inbound (RlPhone *self, RlCall *call, const char *why)
{
  _rl_call_set_hangup_requested (call);
  send_to_call (self, call, "hangup", NULL);
  end_call (self, call, RL_END_BUSY, 486, why);
}

static gboolean
is_expected (RlPhone *self, RlCall *call)
{
  return self->expected_inbound
         && (*self->expected_inbound == '\0'
             || g_strcmp0 (rl_call_get_remote_number (call), self->expected_inbound) == 0);
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
  g_object_set_data (G_OBJECT (call), "rl-phone", self);
  add_call (self, call);
  if (self->refuse_inbound && !is_expected (self, call))
    refuse_inbound (self, call, "The agent is resting");
  else if (n_calls (self) > self->max_calls)
    refuse_inbound (self, call, "Too many calls");
}

static void
on_call_event (RlPhone *self, RlEngineEvent *event)
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
      bind_flight (self, event);
    }
  if (call == NULL)
    return;

  switch (event->type)
    {
    case RL_ENGINE_EVENT_CALL_ESTABLISHED:
      _rl_call_set_state (call, RL_CALL_STATE_ACCEPTED);
      emit_state (self, call);
      break;
    case RL_ENGINE_EVENT_CALL_DTMF_START:
      g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, call, event->param);
      break;
    case RL_ENGINE_EVENT_CALL_HOLD:
    case RL_ENGINE_EVENT_CALL_RESUME:
      {
        RlCallState before = rl_call_get_state (call);

        _rl_call_set_held_remote (call, event->type == RL_ENGINE_EVENT_CALL_HOLD);
        if (rl_call_get_state (call) != before)
          emit_state (self, call);
      }
      break;
    case RL_ENGINE_EVENT_CALL_RTCP:
      if (event->has_rtcp)
        _rl_call_add_quality_sample (call, &event->rtcp);
      break;
    case RL_ENGINE_EVENT_TRANSFER_FAILED:
      g_signal_emit (self, signals[SIGNAL_TRANSFER_RESULT], 0, call, FALSE, event->param);
      break;
    case RL_ENGINE_EVENT_CALL_CLOSED:
      {
        RlEndReason reason = { 0 };

        rl_end_reason_from_engine (event->param, &reason);
        if (g_str_equal (reason.category, "transferred"))
          g_signal_emit (self, signals[SIGNAL_TRANSFER_RESULT], 0, call, TRUE, event->param);
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

static void
on_registration_event (RlPhone *self, RlEngineEvent *event)
{
  if (self->ua_aor == NULL || !g_str_has_prefix (event->account_aor, self->ua_aor))
    return;
  switch (event->type)
    {
    case RL_ENGINE_EVENT_REGISTERING:
      if (self->reg_state != RL_REGISTRATION_REGISTERED)
        set_registration (self, RL_REGISTRATION_REGISTERING, "");
      break;
    case RL_ENGINE_EVENT_REGISTER_OK:
      set_registration (self, RL_REGISTRATION_REGISTERED, "");
      break;
    case RL_ENGINE_EVENT_REGISTER_FAIL:
      {
        const char *const *servers = rl_account_get_servers (self->account);
        guint code = (guint) g_ascii_strtoull (event->param, NULL, 10);
        g_autofree char *message = NULL;

        if (code == 401 || code == 403 || code == 407)
          message = g_strdup_printf ("Registration refused: %s (check the user name and password)",
                                     event->param);
        else
          message = g_strdup_printf ("Registration failed: %s", event->param);
        set_registration (self, RL_REGISTRATION_FAILED, message);
        /* No answer or a server error: the next server may do better. */
        if ((code == 0 || code >= 500) && g_strv_length ((char **) servers) > 1)
          {
            self->server++;
            add_ua (self);
          }
      }
      break;
    case RL_ENGINE_EVENT_UNREGISTERING:
      if (!self->wanted)
        set_registration (self, RL_REGISTRATION_UNREGISTERED, "");
      break;
    default:
      break;
    }
}

static void
on_engine_event (RlEngine *engine, RlEngineEvent *event, RlPhone *self)
{
  switch (event->type)
    {
    case RL_ENGINE_EVENT_REGISTERING:
    case RL_ENGINE_EVENT_REGISTER_OK:
    case RL_ENGINE_EVENT_REGISTER_FAIL:
    case RL_ENGINE_EVENT_UNREGISTERING:
      on_registration_event (self, event);
      break;
    default:
      if (g_str_has_prefix (event->type_name, "CALL_"))
        on_call_event (self, event);
      break;
    }
}

static void
on_engine_ready (RlEngine *engine, RlPhone *self)
{
  g_clear_pointer (&self->ua_aor, g_free);
  add_ua (self);
}

static void
on_engine_lost (RlEngine *engine, GError *error, RlPhone *self)
{
  g_clear_pointer (&self->ua_aor, g_free);
  while (n_calls (self) > 0)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), 0);

      end_call (self, call, RL_END_NETWORK, 0, "The call engine stopped unexpectedly");
    }
  if (self->wanted && self->account)
    set_registration (self, RL_REGISTRATION_REGISTERING, error->message);
}

/* --- GObject ---------------------------------------------------------- */

static void
rl_phone_dispose (GObject *object)
{
  RlPhone *self = RL_PHONE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->dial_timeout_id, g_source_remove);
  g_clear_handle_id (&self->quality_id, g_source_remove);
  g_queue_clear_full (&self->dial_queue, g_object_unref);
  g_clear_object (&self->dial_flight);
  if (self->engine)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_object (&self->engine);
  g_clear_object (&self->account);
  g_clear_object (&self->calls);
  G_OBJECT_CLASS (rl_phone_parent_class)->dispose (object);
}

static void
rl_phone_finalize (GObject *object)
{
  RlPhone *self = RL_PHONE (object);

  g_free (self->expected_inbound);
  g_free (self->ua_aor);
  g_free (self->reg_error);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (rl_phone_parent_class)->finalize (object);
}

static void
rl_phone_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlPhone *self = RL_PHONE (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_REGISTRATION_STATE:
      g_value_set_string (value, rl_registration_state_to_string (self->reg_state));
      break;
    case PROP_REGISTRATION_ERROR:
      g_value_set_string (value, self->reg_error);
      break;
    case PROP_MAX_CALLS:
      g_value_set_uint (value, self->max_calls);
      break;
    case PROP_REFUSE_INBOUND:
      g_value_set_boolean (value, self->refuse_inbound);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_phone_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  RlPhone *self = RL_PHONE (object);

  switch (prop_id)
    {
    case PROP_MAX_CALLS:
      rl_phone_set_max_calls (self, g_value_get_uint (value));
      break;
    case PROP_REFUSE_INBOUND:
      rl_phone_set_refuse_inbound (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_phone_class_init (RlPhoneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = rl_phone_dispose;
  object_class->finalize = rl_phone_finalize;
  object_class->get_property = rl_phone_get_property;
  object_class->set_property = rl_phone_set_property;

  properties[PROP_ACCOUNT] = g_param_spec_object ("account", NULL, NULL, RL_TYPE_ACCOUNT, flags);
  properties[PROP_REGISTRATION_STATE]
    = g_param_spec_string ("registration-state", NULL, NULL, "unregistered", flags);
  properties[PROP_REGISTRATION_ERROR]
    = g_param_spec_string ("registration-error", NULL, NULL, "", flags);
  /**
   * RlPhone:max-calls:
   *
   * How many calls may be up at once; inbound calls beyond it are answered
   * busy and dialling beyond it is refused.
   */
  properties[PROP_MAX_CALLS]
    = g_param_spec_uint ("max-calls", NULL, NULL, 1, 16, 2,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * RlPhone:refuse-inbound:
   *
   * Whether new inbound calls are answered busy (the agent rests); calls
   * already up and dialling are not affected.
   */
  properties[PROP_REFUSE_INBOUND]
    = g_param_spec_boolean ("refuse-inbound", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RlPhone::call-added:
   *
   * Emitted when a call joins the list; call-state-changed for its first
   * state follows in the same main-loop turn.
   */
  signals[SIGNAL_CALL_ADDED]
    = g_signal_new ("call-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, RL_TYPE_CALL);
  /**
   * RlPhone::call-state-changed:
   *
   * Emitted once per state a call enters, including its first.
   */
  signals[SIGNAL_CALL_STATE_CHANGED]
    = g_signal_new ("call-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 1, RL_TYPE_CALL);
  /**
   * RlPhone::dtmf-received:
   * @key: the digit the far end sent (RFC 4733)
   */
  signals[SIGNAL_DTMF_RECEIVED]
    = g_signal_new ("dtmf-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, RL_TYPE_CALL, G_TYPE_STRING);
  /**
   * RlPhone::transfer-result:
   * @ok: whether the transfer target took the call
   * @detail: the network's words
   */
  signals[SIGNAL_TRANSFER_RESULT]
    = g_signal_new ("transfer-result", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 3, RL_TYPE_CALL, G_TYPE_BOOLEAN, G_TYPE_STRING);
  signals[SIGNAL_CALL_REMOVED]
    = g_signal_new ("call-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, RL_TYPE_CALL);
}

static void
rl_phone_init (RlPhone *self)
{
  self->calls = g_list_store_new (RL_TYPE_CALL);
  self->reg_error = g_strdup ("");
  self->cancellable = g_cancellable_new ();
  self->max_calls = 2;
  g_queue_init (&self->dial_queue);
  self->live_quality = TRUE;
}

RlPhone *
rl_phone_new (RlEngine *engine)
{
  RlPhone *self = g_object_new (RL_TYPE_PHONE, NULL);

  self->engine = g_object_ref (engine);
  g_signal_connect (engine, "event", G_CALLBACK (on_engine_event), self);
  g_signal_connect (engine, "ready", G_CALLBACK (on_engine_ready), self);
  g_signal_connect (engine, "lost", G_CALLBACK (on_engine_lost), self);
  return self;
}

RlEngine *
rl_phone_get_engine (RlPhone *self)
{
  return self->engine;
}

RlAccount *
rl_phone_get_account (RlPhone *self)
{
  return self->account;
}

/**
 * rl_phone_set_account:
 *
 * Replaces the account. The phone registers it when the account asks to.
 */
void
rl_phone_set_account (RlPhone *self, RlAccount *account)
{
  g_return_if_fail (RL_IS_PHONE (self));
  g_return_if_fail (account == NULL || RL_IS_ACCOUNT (account));

  /* Removing the user agent unregisters it; NULL leaves no account. */
  remove_ua (self);
  g_set_object (&self->account, account);
  self->server = 0;
  self->wanted = account && rl_account_get_register (account);
  set_registration (self, RL_REGISTRATION_UNREGISTERED, "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
  add_ua (self);
}

gboolean
rl_phone_register (RlPhone *self, GError **error)
{
  if (self->account == NULL || !rl_account_is_complete (self->account))
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_NO_ACCOUNT, "No SIP account is set up");
      return FALSE;
    }
  if (rl_engine_get_state (self->engine) == RL_ENGINE_STATE_MISSING)
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE,
                           rl_engine_get_error (self->engine));
      return FALSE;
    }
  self->wanted = TRUE;
  self->server = 0;
  /* baresip 1.0 has no command to register an existing UA again: add it anew. */
  add_ua (self);
  return TRUE;
}

gboolean
rl_phone_unregister (RlPhone *self, GError **error)
{
  self->wanted = FALSE;
  remove_ua (self);
  set_registration (self, RL_REGISTRATION_UNREGISTERED, "");
  return TRUE;
}

guint
rl_phone_get_max_calls (RlPhone *self)
{
  return self->max_calls;
}

void
rl_phone_set_max_calls (RlPhone *self, guint max_calls)
{
  g_return_if_fail (RL_IS_PHONE (self));

  max_calls = CLAMP (max_calls, 1, 16);
  rl_engine_set_max_calls (self->engine, max_calls);
  if (self->max_calls == max_calls)
    return;
  self->max_calls = max_calls;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CALLS]);
}

gboolean
rl_phone_get_refuse_inbound (RlPhone *self)
{
  return self->refuse_inbound;
}

void
rl_phone_set_refuse_inbound (RlPhone *self, gboolean refuse)
{
  g_return_if_fail (RL_IS_PHONE (self));

  if (self->refuse_inbound == !!refuse)
    return;
  self->refuse_inbound = !!refuse;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFUSE_INBOUND]);
}

/**
 * rl_phone_expect_inbound:
 * @number: (nullable): the number a call the agent asked for comes from
 *   (a parked call brought back), "" while it is not known yet, NULL when
 *   nothing is expected any more
 *
 * The expected call rings even while inbound calls are refused: the agent
 * resting still gets back the call they retrieved.
 */
void
rl_phone_expect_inbound (RlPhone *self, const char *number)
{
  g_free (self->expected_inbound);
  self->expected_inbound = g_strdup (number);
}

RlRegistrationState
rl_phone_get_registration_state (RlPhone *self)
{
  return self->reg_state;
}

const char *
rl_phone_get_registration_error (RlPhone *self)
{
  return self->reg_error;
}

/**
 * rl_phone_get_calls:
 *
 * Returns: (transfer none): the calls not yet terminated, oldest first.
 */
GListModel *
rl_phone_get_calls (RlPhone *self)
{
  return G_LIST_MODEL (self->calls);
}

RlCall *
rl_phone_find_call (RlPhone *self, const char *id)
{
  guint n = n_calls (self);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      if (g_strcmp0 (rl_call_get_id (call), id) == 0)
        return call;
    }
  return NULL;
}

/* The call a bare "answer" or "hang up" means: a ringing inbound call
 * first, then the one talking (not held), then the newest. */
RlCall *
rl_phone_get_current_call (RlPhone *self)
{
  guint n = n_calls (self);
  RlCall *talking = NULL;
  RlCall *newest = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      if (rl_call_get_state (call) == RL_CALL_STATE_RINGING)
        return call;
      if (rl_call_get_state (call) == RL_CALL_STATE_ACCEPTED)
        talking = call;
      newest = call;
    }
  return talking ? talking : newest;
}

/**
 * rl_phone_dial:
 * @options: (nullable): an a{sv} kept with the call and returned in its details
 *
 * Returns: (transfer none): the new call, in state calling; it ends with a
 * reason if the network refuses it.
 */
RlCall *
rl_phone_dial (RlPhone *self, const char *target, GVariant *options, GError **error)
{
  g_autofree char *dial = NULL;
  g_autoptr (RlCall) call = NULL;
  const char *local;

  dial = rl_target_normalize (target, error);
  if (dial == NULL)
    return NULL;
  if (rl_engine_get_state (self->engine) != RL_ENGINE_STATE_RUNNING)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE, "%s",
                   *rl_engine_get_error (self->engine) ? rl_engine_get_error (self->engine)
                                                       : "The call engine is not running");
      return NULL;
    }
  if (self->account == NULL || !ua_usable (self))
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_NOT_REGISTERED,
                           "Not registered: calls cannot be placed");
      return NULL;
    }
  if (n_calls (self) >= self->max_calls)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_STATE,
                   "At most %u calls at once: end or transfer one first", self->max_calls);
      return NULL;
    }
  local = *rl_account_get_caller_id (self->account) ? rl_account_get_caller_id (self->account)
                                                    : rl_account_get_username (self->account);
  call = _rl_call_new (RL_CALL_DIRECTION_OUTBOUND, dial, NULL, local, options);
  g_object_set_data_full (G_OBJECT (call), "rl-target", g_strdup (dial), g_free);
  g_object_set_data (G_OBJECT (call), "rl-phone", self);
  /* The INVITE leaves first; announcing the call (signals, D-Bus objects)
   * happens while the network works. */
  g_queue_push_tail (&self->dial_queue, g_object_ref (call));
  pump_dials (self);
  add_call (self, call);
  return call;
}

static gboolean
check_call (RlPhone *self, RlCall *call, GError **error)
{
  if (call == NULL || !g_list_store_find (self->calls, call, NULL))
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_NOT_FOUND, "No such call");
      return FALSE;
    }
  return TRUE;
}

/* @verb: what the caller wanted, for the error ("answered", "declined"). */
static gboolean
check_ringing (RlPhone *self, RlCall *call, const char *verb, GError **error)
{
  if (!check_call (self, call, error))
    return FALSE;
  if (rl_call_get_state (call) != RL_CALL_STATE_RINGING)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_STATE,
                   "Only a ringing incoming call can be %s", verb);
      return FALSE;
    }
  return TRUE;
}

static void on_hold_reply (GObject *source, GAsyncResult *result, gpointer user_data);

/* One call talks at a time: the others go on hold before @call is answered
 * or resumed, so the agent never has two parties on the line. */
static void
hold_others (RlPhone *self, RlCall *call)
{
  for (guint i = 0; i < n_calls (self); i++)
    {
      g_autoptr (RlCall) other = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      if (other != call && rl_call_is_active (other) && !_rl_call_get_held_local (other))
        send_to_call (self, other, "hold", on_hold_reply);
    }
}

/* Answers a ringing call; a call already up goes on hold. */
gboolean
rl_phone_answer (RlPhone *self, RlCall *call, GError **error)
{
  if (!check_ringing (self, call, "answered", error))
    return FALSE;
  hold_others (self, call);
  send_to_call (self, call, "accept", NULL);
  return TRUE;
}

gboolean
rl_phone_hangup (RlPhone *self, RlCall *call, GError **error)
{
  if (!check_call (self, call, error))
    return FALSE;
  if (_rl_call_get_hangup_requested (call))
    return TRUE;
  _rl_call_set_hangup_requested (call);
  if (g_queue_find (&self->dial_queue, call))
    {
      end_call (self, call, RL_END_CANCELLED, 0, "");
      return TRUE;
    }
  /* Still waiting for its id: hung up as soon as it has one. */
  if (_rl_call_get_engine_id (call) == NULL)
    return TRUE;
  send_to_call (self, call, "hangup", on_hangup_reply);
  return TRUE;
}

/* --- verbs on an answered call ------------------------------------------ */

static gboolean
check_active (RlPhone *self, RlCall *call, GError **error)
{
  if (!check_call (self, call, error))
    return FALSE;
  if (!rl_call_is_active (call))
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_INVALID_STATE, "The call is not answered yet");
      return FALSE;
    }
  return TRUE;
}

/* The reply to "hold" or "resume": only then is the call held or not. */
static void
finish_hold (GObject *source, GAsyncResult *result, RlCall *call, gboolean hold)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *reply = rl_engine_command_finish (RL_ENGINE (source), result, &error);
  RlPhone *self = g_object_get_data (G_OBJECT (call), "rl-phone");

  if (reply == NULL)
    {
      g_warning ("%s failed: %s", hold ? "hold" : "resume", error->message);
      return;
    }
  if (self == NULL || !rl_call_is_active (call))
    return;
  _rl_call_set_held (call, hold);
  emit_state (self, call);
}

static void
on_hold_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlCall) call = user_data;

  finish_hold (source, result, call, TRUE);
}

static void
on_resume_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlCall) call = user_data;

  finish_hold (source, result, call, FALSE);
}

static gboolean
set_hold (RlPhone *self, RlCall *call, gboolean hold, GError **error)
{
  if (!check_active (self, call, error))
    return FALSE;
  if (hold)
    {
      send_to_call (self, call, "hold", on_hold_reply);
      return TRUE;
    }
  hold_others (self, call);
  send_to_call (self, call, "resume", on_resume_reply);
  return TRUE;
}

/* Holds the call: a re-INVITE with a sendonly offer; the state becomes held. */
gboolean
rl_phone_hold (RlPhone *self, RlCall *call, GError **error)
{
  return set_hold (self, call, TRUE, error);
}

/* Takes the call off hold, holding whichever other call was talking: how
 * the agent switches between calls. */
gboolean
rl_phone_resume (RlPhone *self, RlCall *call, GError **error)
{
  return set_hold (self, call, FALSE, error);
}

static void
on_mute_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlCall) call = user_data;
  g_autofree char *reply = rl_engine_command_finish (RL_ENGINE (source), result, NULL);

  /* baresip's "mute" toggles and says which way: "call muted" / "call un-muted". */
  if (reply)
    _rl_call_set_muted (call, strstr (reply, "un-muted") == NULL);
}

gboolean
rl_phone_set_muted (RlPhone *self, RlCall *call, gboolean muted, GError **error)
{
  if (!check_active (self, call, error))
    return FALSE;
  if (rl_call_get_muted (call) != muted)
    send_to_call (self, call, "mute", on_mute_reply);
  return TRUE;
}

#define DTMF_GAP_MS 160 /* a tone and its pause, so the far end hears each digit */

static void send_next_digit (RlCall *call);

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

static void
queue_digits (RlPhone *self, RlCall *call, const char *digits)
{
  GString *pending = g_object_get_data (G_OBJECT (call), "rl-dtmf");

  if (pending == NULL)
    {
      pending = g_string_new (NULL);
      g_object_set_data_full (G_OBJECT (call), "rl-dtmf", pending, string_free);
    }
  g_string_append (pending, digits);
  if (!g_object_get_data (G_OBJECT (call), "rl-dtmf-busy"))
    {
      g_object_set_data (G_OBJECT (call), "rl-dtmf-busy", GINT_TO_POINTER (TRUE));
      send_next_digit (call);
    }
}

static gboolean
on_digit_gap (gpointer user_data)
{
  send_next_digit (user_data);
  return G_SOURCE_REMOVE;
}

static void
send_next_digit (RlCall *call)
{
  RlPhone *self = g_object_get_data (G_OBJECT (call), "rl-phone");
  GString *pending = g_object_get_data (G_OBJECT (call), "rl-dtmf");
  char key[2] = { 0 };

  if (self == NULL || pending->len == 0 || !rl_call_is_active (call))
    {
      g_string_truncate (pending, 0);
      g_object_set_data (G_OBJECT (call), "rl-dtmf-busy", NULL);
      return;
    }
  key[0] = pending->str[0];
  g_string_erase (pending, 0, 1);
  send_to_call_with (self, call, "sndcode", key, NULL);
  g_timeout_add_full (G_PRIORITY_DEFAULT, DTMF_GAP_MS, on_digit_gap, g_object_ref (call),
                      g_object_unref);
}

/* Sends @digits as RFC 4733 telephone events, one after the other. */
gboolean
rl_phone_send_dtmf (RlPhone *self, RlCall *call, const char *digits, GError **error)
{
  g_autofree char *keys = g_ascii_strup (digits ? digits : "", -1);

  if (*keys == '\0' || strspn (keys, "0123456789*#ABCD") != strlen (keys) || strlen (keys) > 64)
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                           "DTMF digits are 0-9, *, # and A-D (at most 64)");
      return FALSE;
    }
  if (!check_active (self, call, error))
    return FALSE;
  queue_digits (self, call, keys);
  return TRUE;
}

/* Blind transfer by REFER. The call ends with reason "transferred" when the
 * target takes it; ::transfer-result says how it went either way. */
gboolean
rl_phone_transfer (RlPhone *self, RlCall *call, const char *target, GError **error)
{
  g_autofree char *dial = rl_target_normalize (target, error);

  if (dial == NULL || !check_active (self, call, error))
    return FALSE;
  send_to_call_with (self, call, "transfer", dial, NULL);
  return TRUE;
}

/* Refuses a ringing inbound call. */
gboolean
rl_phone_decline (RlPhone *self, RlCall *call, GError **error)
{
  return check_ringing (self, call, "declined", error) && rl_phone_hangup (self, call, error);
}

/* rl-phone.c
 *
 * The phone as an object: its properties and signals, the account, and what
 * the engine's lifecycle means for it. The rest is in the files
 * rl-phone-private.h names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlPhone"

#include "rl-error.h"
#include "rl-enum.h"
#include "rl-phone-enums.h"
#include "rl-phone-private.h"

G_DEFINE_FINAL_TYPE (RlPhone, rl_phone, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ACCOUNT,
  PROP_REGISTRATION_STATE,
  PROP_REGISTRATION_ERROR,
  PROP_MAX_CALLS,
  PROP_REFUSE_INBOUND,
  PROP_AUTO_ANSWER,
  PROP_AUDIO_PROBLEM,
  N_PROPS
};

enum
{
  SIGNAL_CALL_ADDED,
  SIGNAL_CALL_STATE_CHANGED,
  SIGNAL_CALL_REMOVED,
  SIGNAL_DTMF_RECEIVED,
  SIGNAL_DTMF_SENT,
  SIGNAL_TRANSFER_RESULT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The word D-Bus uses: the enum's nick. */
const char *
rl_registration_state_to_string (RlRegistrationState state)
{
  return rl_enum_to_nick (RL_TYPE_REGISTRATION_STATE, state);
}

/* Returns: why the last registration failed; NONE unless the state is FAILED */
RlRegistrationProblem
rl_phone_get_registration_problem (RlPhone *self)
{
  g_return_val_if_fail (RL_IS_PHONE (self), RL_REGISTRATION_PROBLEM_NONE);

  return self->reg_state == RL_REGISTRATION_FAILED ? self->reg_problem
                                                   : RL_REGISTRATION_PROBLEM_NONE;
}

void
_rl_phone_set_registration (RlPhone *self, RlRegistrationState state, const char *error)
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
      _rl_phone_update_keepalive (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTRATION_STATE]);
    }
}

guint
_rl_phone_n_calls (RlPhone *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->calls));
}

void
_rl_phone_emit_call_added (RlPhone *self, RlCall *call)
{
  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, call);
}

void
_rl_phone_emit_call_state (RlPhone *self, RlCall *call)
{
  g_signal_emit (self, signals[SIGNAL_CALL_STATE_CHANGED], 0, call);
  /* A dialled link's extension goes out once someone answers. */
  if (rl_call_get_state (call) == RL_CALL_STATE_ACCEPTED)
    {
      g_autofree char *post_dial = _rl_call_take_post_dial (call);

      if (post_dial)
        _rl_phone_queue_digits (self, call, post_dial);
    }
}

void
_rl_phone_emit_call_removed (RlPhone *self, RlCall *call)
{
  g_signal_emit (self, signals[SIGNAL_CALL_REMOVED], 0, call);
}

void
_rl_phone_emit_dtmf_received (RlPhone *self, RlCall *call, const char *key)
{
  g_signal_emit (self, signals[SIGNAL_DTMF_RECEIVED], 0, call, key);
}

void
_rl_phone_emit_dtmf_sent (RlPhone *self, RlCall *call, const char *key)
{
  g_signal_emit (self, signals[SIGNAL_DTMF_SENT], 0, call, key);
}

void
_rl_phone_emit_transfer_result (RlPhone *self, RlCall *call, gboolean ok, const char *detail)
{
  g_signal_emit (self, signals[SIGNAL_TRANSFER_RESULT], 0, call, ok, detail);
}

/* An engine reply may come after the phone is gone: it holds the call and
 * only a weak reference to the phone. */
RlPhoneReply *
_rl_phone_reply_new (RlPhone *self, RlCall *call)
{
  RlPhoneReply *reply = g_new0 (RlPhoneReply, 1);

  g_weak_ref_init (&reply->phone, self);
  reply->call = g_object_ref (call);
  return reply;
}

void
_rl_phone_reply_free (RlPhoneReply *reply)
{
  g_weak_ref_clear (&reply->phone);
  g_object_unref (reply->call);
  g_free (reply);
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
      _rl_phone_on_registration_event (self, event);
      break;
    default:
      if (g_str_has_prefix (event->type_name, "CALL_"))
        _rl_phone_on_call_event (self, event);
      break;
    }
}

static void
on_engine_ready (RlEngine *engine, RlPhone *self)
{
  g_clear_pointer (&self->ua_aor, g_free);
  _rl_phone_add_ua (self);
}

static void
on_engine_lost (RlEngine *engine, GError *error, RlPhone *self)
{
  g_clear_pointer (&self->ua_aor, g_free);
  _rl_phone_end_all_calls (self, RL_END_NETWORK, "The call engine stopped unexpectedly");
  if (self->wanted && self->account)
    _rl_phone_set_registration (self, RL_REGISTRATION_REGISTERING, error->message);
}

/* --- GObject ---------------------------------------------------------- */

static void
rl_phone_dispose (GObject *object)
{
  RlPhone *self = RL_PHONE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->dial_timeout_id, g_source_remove);
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_clear_handle_id (&self->quality_id, g_source_remove);
  g_clear_pointer (&self->dtmf, g_hash_table_unref);
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
  g_free (self->audio_problem);
  g_free (self->caller_id);
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
      g_value_set_enum (value, self->reg_state);
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
    case PROP_AUTO_ANSWER:
      g_value_set_boolean (value, self->auto_answer);
      break;
    case PROP_AUDIO_PROBLEM:
      g_value_set_string (value, self->audio_problem);
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
    case PROP_AUTO_ANSWER:
      rl_phone_set_auto_answer (self, g_value_get_boolean (value));
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
    = g_param_spec_enum ("registration-state", NULL, NULL, RL_TYPE_REGISTRATION_STATE,
                         RL_REGISTRATION_UNREGISTERED, flags);
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
  /**
   * RlPhone:auto-answer:
   *
   * Whether a call the PBX or dialer marks for auto-answer (Call-Info
   * answer-after=N, Alert-Info info=alert-autoanswer, Answer-Mode: Auto) is
   * answered by itself, after N seconds and at least one second of ringing,
   * so the agent hears it coming. Off by default: a PBX that sets the hint
   * for every call would otherwise put callers through to an empty desk.
   */
  properties[PROP_AUTO_ANSWER]
    = g_param_spec_boolean ("auto-answer", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * RlPhone:audio-problem:
   *
   * Why calls would have no sound ("No microphone or speaker — connect a
   * headset"), or "": while it is set, dialling and answering are refused
   * with %RL_ERROR_NO_AUDIO_DEVICE; calls still ring.
   */
  properties[PROP_AUDIO_PROBLEM] = g_param_spec_string ("audio-problem", NULL, NULL, "", flags);
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
   * RlPhone::dtmf-sent:
   * @key: the digit handed to the engine to send now (RFC 4733), in order
   */
  signals[SIGNAL_DTMF_SENT]
    = g_signal_new ("dtmf-sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, RL_TYPE_CALL, G_TYPE_STRING);
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
  self->audio_problem = g_strdup ("");
  self->cancellable = g_cancellable_new ();
  self->max_calls = 2;
  g_queue_init (&self->dial_queue);
  self->live_quality = TRUE;
  self->dtmf = _rl_phone_dtmf_new ();
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
  g_return_val_if_fail (RL_IS_PHONE (self), NULL);

  return self->engine;
}

RlAccount *
rl_phone_get_account (RlPhone *self)
{
  g_return_val_if_fail (RL_IS_PHONE (self), NULL);

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

  /* The same account again (saved, then read back) keeps its registration:
   * removing and adding the user agent would race its un-REGISTER against
   * the new REGISTER at the registrar. */
  if (account && self->account && self->ua_aor && rl_account_equal (self->account, account)
      && self->reg_state != RL_REGISTRATION_FAILED)
    {
      g_set_object (&self->account, account);
      return;
    }
  /* Removing the user agent unregisters it; NULL leaves no account. */
  _rl_phone_remove_ua (self);
  g_set_object (&self->account, account);
  self->server = 0;
  self->wanted = account && rl_account_get_register (account);
  _rl_phone_set_registration (self, RL_REGISTRATION_UNREGISTERED, "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
  _rl_phone_add_ua (self);
}

/* The optional engine modules an account's settings need, by the value
 * baresip is given for the setting (medianat=…, mediaenc=…). */
static const struct
{
  const char *value, *key, *module;
  RlEngineFeatures feature;
} needed_modules[] = {
  { "ice", "ice", "ice", RL_ENGINE_FEATURE_ICE },
  { "turn", "turn_server", "turn", RL_ENGINE_FEATURE_TURN },
  { "stun", "stun_server", "stun", RL_ENGINE_FEATURE_STUN },
  { "srtp", "media_encryption", "srtp", RL_ENGINE_FEATURE_SRTP },
  { "srtp-mand", "media_encryption", "srtp", RL_ENGINE_FEATURE_SRTP },
  { "dtls_srtp", "media_encryption", "dtls_srtp", RL_ENGINE_FEATURE_DTLS_SRTP },
};

/* @value: (nullable): what baresip is given for a setting, NULL for none */
static gboolean
check_module (RlPhone *self, const char *value, GError **error)
{
  for (guint i = 0; value && i < G_N_ELEMENTS (needed_modules); i++)
    if (g_str_equal (value, needed_modules[i].value)
        && !(rl_engine_get_features (self->engine) & needed_modules[i].feature))
      {
        g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                     "%s: the call engine (baresip %s) has no %s module (%s.so); install it, or "
                     "leave the setting out",
                     needed_modules[i].key, rl_engine_get_version (self->engine),
                     needed_modules[i].module, needed_modules[i].module);
        return FALSE;
      }
  return TRUE;
}

/**
 * rl_phone_check_account:
 *
 * Whether the engine can do what @account asks beyond plain SIP: TLS needs
 * an engine that checks certificates, a media NAT the engine's module of
 * that name. Unknown until the engine has been asked what it has, and then
 * not refused.
 *
 * Returns: %FALSE with %RL_ERROR_INVALID_ARGUMENT naming the setting and
 * the missing module
 */
gboolean
rl_phone_check_account (RlPhone *self, RlAccount *account, GError **error)
{
  g_return_val_if_fail (RL_IS_PHONE (self), FALSE);
  g_return_val_if_fail (RL_IS_ACCOUNT (account), FALSE);

  if (rl_engine_get_version (self->engine) == NULL)
    return TRUE;
  /* Unverified TLS only looks safe: the password would go to whoever
   * answers. */
  if (g_str_equal (rl_account_get_transport (account), "tls")
      && !(rl_engine_get_features (self->engine) & RL_ENGINE_FEATURE_TLS_VERIFY))
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                   "transport: the call engine (baresip %s) cannot check the server's "
                   "certificate, so Ringline does not use TLS with it; use udp or tcp, or a "
                   "newer baresip",
                   rl_engine_get_version (self->engine));
      return FALSE;
    }
  return check_module (self, rl_account_get_media_enc (account), error)
         && check_module (self, rl_account_get_media_nat (account), error);
}

guint
rl_phone_get_max_calls (RlPhone *self)
{
  g_return_val_if_fail (RL_IS_PHONE (self), 0);

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
  g_return_val_if_fail (RL_IS_PHONE (self), FALSE);

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

gboolean
rl_phone_get_auto_answer (RlPhone *self)
{
  g_return_val_if_fail (RL_IS_PHONE (self), FALSE);

  return self->auto_answer;
}

void
rl_phone_set_auto_answer (RlPhone *self, gboolean auto_answer)
{
  g_return_if_fail (RL_IS_PHONE (self));

  if (self->auto_answer == !!auto_answer)
    return;
  self->auto_answer = !!auto_answer;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_ANSWER]);
}

/* Returns: why calls would have no sound, or "" */
const char *
rl_phone_get_audio_problem (RlPhone *self)
{
  g_return_val_if_fail (RL_IS_PHONE (self), "");

  return self->audio_problem;
}

/**
 * rl_phone_set_audio_problem:
 * @problem: (nullable): why calls would have no sound; %NULL or "" when
 *   there is a microphone and a speaker (or calls go without audio on purpose)
 */
void
rl_phone_set_audio_problem (RlPhone *self, const char *problem)
{
  g_return_if_fail (RL_IS_PHONE (self));

  if (g_strcmp0 (self->audio_problem, problem ? problem : "") == 0)
    return;
  g_free (self->audio_problem);
  self->audio_problem = g_strdup (problem ? problem : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_PROBLEM]);
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
  g_return_if_fail (RL_IS_PHONE (self));

  g_free (self->expected_inbound);
  self->expected_inbound = g_strdup (number);
}

RlRegistrationState
rl_phone_get_registration_state (RlPhone *self)
{
  g_return_val_if_fail (RL_IS_PHONE (self), 0);

  return self->reg_state;
}

const char *
rl_phone_get_registration_error (RlPhone *self)
{
  g_return_val_if_fail (RL_IS_PHONE (self), NULL);

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
  g_return_val_if_fail (RL_IS_PHONE (self), NULL);

  return G_LIST_MODEL (self->calls);
}

RlCall *
rl_phone_find_call (RlPhone *self, const char *id)
{
  g_return_val_if_fail (RL_IS_PHONE (self), NULL);

  guint n = _rl_phone_n_calls (self);

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
  g_return_val_if_fail (RL_IS_PHONE (self), NULL);

  guint n = _rl_phone_n_calls (self);
  RlCall *talking = NULL;
  RlCall *newest = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      if (rl_call_is_ringing_in (call))
        return call;
      if (rl_call_get_state (call) == RL_CALL_STATE_ACCEPTED)
        talking = call;
      newest = call;
    }
  return talking ? talking : newest;
}

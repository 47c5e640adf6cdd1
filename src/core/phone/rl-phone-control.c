/* rl-phone-control.c
 *
 * The verbs on calls: dial, answer, hang up, hold, mute, DTMF, transfer.
 * Each checks the call's state, then tells the engine; the call changes
 * state when the engine replies or reports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlPhone"

#include "rl-error.h"
#include "rl-phone-private.h"
#include "rl-target.h"

#include <string.h>

/* Nothing is sent for a call that would have no sound. */
static gboolean
check_audio (RlPhone *self, GError **error)
{
  if (*self->audio_problem == '\0')
    return TRUE;
  g_set_error_literal (error, RL_ERROR, RL_ERROR_NO_AUDIO_DEVICE, self->audio_problem);
  return FALSE;
}

#define MAX_DIAL_HEADERS 16
#define MAX_DIAL_HEADER_VALUE 1024

/* RFC 3261 25.1 token characters. */
static gboolean
is_token (const char *name)
{
  if (*name == '\0')
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-.!%*_+`'~", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* A value is one header line: no line breaks or other control characters
 * (which would let a CRM write headers of its own choosing). */
static gboolean
is_header_value (const char *value)
{
  if (!g_utf8_validate (value, -1, NULL) || strlen (value) > MAX_DIAL_HEADER_VALUE)
    return FALSE;
  for (const char *p = value; *p; p++)
    if ((guchar) *p < 0x20 && *p != '\t')
      return FALSE;
  return TRUE;
}

/* The "headers" dial option (a{ss}): extension headers (X-…) and
 * User-to-User (RFC 7433) for the INVITE, for a dialer or CRM to hand data
 * on to the far end. */
static gboolean
check_dial_headers (RlPhone *self, GVariant *options, GVariant **headers, GError **error)
{
  g_autoptr (GVariant) value = options ? g_variant_lookup_value (options, "headers", NULL) : NULL;
  GVariantIter iter;
  const char *name, *text;

  *headers = NULL;
  if (value == NULL)
    return TRUE;
  if (!g_variant_is_of_type (value, G_VARIANT_TYPE ("a{ss}"))
      || g_variant_n_children (value) > MAX_DIAL_HEADERS)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                   "headers: an a{ss} of at most %u headers", MAX_DIAL_HEADERS);
      return FALSE;
    }
  g_variant_iter_init (&iter, value);
  while (g_variant_iter_next (&iter, "{&s&s}", &name, &text))
    {
      if (!is_token (name)
          || (g_ascii_strncasecmp (name, "X-", 2) != 0
              && g_ascii_strcasecmp (name, "User-to-User") != 0))
        {
          g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                       "headers: \"%s\" is not an X- header name or User-to-User", name);
          return FALSE;
        }
      if (!is_header_value (text))
        {
          g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                       "headers: the value of %s has a line break or control character, or "
                       "is longer than %u bytes",
                       name, MAX_DIAL_HEADER_VALUE);
          return FALSE;
        }
    }
  if (g_variant_n_children (value) > 0
      && !(rl_engine_get_features (self->engine) & RL_ENGINE_FEATURE_CALL_HEADERS))
    {
      g_set_error (error, RL_ERROR, RL_ERROR_NOT_SUPPORTED,
                   "The call engine (baresip %s) cannot add headers to a call",
                   rl_engine_get_version (self->engine));
      return FALSE;
    }
  *headers = g_steal_pointer (&value);
  return TRUE;
}

static const struct
{
  const char *setting;
  const char *header;
} identity_headers[] = {
  { "p-preferred-identity", "P-Preferred-Identity" },
  { "p-asserted-identity", "P-Asserted-Identity" },
  { "remote-party-id", "Remote-Party-ID" },
};

static gboolean
refuse (GError **error, RlError code, const char *message)
{
  g_set_error_literal (error, RL_ERROR, code, message);
  return FALSE;
}

/* A dial option that must be a string if it is there. */
static gboolean
string_option (GVariant *options, const char *key, const char **value, GError **error)
{
  g_autoptr (GVariant) v = options ? g_variant_lookup_value (options, key, NULL) : NULL;

  *value = NULL;
  if (v == NULL)
    return TRUE;
  if (!g_variant_is_of_type (v, G_VARIANT_TYPE_STRING))
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "%s: not a string", key);
      return FALSE;
    }
  g_variant_lookup (options, key, "&s", value);
  return TRUE;
}

/* Whether @number can be a caller ID: a number or a SIP user name. */
gboolean
rl_phone_is_caller_number (const char *number)
{
  gsize len = strlen (number);

  return len > 0 && len <= 64
         && strspn (number, "0123456789+*#._-abcdefghijklmnopqrstuvwxyz"
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
              == len;
}

/* The caller ID the far end is to see (Convirza's callerId/callerIdName,
 * nxcloud's callOut.caller): the dial options' caller_id and caller_id_name
 * over the account's caller_id and display name, in the header the
 * account's PBX takes them from. @headers gains it. */
static gboolean
add_identity (RlPhone *self, GVariant *options, GVariantDict *headers, GError **error)
{
  const char *setting = rl_account_get_identity_header (self->account);
  const char *number, *name, *header = NULL;
  g_autofree char *domain = NULL;
  g_autofree char *value = NULL;
  gboolean asked;

  if (!string_option (options, "caller_id", &number, error)
      || !string_option (options, "caller_id_name", &name, error))
    return FALSE;
  asked = number || name;
  if (number && !rl_phone_is_caller_number (number))
    return refuse (error, RL_ERROR_INVALID_ARGUMENT, "caller_id: not a number or user name");
  if (name && (strpbrk (name, "\"\\<>") || !is_header_value (name)))
    return refuse (error, RL_ERROR_INVALID_ARGUMENT,
                   "caller_id_name: quotes, brackets or line breaks");
  number = number ? number : rl_phone_get_caller_id (self);
  name = name ? name : rl_account_get_display_name (self->account);
  for (guint i = 0; i < G_N_ELEMENTS (identity_headers); i++)
    if (g_str_equal (setting, identity_headers[i].setting))
      header = identity_headers[i].header;
  /* Without a way to send it, the account's own caller ID is left out;
   * one asked for by the dial is refused. */
  if (header == NULL)
    return !asked
           || refuse (error, RL_ERROR_NOT_SUPPORTED,
                      "The account does not say how its PBX takes a caller ID "
                      "(set identity_header)");
  if (*number == '\0')
    return !asked
           || refuse (error, RL_ERROR_INVALID_ARGUMENT,
                      "caller_id_name: needs a caller_id, in the options or the account");
  if (!(rl_engine_get_features (self->engine) & RL_ENGINE_FEATURE_CALL_HEADERS))
    return !asked
           || refuse (error, RL_ERROR_NOT_SUPPORTED,
                      "The call engine cannot choose the caller ID of a call (baresip 1.0)");
  domain = rl_account_dup_domain (self->account);
  value = g_strdup_printf (
    "%s%s%s<sip:%s@%s>%s", *name ? "\"" : "", name, *name ? "\" " : "", number, domain,
    g_str_equal (header, "Remote-Party-ID") ? ";party=calling;screen=no;privacy=off" : "");
  g_variant_dict_insert (headers, header, "s", value);
  return TRUE;
}

/* Everything the INVITE is to carry beyond baresip's own: the "headers"
 * option and the caller ID. */
static gboolean
dial_headers (RlPhone *self, GVariant *options, GVariant **headers, GError **error)
{
  g_autoptr (GVariant) given = NULL;
  GVariantDict dict;
  GVariantIter iter;
  const char *name, *value;
  gboolean ok;

  *headers = NULL;
  if (!check_dial_headers (self, options, &given, error))
    return FALSE;
  g_variant_dict_init (&dict, NULL);
  if (given)
    {
      g_variant_iter_init (&iter, given);
      while (g_variant_iter_next (&iter, "{&s&s}", &name, &value))
        g_variant_dict_insert (&dict, name, "s", value);
    }
  ok = add_identity (self, options, &dict, error);
  {
    g_autoptr (GVariant) all = g_variant_ref_sink (g_variant_dict_end (&dict));
    GVariantBuilder b;
    GVariant *v;
    const char *key;

    if (!ok || g_variant_n_children (all) == 0)
      return ok;
    g_variant_builder_init (&b, G_VARIANT_TYPE ("a{ss}"));
    g_variant_iter_init (&iter, all);
    while (g_variant_iter_loop (&iter, "{&sv}", &key, &v))
      g_variant_builder_add (&b, "{ss}", key, g_variant_get_string (v, NULL));
    *headers = g_variant_ref_sink (g_variant_builder_end (&b));
  }
  return TRUE;
}

/**
 * rl_phone_dial:
 * @options: (nullable): an a{sv} kept with the call and returned in its
 *   details; "headers" (a{ss}) go in the INVITE, and "caller_id" and
 *   "caller_id_name" choose what the far end sees
 *
 * Returns: (transfer none): the new call, in state calling; it ends with a
 * reason if the network refuses it.
 */
RlCall *
rl_phone_dial (RlPhone *self, const char *target, GVariant *options, GError **error)
{
  g_autofree char *dial = NULL;
  g_autofree char *post_dial = NULL;
  g_autoptr (RlCall) call = NULL;
  g_autoptr (GVariant) headers = NULL;
  const char *local;

  g_return_val_if_fail (RL_IS_PHONE (self), NULL);
  g_return_val_if_fail (target != NULL, NULL);

  dial = rl_target_normalize_full (target, &post_dial, error);
  if (dial == NULL || !check_audio (self, error))
    return NULL;
  if (rl_engine_get_state (self->engine) != RL_ENGINE_STATE_RUNNING)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE, "%s",
                   *rl_engine_get_error (self->engine) ? rl_engine_get_error (self->engine)
                                                       : "The call engine is not running");
      return NULL;
    }
  if (self->account == NULL || !_rl_phone_ua_usable (self))
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_NOT_REGISTERED,
                           "Not registered: calls cannot be placed");
      return NULL;
    }
  if (_rl_phone_n_calls (self) >= self->max_calls)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_STATE,
                   "At most %u calls at once: end or transfer one first", self->max_calls);
      return NULL;
    }
  if (!dial_headers (self, options, &headers, error))
    return NULL;
  local = *rl_phone_get_caller_id (self) ? rl_phone_get_caller_id (self)
                                         : rl_account_get_username (self->account);
  call = _rl_call_new (RL_CALL_DIRECTION_OUTBOUND, dial, NULL, local, options);
  _rl_call_set_post_dial (call, post_dial);
  _rl_call_set_headers (call, headers);
  _rl_phone_place (self, call);
  return call;
}

/**
 * rl_phone_set_caller_id:
 * @number: a number the call center provides, or "" for the account's own
 *
 * What calls present as their caller ID from now on (where the account's
 * identity_header lets them) and record as their local number.
 */
void
rl_phone_set_caller_id (RlPhone *self, const char *number)
{
  g_return_if_fail (RL_IS_PHONE (self));

  g_free (self->caller_id);
  self->caller_id = g_strdup (number);
}

/* Returns: the chosen caller ID, else the account's, else "" */
const char *
rl_phone_get_caller_id (RlPhone *self)
{
  g_return_val_if_fail (RL_IS_PHONE (self), NULL);

  if (self->caller_id && *self->caller_id)
    return self->caller_id;
  return self->account ? rl_account_get_caller_id (self->account) : "";
}

/**
 * rl_phone_add_call_data:
 * @data: an a{sv} rl_call_check_data() accepts
 *
 * Attaches @data to @call (RlCall:data), over what was attached before;
 * its record, and so its history row, carries it.
 */
void
rl_phone_add_call_data (RlPhone *self, RlCall *call, GVariant *data)
{
  g_return_if_fail (RL_IS_PHONE (self));
  g_return_if_fail (RL_IS_CALL (call));

  _rl_call_add_data (call, data);
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
  if (!rl_call_is_ringing_in (call))
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
  for (guint i = 0; i < _rl_phone_n_calls (self); i++)
    {
      g_autoptr (RlCall) other = g_list_model_get_item (G_LIST_MODEL (self->calls), i);

      if (other != call && rl_call_is_active (other) && !_rl_call_get_held_local (other))
        _rl_phone_send_to_call (self, other, "hold", "", on_hold_reply);
    }
}

/* Answers a ringing call; a call already up goes on hold. */
gboolean
rl_phone_answer (RlPhone *self, RlCall *call, GError **error)
{
  g_return_val_if_fail (RL_IS_PHONE (self), FALSE);

  if (!check_ringing (self, call, "answered", error) || !check_audio (self, error))
    return FALSE;
  hold_others (self, call);
  _rl_phone_send_to_call (self, call, "accept", "", NULL);
  return TRUE;
}

/* @code: the status a ringing inbound call is refused with, 0 for the engine's */
static gboolean
hangup_with (RlPhone *self, RlCall *call, guint code, const char *reason, GError **error)
{
  if (!check_call (self, call, error))
    return FALSE;
  if (_rl_call_get_hangup_requested (call))
    return TRUE;
  _rl_call_set_hangup_requested (call);
  if (_rl_phone_unplace (self, call))
    return TRUE;
  /* Still waiting for its id: hung up as soon as it has one. */
  if (_rl_call_get_engine_id (call) == NULL)
    return TRUE;
  _rl_phone_send_hangup (self, call, code, reason, _rl_phone_on_hangup_reply);
  return TRUE;
}

gboolean
rl_phone_hangup (RlPhone *self, RlCall *call, GError **error)
{
  g_return_val_if_fail (RL_IS_PHONE (self), FALSE);

  return hangup_with (self, call, 0, NULL, error);
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
finish_hold (GObject *source, GAsyncResult *result, RlPhoneReply *op, gboolean hold)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *reply = rl_engine_command_finish (RL_ENGINE (source), result, &error);
  g_autoptr (RlPhone) self = g_weak_ref_get (&op->phone);

  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("%s failed: %s", hold ? "hold" : "resume", error->message);
      return;
    }
  if (self == NULL || !rl_call_is_active (op->call))
    return;
  _rl_call_set_held (op->call, hold);
  _rl_phone_emit_call_state (self, op->call);
}

static void
on_hold_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlPhoneReply) op = user_data;

  finish_hold (source, result, op, TRUE);
}

static void
on_resume_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlPhoneReply) op = user_data;

  finish_hold (source, result, op, FALSE);
}

static gboolean
set_hold (RlPhone *self, RlCall *call, gboolean hold, GError **error)
{
  if (!check_active (self, call, error))
    return FALSE;
  if (hold)
    {
      _rl_phone_send_to_call (self, call, "hold", "", on_hold_reply);
      return TRUE;
    }
  hold_others (self, call);
  _rl_phone_send_to_call (self, call, "resume", "", on_resume_reply);
  return TRUE;
}

/* Holds the call: a re-INVITE with a sendonly offer; the state becomes held. */
gboolean
rl_phone_hold (RlPhone *self, RlCall *call, GError **error)
{
  g_return_val_if_fail (RL_IS_PHONE (self), FALSE);

  return set_hold (self, call, TRUE, error);
}

/* Takes the call off hold, holding whichever other call was talking: how
 * the agent switches between calls. */
gboolean
rl_phone_resume (RlPhone *self, RlCall *call, GError **error)
{
  g_return_val_if_fail (RL_IS_PHONE (self), FALSE);

  return set_hold (self, call, FALSE, error);
}

static void
on_mute_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (RlPhoneReply) op = user_data;
  g_autofree char *reply = rl_engine_command_finish (RL_ENGINE (source), result, NULL);

  /* baresip says which way it went: "call muted" / "call un-muted". */
  if (reply)
    _rl_call_set_muted (op->call, strstr (reply, "un-muted") == NULL);
}

gboolean
rl_phone_set_muted (RlPhone *self, RlCall *call, gboolean muted, GError **error)
{
  g_return_val_if_fail (RL_IS_PHONE (self), FALSE);

  if (!check_active (self, call, error))
    return FALSE;
  /* baresip 1.0's "mute" toggles; a modern one takes the wanted state, so a
   * reply crossing a second request cannot turn it the wrong way. */
  if (rl_engine_get_features (self->engine) & RL_ENGINE_FEATURE_MUTE_STATE)
    _rl_phone_send_to_call (self, call, "mute", muted ? "yes" : "no", on_mute_reply);
  else if (rl_call_get_muted (call) != muted)
    _rl_phone_send_to_call (self, call, "mute", "", on_mute_reply);
  return TRUE;
}

#define DTMF_GAP_MS 160    /* a tone and its pause, so the far end hears each digit */
#define DTMF_PAUSE_MS 1000 /* a post-dial 'p': an IVR's time to speak */

/* The digits a call has still to send, one every DTMF_GAP_MS. The phone
 * owns these: ending the call or disposing of the phone stops the timer. */
typedef struct
{
  RlPhone *phone;
  RlCall *call;
  GString *digits;
  guint timer_id;
} DtmfQueue;

static void
dtmf_queue_free (gpointer data)
{
  DtmfQueue *queue = data;

  g_clear_handle_id (&queue->timer_id, g_source_remove);
  g_string_free (queue->digits, TRUE);
  g_object_unref (queue->call);
  g_free (queue);
}

static gboolean
send_next_digit (gpointer user_data)
{
  DtmfQueue *queue = user_data;
  char key[2] = { 0 };

  queue->timer_id = 0;
  if (queue->digits->len == 0 || !rl_call_is_active (queue->call))
    {
      g_hash_table_remove (queue->phone->dtmf, queue->call);
      return G_SOURCE_REMOVE;
    }
  key[0] = queue->digits->str[0];
  g_string_erase (queue->digits, 0, 1);
  if (key[0] == 'p')
    {
      queue->timer_id = g_timeout_add (DTMF_PAUSE_MS, send_next_digit, queue);
      return G_SOURCE_REMOVE;
    }
  _rl_phone_send_to_call (queue->phone, queue->call, "sndcode", key, NULL);
  _rl_phone_emit_dtmf_sent (queue->phone, queue->call, key);
  queue->timer_id = g_timeout_add (DTMF_GAP_MS, send_next_digit, queue);
  return G_SOURCE_REMOVE;
}

void
_rl_phone_queue_digits (RlPhone *self, RlCall *call, const char *digits)
{
  DtmfQueue *queue = g_hash_table_lookup (self->dtmf, call);

  if (queue == NULL)
    {
      queue = g_new0 (DtmfQueue, 1);
      queue->phone = self;
      queue->call = g_object_ref (call);
      queue->digits = g_string_new (NULL);
      g_hash_table_insert (self->dtmf, call, queue);
    }
  g_string_append (queue->digits, digits);
  if (queue->timer_id == 0)
    send_next_digit (queue);
}

GHashTable *
_rl_phone_dtmf_new (void)
{
  return g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, dtmf_queue_free);
}

void
_rl_phone_forget_dtmf (RlPhone *self, RlCall *call)
{
  g_hash_table_remove (self->dtmf, call);
}

/* Sends @digits as RFC 4733 telephone events, one after the other. */
gboolean
rl_phone_send_dtmf (RlPhone *self, RlCall *call, const char *digits, GError **error)
{
  g_return_val_if_fail (RL_IS_PHONE (self), FALSE);

  g_autofree char *keys = g_ascii_strup (digits ? digits : "", -1);

  if (*keys == '\0' || strspn (keys, "0123456789*#ABCD") != strlen (keys) || strlen (keys) > 64)
    {
      g_set_error_literal (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                           "DTMF digits are 0-9, *, # and A-D (at most 64)");
      return FALSE;
    }
  if (!check_active (self, call, error))
    return FALSE;
  _rl_phone_queue_digits (self, call, keys);
  return TRUE;
}

/* Blind transfer by REFER. The call ends with reason "transferred" when the
 * target takes it; ::transfer-result says how it went either way. */
gboolean
rl_phone_transfer (RlPhone *self, RlCall *call, const char *target, GError **error)
{
  g_return_val_if_fail (RL_IS_PHONE (self), FALSE);

  g_autofree char *dial = rl_target_normalize (target, error);

  if (dial == NULL || !check_active (self, call, error))
    return FALSE;
  _rl_phone_send_to_call (self, call, "transfer", dial, NULL);
  return TRUE;
}

/* Refuses a ringing inbound call: 603 Decline where the engine can say so,
 * else the engine's own refusal (baresip 1.0: 486 Busy Here). */
gboolean
rl_phone_decline (RlPhone *self, RlCall *call, GError **error)
{
  g_return_val_if_fail (RL_IS_PHONE (self), FALSE);

  return check_ringing (self, call, "declined", error)
         && hangup_with (self, call, 603, "Decline", error);
}

/**
 * rl_phone_end_all:
 *
 * Ringline is quitting: hangs up every call (BYE, or CANCEL while it rings;
 * a ringing inbound call is declined) and removes the account from the
 * engine, which unregisters it. The calls end as the engine confirms; see
 * rl_phone_drop_calls() for those it does not.
 */
void
rl_phone_end_all (RlPhone *self)
{
  GListModel *calls;

  g_return_if_fail (RL_IS_PHONE (self));

  calls = G_LIST_MODEL (self->calls);
  for (guint i = 0; i < g_list_model_get_n_items (calls); i++)
    {
      g_autoptr (RlCall) call = g_list_model_get_item (calls, i);

      rl_phone_hangup (self, call, NULL);
    }
  rl_phone_unregister (self, NULL);
}

/**
 * rl_phone_drop_calls:
 *
 * Ends, as hung up here, every call the engine has not confirmed ended: at
 * quit, when the engine is about to go.
 */
void
rl_phone_drop_calls (RlPhone *self)
{
  g_return_if_fail (RL_IS_PHONE (self));

  _rl_phone_end_all_calls (self, RL_END_LOCAL_HANGUP, "Ringline quit");
}

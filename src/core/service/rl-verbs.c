/* rl-verbs.c
 *
 * Parameters: "dial" takes (sa{sv}) (target, options) and returns the new
 * call's id; "answer", "hangup", "decline", "hold" and "resume" take a call
 * id, "" meaning the current call; "set-muted" takes (sb), "send-dtmf" and
 * "transfer" (ss): a call id and the argument; "register" and "unregister"
 * take nothing. "set-agent-status" takes (ss) (status, reason); "sign-in"
 * and "sign-in-with-tokens" (sss) (server, email or access token, password
 * or refresh token) finish when the backend has answered;
 * "sign-in-with-browser" takes the server and finishes once the agent came
 * back from the browser signed in; "sign-out" takes nothing. "start-recording" and "stop-recording"
 * take a call id and finish when the backend has answered. "park" takes (ss) (call id, slot) and
 * finishes once the call is parked; "retrieve" takes a slot and finishes
 * with the retrieved call's id. "set-data" takes (sa{sv}) (call id, data)
 * and finishes once the call, or its history row, has the data.
 *
 * Longer than most files: the table must stay one, and each verb's few
 * lines sit above it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlVerbs"

#include "rl-verbs.h"
#include "rl-callcenter-enums.h"
#include "rl-enum.h"
#include "rl-error.h"

typedef gboolean (*VerbFunc) (RlPhone *phone, GVariant *param, GVariant **result, GError **error);
/* A verb that finishes later returns its result (or NULL) on the task. */
typedef void (*AsyncVerbFunc) (RlCore *core, GVariant *param, GTask *task);
typedef gboolean (*EnabledFunc) (RlCore *core);
/* A verb whose parameter is a call id ("" for the current call). */
typedef gboolean (*CallFunc) (RlPhone *phone, RlCall *call, GError **error);

static RlCall *
call_for (RlPhone *phone, GVariant *param, GError **error)
{
  const char *id = g_variant_get_string (param, NULL);
  RlCall *call = *id ? rl_phone_find_call (phone, id) : rl_phone_get_current_call (phone);

  if (call == NULL)
    g_set_error (error, RL_ERROR, RL_ERROR_NOT_FOUND, *id ? "No call with id %s" : "No call", id);
  return call;
}

static gboolean
verb_dial (RlPhone *phone, GVariant *param, GVariant **result, GError **error)
{
  g_autoptr (GVariant) options = NULL;
  const char *target;
  RlCall *call;

  g_variant_get (param, "(&s@a{sv})", &target, &options);
  call = rl_phone_dial (phone, target, options, error);
  if (call && result)
    *result = g_variant_new_string (rl_call_get_id (call));
  return call != NULL;
}

/* For (s?) parameters: the call the id names, and the argument after it. */
static RlCall *
call_and_arg (RlPhone *phone, GVariant *param, GVariant **arg, GError **error)
{
  g_autoptr (GVariant) id = g_variant_get_child_value (param, 0);

  *arg = g_variant_get_child_value (param, 1);
  return call_for (phone, id, error);
}

static gboolean
verb_set_muted (RlPhone *phone, GVariant *param, GVariant **result, GError **error)
{
  g_autoptr (GVariant) muted = NULL;
  RlCall *call = call_and_arg (phone, param, &muted, error);

  return call && rl_phone_set_muted (phone, call, g_variant_get_boolean (muted), error);
}

static gboolean
verb_send_dtmf (RlPhone *phone, GVariant *param, GVariant **result, GError **error)
{
  g_autoptr (GVariant) digits = NULL;
  RlCall *call = call_and_arg (phone, param, &digits, error);

  return call && rl_phone_send_dtmf (phone, call, g_variant_get_string (digits, NULL), error);
}

static gboolean
verb_transfer (RlPhone *phone, GVariant *param, GVariant **result, GError **error)
{
  g_autoptr (GVariant) target = NULL;
  RlCall *call = call_and_arg (phone, param, &target, error);

  return call && rl_phone_transfer (phone, call, g_variant_get_string (target, NULL), error);
}

static gboolean
verb_register (RlPhone *phone, GVariant *param, GVariant **result, GError **error)
{
  return rl_phone_register (phone, error);
}

static gboolean
verb_unregister (RlPhone *phone, GVariant *param, GVariant **result, GError **error)
{
  return rl_phone_unregister (phone, error);
}

static gboolean
has_ringing_call (RlCore *core)
{
  RlPhone *phone = rl_core_get_phone (core);
  RlCall *call = rl_phone_get_current_call (phone);

  return call && rl_call_is_ringing_in (call);
}

static gboolean
has_call (RlCore *core)
{
  RlPhone *phone = rl_core_get_phone (core);
  return g_list_model_get_n_items (rl_phone_get_calls (phone)) > 0;
}

static gboolean
current_call_up (RlCore *core)
{
  RlPhone *phone = rl_core_get_phone (core);
  RlCall *call = rl_phone_get_current_call (phone);

  return call && rl_call_is_active (call);
}

static gboolean
can_dial (RlCore *core)
{
  RlPhone *phone = rl_core_get_phone (core);
  RlAccount *account = rl_phone_get_account (phone);

  return account
         && (rl_phone_get_registration_state (phone) == RL_REGISTRATION_REGISTERED
             || !rl_account_get_register (account));
}

static gboolean
has_account (RlCore *core)
{
  RlPhone *phone = rl_core_get_phone (core);
  return rl_phone_get_account (phone) != NULL;
}

static gboolean
always (RlCore *core)
{
  return TRUE;
}

static gboolean
signed_in (RlCore *core)
{
  return rl_session_get_signed_in (rl_core_get_session (core));
}

/* ---- the agent ---- */

/* Ends a verb that returns nothing with what its step reported. */
static void
return_done (GTask *task, gboolean done, GError *error)
{
  if (done)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_error (task, error);
}

static void
verb_set_agent_status (RlCore *core, GVariant *param, GTask *task)
{
  GError *error = NULL;
  const char *status, *reason;
  gboolean done;
  int state;

  g_variant_get (param, "(&s&s)", &status, &reason);
  if (!rl_enum_from_nick (RL_TYPE_AGENT_STATE, status, &state))
    return g_task_return_new_error (task, RL_ERROR, RL_ERROR_INVALID_ARGUMENT,
                                    "Unknown agent status '%s': use idle, busy, or rest with "
                                    "meeting, meal, break or other",
                                    status);
  done = rl_agent_status_set (rl_core_get_agent_status (core), state, reason, &error);
  return_done (task, done, error);
}

static void
on_signed_in (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  gboolean done = rl_session_sign_in_finish (RL_SESSION (source), result, &error);

  return_done (task, done, error);
}

static void
verb_sign_in (RlCore *core, GVariant *param, GTask *task)
{
  const char *server, *email, *password;
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_variant_get (param, "(&s&s&s)", &server, &email, &password);
  rl_session_sign_in_async (rl_core_get_session (core), server, email, password, cancellable,
                            on_signed_in, g_object_ref (task));
}

static void
verb_sign_in_with_tokens (RlCore *core, GVariant *param, GTask *task)
{
  const char *server, *access, *refresh;
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_variant_get (param, "(&s&s&s)", &server, &access, &refresh);
  rl_session_sign_in_with_tokens_async (rl_core_get_session (core), server, access, refresh,
                                        cancellable, on_signed_in, g_object_ref (task));
}

static void
verb_sign_in_with_browser (RlCore *core, GVariant *param, GTask *task)
{
  rl_session_sign_in_with_browser_async (
    rl_core_get_session (core), g_variant_get_string (param, NULL), g_task_get_cancellable (task),
    on_signed_in, g_object_ref (task));
}

static void
verb_sign_out (RlCore *core, GVariant *param, GTask *task)
{
  rl_session_sign_out (rl_core_get_session (core), RL_SIGNED_OUT_ASKED);
  g_task_return_pointer (task, NULL, NULL);
}

/* ---- the call center ---- */

static gboolean
signed_in_call_up (RlCore *core)
{
  return signed_in (core) && current_call_up (core);
}

static void
on_recording_set (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  gboolean done = rl_recorder_set_finish (RL_RECORDER (source), result, &error);

  return_done (task, done, error);
}

static void
set_recording (RlCore *core, GVariant *param, GTask *task, gboolean recording)
{
  GError *error = NULL;
  RlCall *call = call_for (rl_core_get_phone (core), param, &error);

  if (call == NULL)
    return g_task_return_error (task, error);
  rl_recorder_set_async (rl_core_get_recorder (core), call, recording,
                         g_task_get_cancellable (task), on_recording_set, g_object_ref (task));
}

static void
verb_start_recording (RlCore *core, GVariant *param, GTask *task)
{
  set_recording (core, param, task, TRUE);
}

static void
verb_stop_recording (RlCore *core, GVariant *param, GTask *task)
{
  set_recording (core, param, task, FALSE);
}

static void
on_parked (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  gboolean done = rl_park_slots_park_finish (RL_PARK_SLOTS (source), result, &error);

  return_done (task, done, error);
}

static void
verb_park (RlCore *core, GVariant *param, GTask *task)
{
  g_autoptr (GVariant) slot = NULL;
  GError *error = NULL;
  RlCall *call = call_and_arg (rl_core_get_phone (core), param, &slot, &error);

  if (call == NULL)
    return g_task_return_error (task, error);
  rl_park_slots_park_async (rl_core_get_park_slots (core), call, g_variant_get_string (slot, NULL),
                            g_task_get_cancellable (task), on_parked, g_object_ref (task));
}

static void
on_retrieved (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  g_autoptr (RlCall) call = rl_park_slots_retrieve_finish (RL_PARK_SLOTS (source), result, &error);

  if (call == NULL)
    return g_task_return_error (task, error);
  g_task_return_pointer (task, g_variant_ref_sink (g_variant_new_string (rl_call_get_id (call))),
                         (GDestroyNotify) g_variant_unref);
}

static void
verb_retrieve (RlCore *core, GVariant *param, GTask *task)
{
  rl_park_slots_retrieve_async (rl_core_get_park_slots (core), g_variant_get_string (param, NULL),
                                g_task_get_cancellable (task), on_retrieved, g_object_ref (task));
}

static void
on_data_set (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;
  gboolean found = FALSE;
  gboolean live = GPOINTER_TO_INT (g_task_get_task_data (task));

  if (!rl_history_set_data_finish (RL_HISTORY (source), result, &found, &error))
    return g_task_return_error (task, error);
  if (!found && !live)
    return g_task_return_new_error (task, RL_ERROR, RL_ERROR_NOT_FOUND,
                                    "No call with that id, up or in the history");
  return_done (task, TRUE, NULL);
}

/* A call up keeps the data for its record; a call that has ended gets it in
 * its history row, and the backend is told either way. */
static void
verb_set_data (RlCore *core, GVariant *param, GTask *task)
{
  RlPhone *phone = rl_core_get_phone (core);
  g_autoptr (GVariant) data = NULL;
  const char *id;
  GError *error = NULL;
  RlCall *live;

  g_variant_get (param, "(&s@a{sv})", &id, &data);
  if (!rl_call_check_data (data, &error))
    return g_task_return_error (task, error);
  live = *id ? rl_phone_find_call (phone, id) : rl_phone_get_current_call (phone);
  if (live)
    {
      rl_phone_add_call_data (phone, live, data);
      id = rl_call_get_id (live);
    }
  else if (*id == '\0')
    return g_task_return_new_error (task, RL_ERROR, RL_ERROR_NOT_FOUND, "No call");
  g_task_set_task_data (task, GINT_TO_POINTER (live != NULL), NULL);
  rl_history_set_data_async (rl_core_get_history (core), id, data, g_task_get_cancellable (task),
                             on_data_set, g_object_ref (task));
}

/* The verbs, each once. @method is its D-Bus form, @summary what it does;
 * docs/dbus-api.md lists them from here (test-verbs checks it). */
static const struct
{
  const char *name;
  const char *param_type;
  CallFunc on_call;           /* one of these three: on a call, … */
  VerbFunc invoke;            /* … on the phone, … */
  AsyncVerbFunc invoke_async; /* … or on the core, finishing later */
  EnabledFunc enabled;
  const char *method;
  const char *summary;
} verbs[] = {
  { "dial", "(sa{sv})", NULL, verb_dial, NULL, can_dial, "Phone1.Dial",
    "places a call to a number, extension or URI; returns the call's id" },
  { "answer", "s", rl_phone_answer, NULL, NULL, has_ringing_call, "Call1.Answer",
    "answers a ringing call; a call already up goes on hold" },
  { "hangup", "s", rl_phone_hangup, NULL, NULL, has_call, "Call1.Hangup",
    "ends a call, or cancels it while it rings" },
  { "decline", "s", rl_phone_decline, NULL, NULL, has_ringing_call, "Call1.Decline",
    "refuses a ringing inbound call" },
  { "hold", "s", rl_phone_hold, NULL, NULL, current_call_up, "Call1.Hold", "puts a call on hold" },
  { "resume", "s", rl_phone_resume, NULL, NULL, current_call_up, "Call1.Resume",
    "takes a call off hold, holding the one talking" },
  { "set-muted", "(sb)", NULL, verb_set_muted, NULL, current_call_up, "Call1.SetMuted",
    "mutes or unmutes the microphone on a call" },
  { "send-dtmf", "(ss)", NULL, verb_send_dtmf, NULL, current_call_up, "Call1.SendDtmf",
    "sends digits as RFC 4733 telephone events, one after the other" },
  { "transfer", "(ss)", NULL, verb_transfer, NULL, current_call_up, "Call1.Transfer",
    "blind-transfers a call to a number or URI" },
  { "register", NULL, NULL, verb_register, NULL, has_account, "Phone1.Register",
    "registers the account again" },
  { "unregister", NULL, NULL, verb_unregister, NULL, has_account, "Phone1.Unregister",
    "unregisters the account" },
  { "set-agent-status", "(ss)", NULL, NULL, verb_set_agent_status, always, "Phone1.SetAgentStatus",
    "sets the agent's status: idle, busy, or rest with a reason" },
  { "sign-in", "(sss)", NULL, NULL, verb_sign_in, always, "Phone1.SignIn",
    "signs in to the call center with an email and password" },
  { "sign-in-with-tokens", "(sss)", NULL, NULL, verb_sign_in_with_tokens, always,
    "Phone1.SignInWithTokens", "signs in with tokens a host application already has" },
  { "sign-in-with-browser", "s", NULL, NULL, verb_sign_in_with_browser, always, NULL,
    "signs in through the call center's page in the system browser" },
  { "sign-out", NULL, NULL, NULL, verb_sign_out, signed_in, "Phone1.SignOut",
    "signs out and forgets the session" },
  { "start-recording", "s", NULL, NULL, verb_start_recording, signed_in_call_up,
    "Call1.StartRecording", "asks the call center to record a call" },
  { "stop-recording", "s", NULL, NULL, verb_stop_recording, signed_in_call_up,
    "Call1.StopRecording", "asks the call center to stop recording a call" },
  { "park", "(ss)", NULL, NULL, verb_park, signed_in_call_up, "Phone1.Park",
    "parks a call in a slot" },
  { "retrieve", "s", NULL, NULL, verb_retrieve, signed_in, "Phone1.Retrieve",
    "brings a parked call back to this phone" },
  { "set-data", "(sa{sv})", NULL, NULL, verb_set_data, always, "Call1.SetData",
    "attaches a CRM's data (engagement_id, order_id, its own keys) to a call, up or ended" },
};

static gboolean
invoke_now (int i, RlCore *core, GVariant *parameter, GVariant **result, GError **error)
{
  RlPhone *phone = rl_core_get_phone (core);
  RlCall *call;

  if (verbs[i].invoke)
    return verbs[i].invoke (phone, parameter, result, error);
  call = call_for (phone, parameter, error);
  return call && verbs[i].on_call (phone, call, error);
}

/**
 * rl_verbs_to_markdown:
 *
 * Returns: (transfer full): the verb table as docs/dbus-api.md lists it.
 */
char *
rl_verbs_to_markdown (void)
{
  GString *md = g_string_new ("| verb (window action) | parameter | on D-Bus | what it does |\n"
                              "|---|---|---|---|\n");

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      g_autofree char *method
        = verbs[i].method ? g_strdup_printf ("`%s`", verbs[i].method) : g_strdup ("window only");

      g_string_append_printf (md, "| `%s` | `%s` | %s | %s |\n", verbs[i].name,
                              verbs[i].param_type ? verbs[i].param_type : "()", method,
                              verbs[i].summary);
    }
  return g_string_free (md, FALSE);
}

static int
find_verb (const char *name, GVariant *parameter, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      if (!g_str_equal (verbs[i].name, name))
        continue;
      if (verbs[i].param_type
          && (parameter == NULL
              || !g_variant_is_of_type (parameter, G_VARIANT_TYPE (verbs[i].param_type))))
        {
          g_set_error (error, RL_ERROR, RL_ERROR_INVALID_ARGUMENT, "%s takes a '%s'", name,
                       verbs[i].param_type);
          return -1;
        }
      return i;
    }
  g_set_error (error, RL_ERROR, RL_ERROR_NOT_FOUND, "No verb named %s", name);
  return -1;
}

/**
 * rl_verbs_invoke:
 * @result: (out) (optional) (transfer floating): what the verb returns, if anything
 *
 * Runs a verb that finishes at once; the ones that wait for the backend
 * need rl_verbs_invoke_async().
 */
gboolean
rl_verbs_invoke (RlCore *core, const char *name, GVariant *parameter, GVariant **result,
                 GError **error)
{
  int i = find_verb (name, parameter, error);

  if (i < 0)
    return FALSE;
  if (verbs[i].invoke_async)
    {
      g_set_error (error, RL_ERROR, RL_ERROR_INVALID_STATE, "%s finishes later: call it async",
                   name);
      return FALSE;
    }
  return invoke_now (i, core, parameter, result, error);
}

void
rl_verbs_invoke_async (RlCore *core, const char *name, GVariant *parameter,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (core, cancellable, callback, user_data);
  g_autoptr (GVariant) param = parameter ? g_variant_ref_sink (parameter) : NULL;
  g_autoptr (GVariant) result = NULL;
  GError *error = NULL;
  int i = find_verb (name, param, &error);

  g_task_set_source_tag (task, rl_verbs_invoke_async);
  if (i < 0)
    return g_task_return_error (task, error);
  if (verbs[i].invoke_async)
    return verbs[i].invoke_async (core, param, task);
  if (!invoke_now (i, core, param, &result, &error))
    return g_task_return_error (task, error);
  g_task_return_pointer (task, result ? g_variant_ref_sink (g_steal_pointer (&result)) : NULL,
                         (GDestroyNotify) g_variant_unref);
}

/**
 * rl_verbs_invoke_finish:
 * @result: (out) (optional) (transfer full): what the verb returns, if anything
 */
gboolean
rl_verbs_invoke_finish (RlCore *core, GAsyncResult *res, GVariant **result, GError **error)
{
  g_autoptr (GError) local = NULL;
  GVariant *value = g_task_propagate_pointer (G_TASK (res), &local);

  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (result)
    *result = value;
  else if (value)
    g_variant_unref (value);
  return TRUE;
}

static void
on_method_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GDBusMethodInvocation) invocation = user_data;
  GError *error = NULL;

  if (rl_verbs_invoke_finish (RL_CORE (source), result, NULL, &error))
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    g_dbus_method_invocation_take_error (invocation, error);
}

/**
 * rl_verbs_invoke_for_method:
 * @parameter: (transfer floating) (nullable): the verb's parameter
 *
 * Runs a verb for a D-Bus method that returns nothing, and answers
 * @invocation when the verb has finished: with nothing, or its error.
 */
void
rl_verbs_invoke_for_method (RlCore *core, const char *name, GVariant *parameter,
                            GDBusMethodInvocation *invocation)
{
  rl_verbs_invoke_async (core, name, parameter, NULL, on_method_done, g_object_ref (invocation));
}

static void
on_activated (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autofree char *name = user_data;
  g_autoptr (GError) error = NULL;

  if (!rl_verbs_invoke_finish (RL_CORE (source), res, NULL, &error))
    g_warning ("%s: %s", name, error->message);
}

static void
on_activate (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  const char *name = g_action_get_name (G_ACTION (action));

  rl_verbs_invoke_async (user_data, name, parameter, NULL, on_activated, g_strdup (name));
}

/* The verbs as actions: the window's view of them. */
struct _RlVerbs
{
  GSimpleActionGroup parent_instance;

  RlCore *core;
};

G_DEFINE_FINAL_TYPE (RlVerbs, rl_verbs, G_TYPE_SIMPLE_ACTION_GROUP)

static void
update_enabled (RlVerbs *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), verbs[i].name);

      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), verbs[i].enabled (self->core));
    }
}

static void
follow (RlVerbs *self, gpointer instance, const char *signal)
{
  g_signal_connect_object (instance, signal, G_CALLBACK (update_enabled), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

static void
rl_verbs_dispose (GObject *object)
{
  g_clear_object (&RL_VERBS (object)->core);
  G_OBJECT_CLASS (rl_verbs_parent_class)->dispose (object);
}

static void
rl_verbs_class_init (RlVerbsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rl_verbs_dispose;
}

static void
rl_verbs_init (RlVerbs *self)
{
}

/**
 * rl_verbs_new:
 *
 * Returns: (transfer full): the verbs as actions whose enabled state follows
 * the core's objects (no call to hang up, no hangup action).
 */
RlVerbs *
rl_verbs_new (RlCore *core)
{
  RlVerbs *self;
  RlPhone *phone;

  g_return_val_if_fail (RL_IS_CORE (core), NULL);

  self = g_object_new (RL_TYPE_VERBS, NULL);
  self->core = g_object_ref (core);
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      const GVariantType *type = verbs[i].param_type ? G_VARIANT_TYPE (verbs[i].param_type) : NULL;
      g_autoptr (GSimpleAction) action = g_simple_action_new (verbs[i].name, type);

      g_signal_connect_object (action, "activate", G_CALLBACK (on_activate), core, 0);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }
  phone = rl_core_get_phone (core);
  follow (self, phone, "notify::registration-state");
  follow (self, phone, "notify::account");
  follow (self, phone, "call-state-changed");
  follow (self, phone, "call-removed");
  follow (self, rl_core_get_session (core), "notify::signed-in");
  update_enabled (self);
  return self;
}

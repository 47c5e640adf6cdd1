/* rl-verbs.c
 *
 * Parameters: "dial" takes (sa{sv}) (target, options) and returns the new
 * call's id; "answer", "hangup", "decline", "hold" and "resume" take a call
 * id, "" meaning the current call; "set-muted" takes (sb), "send-dtmf" and
 * "transfer" (ss): a call id and the argument; "register" and "unregister"
 * take nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlVerbs"

#include "rl-verbs.h"
#include "rl-error.h"

typedef gboolean (*VerbFunc) (RlPhone *phone, GVariant *param, GVariant **result, GError **error);
typedef gboolean (*EnabledFunc) (RlPhone *phone);

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

static gboolean
verb_answer (RlPhone *phone, GVariant *param, GVariant **result, GError **error)
{
  RlCall *call = call_for (phone, param, error);

  return call && rl_phone_answer (phone, call, error);
}

static gboolean
verb_hangup (RlPhone *phone, GVariant *param, GVariant **result, GError **error)
{
  RlCall *call = call_for (phone, param, error);

  return call && rl_phone_hangup (phone, call, error);
}

static gboolean
verb_decline (RlPhone *phone, GVariant *param, GVariant **result, GError **error)
{
  RlCall *call = call_for (phone, param, error);

  return call && rl_phone_decline (phone, call, error);
}

static gboolean
verb_hold (RlPhone *phone, GVariant *param, GVariant **result, GError **error)
{
  RlCall *call = call_for (phone, param, error);

  return call && rl_phone_hold (phone, call, error);
}

static gboolean
verb_resume (RlPhone *phone, GVariant *param, GVariant **result, GError **error)
{
  RlCall *call = call_for (phone, param, error);

  return call && rl_phone_resume (phone, call, error);
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
has_ringing_call (RlPhone *phone)
{
  RlCall *call = rl_phone_get_current_call (phone);

  return call && rl_call_get_state (call) == RL_CALL_STATE_RINGING;
}

static gboolean
has_call (RlPhone *phone)
{
  return g_list_model_get_n_items (rl_phone_get_calls (phone)) > 0;
}

static gboolean
has_active_call (RlPhone *phone)
{
  RlCall *call = rl_phone_get_current_call (phone);

  return call && rl_call_is_active (call);
}

static gboolean
can_dial (RlPhone *phone)
{
  RlAccount *account = rl_phone_get_account (phone);

  return account
         && (rl_phone_get_registration_state (phone) == RL_REGISTRATION_REGISTERED
             || !rl_account_get_register (account));
}

static gboolean
has_account (RlPhone *phone)
{
  return rl_phone_get_account (phone) != NULL;
}

static const struct
{
  const char *name;
  const char *param_type;
  VerbFunc invoke;
  EnabledFunc enabled;
} verbs[] = {
  { "dial", "(sa{sv})", verb_dial, can_dial },
  { "answer", "s", verb_answer, has_ringing_call },
  { "hangup", "s", verb_hangup, has_call },
  { "decline", "s", verb_decline, has_ringing_call },
  { "hold", "s", verb_hold, has_active_call },
  { "resume", "s", verb_resume, has_active_call },
  { "set-muted", "(sb)", verb_set_muted, has_active_call },
  { "send-dtmf", "(ss)", verb_send_dtmf, has_active_call },
  { "transfer", "(ss)", verb_transfer, has_active_call },
  { "register", NULL, verb_register, has_account },
  { "unregister", NULL, verb_unregister, has_account },
};

/**
 * rl_verbs_invoke:
 * @result: (out) (optional) (transfer floating): what the verb returns, if anything
 */
gboolean
rl_verbs_invoke (RlPhone *phone, const char *name, GVariant *parameter, GVariant **result,
                 GError **error)
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
          return FALSE;
        }
      return verbs[i].invoke (phone, parameter, result, error);
    }
  g_set_error (error, RL_ERROR, RL_ERROR_NOT_FOUND, "No verb named %s", name);
  return FALSE;
}

static void
on_activate (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  RlPhone *phone = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) result = NULL;

  if (!rl_verbs_invoke (phone, g_action_get_name (G_ACTION (action)), parameter, &result, &error))
    g_warning ("%s: %s", g_action_get_name (G_ACTION (action)), error->message);
  if (result)
    g_variant_ref_sink (result);
}

static void
update_enabled (GSimpleActionGroup *group)
{
  RlPhone *phone = g_object_get_data (G_OBJECT (group), "rl-phone");

  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (group), verbs[i].name);

      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), verbs[i].enabled (phone));
    }
}

/**
 * rl_verbs_create_action_group:
 *
 * Returns: (transfer full): the verbs as actions whose enabled state follows
 * the phone (no call to hang up, no hangup action).
 */
GActionGroup *
rl_verbs_create_action_group (RlPhone *phone)
{
  GSimpleActionGroup *group = g_simple_action_group_new ();

  g_object_set_data_full (G_OBJECT (group), "rl-phone", g_object_ref (phone), g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (verbs); i++)
    {
      const GVariantType *type = verbs[i].param_type ? G_VARIANT_TYPE (verbs[i].param_type) : NULL;
      g_autoptr (GSimpleAction) action = g_simple_action_new (verbs[i].name, type);

      g_signal_connect_object (action, "activate", G_CALLBACK (on_activate), phone, 0);
      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
    }
  g_signal_connect_object (phone, "notify::registration-state", G_CALLBACK (update_enabled), group,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (phone, "notify::account", G_CALLBACK (update_enabled), group,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (phone, "call-state-changed", G_CALLBACK (update_enabled), group,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (phone, "call-removed", G_CALLBACK (update_enabled), group,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  update_enabled (group);
  return G_ACTION_GROUP (group);
}

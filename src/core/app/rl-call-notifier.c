/* rl-call-notifier.c
 *
 * A GNotification per ringing call, urgent and of category call.incoming,
 * whose buttons are application actions taking the call's id
 * (app.answer-call, app.decline-call); it is withdrawn the moment the call
 * stops ringing, wherever it was answered, declined or ended. A call that
 * rang and was not picked up leaves a "Missed call" notification with Call
 * back (app.call-back, taking the number). GIO picks the desktop's
 * notification service (the portal in a sandbox).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlCallNotifier"

#include "rl-call-notifier.h"
#include "rl-verbs.h"

#include <glib/gi18n.h>

struct _RlCallNotifier
{
  GObject parent_instance;

  GApplication *app; /* not owned: it owns the notifier */
  RlCore *core;
  GHashTable *ringing; /* RlCall → its notification's id */
};

G_DEFINE_FINAL_TYPE (RlCallNotifier, rl_call_notifier, G_TYPE_OBJECT)

static char *
caller_words (RlCall *call)
{
  const char *name = rl_call_get_remote_name (call);
  const char *number = rl_call_get_remote_number (call);

  if (*name && *number && g_strcmp0 (name, number) != 0)
    return g_strdup_printf ("%s (%s)", name, number);
  return g_strdup (*name ? name : *number ? number : rl_call_get_remote_uri (call));
}

static void
announce_ringing (RlCallNotifier *self, RlCall *call)
{
  g_autofree char *id = g_strdup_printf ("call-%s", rl_call_get_id (call));
  g_autofree char *who = caller_words (call);
  g_autoptr (GNotification) n = g_notification_new (_ ("Incoming call"));

  g_notification_set_body (n, who);
  g_notification_set_priority (n, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_set_category (n, "call.incoming");
  g_notification_add_button_with_target (n, C_ ("verb", "Answer"), "app.answer-call", "s",
                                         rl_call_get_id (call));
  g_notification_add_button_with_target (n, C_ ("verb", "Decline"), "app.decline-call", "s",
                                         rl_call_get_id (call));
  if (g_action_map_lookup_action (G_ACTION_MAP (self->app), "present-window"))
    g_notification_set_default_action (n, "app.present-window");
  g_application_send_notification (self->app, id, n);
  g_hash_table_insert (self->ringing, g_object_ref (call), g_steal_pointer (&id));
}

/* Rang, and nobody here picked it up or turned it down. */
static gboolean
was_missed (RlCall *call)
{
  RlEndCategory why = rl_call_get_end_reason (call);

  return rl_call_get_direction (call) == RL_CALL_DIRECTION_INBOUND
         && rl_call_get_answered (call) == NULL && why != RL_END_DECLINED
         && why != RL_END_LOCAL_HANGUP;
}

static void
announce_missed (RlCallNotifier *self, RlCall *call)
{
  g_autofree char *id = g_strdup_printf ("missed-%s", rl_call_get_id (call));
  g_autofree char *who = caller_words (call);
  g_autoptr (GNotification) n = g_notification_new (_ ("Missed call"));

  g_notification_set_body (n, who);
  g_notification_set_category (n, "call.unanswered");
  if (*rl_call_get_remote_number (call))
    g_notification_add_button_with_target (n, _ ("Call back"), "app.call-back", "s",
                                           rl_call_get_remote_number (call));
  g_application_send_notification (self->app, id, n);
}

static void
on_call_state (RlCallNotifier *self, RlCall *call)
{
  g_autofree char *id = NULL;

  if (rl_call_is_ringing_in (call))
    {
      if (!g_hash_table_contains (self->ringing, call))
        announce_ringing (self, call);
      return;
    }
  if (g_hash_table_steal_extended (self->ringing, call, NULL, (gpointer *) &id))
    {
      g_application_withdraw_notification (self->app, id);
      g_object_unref (call);
    }
  if (rl_call_get_state (call) == RL_CALL_STATE_TERMINATED && was_missed (call))
    announce_missed (self, call);
}

static void
invoke (RlCallNotifier *self, const char *verb, GVariant *parameter)
{
  g_autoptr (GError) error = NULL;

  if (!rl_verbs_invoke (self->core, verb, parameter, NULL, &error))
    g_warning ("%s from a notification: %s", verb, error->message);
}

static void
answer_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  invoke (user_data, "answer", param);
}

static void
decline_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  invoke (user_data, "decline", param);
}

static void
call_back_action (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  invoke (user_data, "dial",
          g_variant_new ("(s@a{sv})", g_variant_get_string (param, NULL),
                         g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)));
}

static const GActionEntry actions[] = {
  { "answer-call", answer_action, "s" },
  { "decline-call", decline_action, "s" },
  { "call-back", call_back_action, "s" },
};

static void
withdraw (gpointer call, gpointer id, gpointer app)
{
  g_application_withdraw_notification (app, id);
}

static void
rl_call_notifier_dispose (GObject *object)
{
  RlCallNotifier *self = RL_CALL_NOTIFIER (object);

  if (self->ringing)
    g_hash_table_foreach (self->ringing, withdraw, self->app);
  g_clear_pointer (&self->ringing, g_hash_table_unref);
  g_clear_object (&self->core);
  G_OBJECT_CLASS (rl_call_notifier_parent_class)->dispose (object);
}

static void
rl_call_notifier_class_init (RlCallNotifierClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rl_call_notifier_dispose;
}

static void
rl_call_notifier_init (RlCallNotifier *self)
{
  self->ringing = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, g_free);
}

/**
 * rl_call_notifier_new:
 * @app: the application, which owns the notifier and gets its actions
 */
RlCallNotifier *
rl_call_notifier_new (GApplication *app, RlCore *core)
{
  RlCallNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (RL_IS_CORE (core), NULL);

  self = g_object_new (RL_TYPE_CALL_NOTIFIER, NULL);
  self->app = app;
  self->core = g_object_ref (core);
  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), self);
  g_signal_connect_object (rl_core_get_phone (core), "call-state-changed",
                           G_CALLBACK (on_call_state), self, G_CONNECT_SWAPPED);
  return self;
}

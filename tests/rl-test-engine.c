/* rl-test-engine.c
 *
 * Replies come from the main loop, as a real engine's do: never within the
 * command's own call.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlTestEngine"

#include "rl-test-engine.h"
#include "rl-error.h"

typedef struct
{
  char *line; /* "command params" */
  gint64 sent_at;
} Sent;

struct _RlTestEngine
{
  GObject parent_instance;

  RlEngineState state;
  char *error;
  guint max_calls;
  RlEngineFeatures features;
  GHashTable *replies;  /* command → reply text */
  GHashTable *failures; /* command → error message */
  GQueue sent;          /* Sent, oldest first */
  gboolean holding;
  GQueue held; /* GTask waiting for rl_test_engine_release_replies() */
};

static void rl_test_engine_engine_init (RlEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RlTestEngine, rl_test_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RL_TYPE_ENGINE, rl_test_engine_engine_init))

enum
{
  PROP_0,
  PROP_STATE,
  PROP_VERSION,
  PROP_ERROR,
};

static void
sent_free (gpointer data)
{
  Sent *sent = data;

  g_free (sent->line);
  g_free (sent);
}

static RlEngineState
get_state (RlEngine *engine)
{
  return RL_TEST_ENGINE (engine)->state;
}

static const char *
get_version (RlEngine *engine)
{
  return "test";
}

static const char *
get_error (RlEngine *engine)
{
  return RL_TEST_ENGINE (engine)->error;
}

static RlEngineFeatures
get_features (RlEngine *engine)
{
  return RL_TEST_ENGINE (engine)->features;
}

static void
set_max_calls (RlEngine *engine, guint max_calls)
{
  RL_TEST_ENGINE (engine)->max_calls = max_calls;
}

static void
answer (RlTestEngine *self, GTask *task)
{
  const char *command = g_task_get_task_data (task);
  const char *failure = g_hash_table_lookup (self->failures, command);
  const char *reply = g_hash_table_lookup (self->replies, command);

  if (failure)
    g_task_return_new_error (task, RL_ERROR, RL_ERROR_FAILED, "%s", failure);
  else
    g_task_return_pointer (task, g_strdup (reply ? reply : ""), g_free);
}

static void
command_async (RlEngine *engine, const char *command, const char *params, RlCtrlFlags flags,
               GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  RlTestEngine *self = RL_TEST_ENGINE (engine);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  Sent *sent = g_new0 (Sent, 1);

  g_task_set_task_data (task, g_strdup (command), g_free);
  if (self->state != RL_ENGINE_STATE_RUNNING)
    {
      g_task_return_new_error (task, RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE,
                               "The call engine is not running");
      return;
    }
  sent->line = *params ? g_strdup_printf ("%s %s", command, params) : g_strdup (command);
  sent->sent_at = g_get_monotonic_time ();
  g_queue_push_tail (&self->sent, sent);
  if (self->holding)
    g_queue_push_tail (&self->held, g_steal_pointer (&task));
  else
    answer (self, task);
}

static char *
command_finish (RlEngine *engine, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rl_test_engine_engine_init (RlEngineInterface *iface)
{
  iface->get_state = get_state;
  iface->get_version = get_version;
  iface->get_error = get_error;
  iface->get_features = get_features;
  iface->set_max_calls = set_max_calls;
  iface->command_async = command_async;
  iface->command_finish = command_finish;
}

static void
rl_test_engine_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  RlTestEngine *self = RL_TEST_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_VERSION:
      g_value_set_string (value, "test");
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rl_test_engine_dispose (GObject *object)
{
  RlTestEngine *self = RL_TEST_ENGINE (object);

  rl_test_engine_release_replies (self);
  G_OBJECT_CLASS (rl_test_engine_parent_class)->dispose (object);
}

static void
rl_test_engine_finalize (GObject *object)
{
  RlTestEngine *self = RL_TEST_ENGINE (object);

  g_queue_clear_full (&self->sent, sent_free);
  g_hash_table_unref (self->replies);
  g_hash_table_unref (self->failures);
  g_free (self->error);
  G_OBJECT_CLASS (rl_test_engine_parent_class)->finalize (object);
}

static void
rl_test_engine_class_init (RlTestEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = rl_test_engine_get_property;
  object_class->dispose = rl_test_engine_dispose;
  object_class->finalize = rl_test_engine_finalize;
  g_object_class_override_property (object_class, PROP_STATE, "state");
  g_object_class_override_property (object_class, PROP_VERSION, "version");
  g_object_class_override_property (object_class, PROP_ERROR, "error");
}

static void
rl_test_engine_init (RlTestEngine *self)
{
  self->error = g_strdup ("");
  self->max_calls = 2;
  self->replies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_queue_init (&self->sent);
  g_queue_init (&self->held);
}

RlTestEngine *
rl_test_engine_new (void)
{
  return g_object_new (RL_TYPE_TEST_ENGINE, NULL);
}

static void
set_state (RlTestEngine *self, RlEngineState state)
{
  self->state = state;
  g_object_notify (G_OBJECT (self), "state");
}

/* Running, as after a (re)start: ::ready follows. */
/* Behaves as a baresip offering @features (none by default: as 1.0). */
void
rl_test_engine_set_features (RlTestEngine *self, RlEngineFeatures features)
{
  self->features = features;
}

void
rl_test_engine_start (RlTestEngine *self)
{
  set_state (self, RL_ENGINE_STATE_RUNNING);
  rl_engine_emit_ready (RL_ENGINE (self));
}

/* Gone, as when baresip dies: ::lost, and it is restarting. */
void
rl_test_engine_lose (RlTestEngine *self, const char *why)
{
  g_autoptr (GError) error = g_error_new_literal (RL_ERROR, RL_ERROR_ENGINE_UNAVAILABLE, why);

  set_state (self, RL_ENGINE_STATE_RESTARTING);
  rl_engine_emit_lost (RL_ENGINE (self), error);
}

/* @json: an event as baresip's ctrl_tcp sends it. */
void
rl_test_engine_event (RlTestEngine *self, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);
  g_autoptr (RlEngineEvent) event = NULL;

  g_assert_no_error (error);
  event = rl_engine_event_new_from_json (json_node_get_object (node));
  rl_engine_emit_event (RL_ENGINE (self), event);
}

/* What @command replies from now on (default ""). */
void
rl_test_engine_set_reply (RlTestEngine *self, const char *command, const char *reply)
{
  g_hash_table_replace (self->replies, g_strdup (command), g_strdup (reply));
}

/* @command fails from now on with @message; NULL makes it succeed again. */
void
rl_test_engine_set_failure (RlTestEngine *self, const char *command, const char *message)
{
  if (message)
    g_hash_table_replace (self->failures, g_strdup (command), g_strdup (message));
  else
    g_hash_table_remove (self->failures, command);
}

/* Replies wait until rl_test_engine_release_replies(): an engine that is
 * slow to answer. */
void
rl_test_engine_hold_replies (RlTestEngine *self)
{
  self->holding = TRUE;
}

void
rl_test_engine_release_replies (RlTestEngine *self)
{
  GTask *task;

  self->holding = FALSE;
  while ((task = g_queue_pop_head (&self->held)))
    {
      answer (self, task);
      g_object_unref (task);
    }
}

/* Returns: (transfer full) (nullable): the oldest command not taken yet */
char *
rl_test_engine_take (RlTestEngine *self)
{
  return rl_test_engine_take_timed (self, NULL);
}

char *
rl_test_engine_take_timed (RlTestEngine *self, gint64 *sent_at)
{
  Sent *sent = g_queue_pop_head (&self->sent);
  char *line;

  if (sent == NULL)
    return NULL;
  if (sent_at)
    *sent_at = sent->sent_at;
  line = g_steal_pointer (&sent->line);
  sent_free (sent);
  return line;
}

guint
rl_test_engine_n_pending (RlTestEngine *self)
{
  return self->sent.length;
}

/* Drops the commands sent so far. */
void
rl_test_engine_forget (RlTestEngine *self)
{
  g_queue_clear_full (&self->sent, sent_free);
}

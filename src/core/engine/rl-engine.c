/* rl-engine.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlEngine"

#include "rl-engine.h"
#include "rl-engine-enums.h"

G_DEFINE_INTERFACE (RlEngine, rl_engine, G_TYPE_OBJECT)

enum
{
  SIGNAL_READY,
  SIGNAL_LOST,
  SIGNAL_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
rl_engine_default_init (RlEngineInterface *iface)
{
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  g_object_interface_install_property (
    iface,
    g_param_spec_enum ("state", NULL, NULL, RL_TYPE_ENGINE_STATE, RL_ENGINE_STATE_STOPPED, flags));
  g_object_interface_install_property (iface,
                                       g_param_spec_string ("version", NULL, NULL, NULL, flags));
  g_object_interface_install_property (iface, g_param_spec_string ("error", NULL, NULL, "", flags));

  /**
   * RlEngine::ready:
   *
   * The engine is up and takes commands; emitted again after each restart,
   * when whatever it held (the account) has to be added anew.
   */
  signals[SIGNAL_READY] = g_signal_new ("ready", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * RlEngine::lost:
   * @error: why
   *
   * The engine went away unexpectedly, with every call it had.
   */
  signals[SIGNAL_LOST] = g_signal_new ("lost", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIGNAL_EVENT]
    = g_signal_new ("event", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, RL_TYPE_ENGINE_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
}

RlEngineState
rl_engine_get_state (RlEngine *self)
{
  g_return_val_if_fail (RL_IS_ENGINE (self), RL_ENGINE_STATE_STOPPED);

  return RL_ENGINE_GET_IFACE (self)->get_state (self);
}

/* Returns: (nullable): the engine's version, once it is known */
const char *
rl_engine_get_version (RlEngine *self)
{
  g_return_val_if_fail (RL_IS_ENGINE (self), NULL);

  return RL_ENGINE_GET_IFACE (self)->get_version (self);
}

/* Returns: why the engine is not running, or "" */
const char *
rl_engine_get_error (RlEngine *self)
{
  g_return_val_if_fail (RL_IS_ENGINE (self), "");

  return RL_ENGINE_GET_IFACE (self)->get_error (self);
}

/* Returns: what the engine offers; none until it is known */
RlEngineFeatures
rl_engine_get_features (RlEngine *self)
{
  g_return_val_if_fail (RL_IS_ENGINE (self), RL_ENGINE_FEATURE_NONE);

  return RL_ENGINE_GET_IFACE (self)->get_features (self);
}

void
rl_engine_set_max_calls (RlEngine *self, guint max_calls)
{
  g_return_if_fail (RL_IS_ENGINE (self));

  RL_ENGINE_GET_IFACE (self)->set_max_calls (self, max_calls);
}

/**
 * rl_engine_command_async:
 * @flags: %RL_CTRL_FLAGS_SECRET when @params must never be logged
 */
void
rl_engine_command_async (RlEngine *self, const char *command, const char *params, RlCtrlFlags flags,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_return_if_fail (RL_IS_ENGINE (self));
  g_return_if_fail (command != NULL);

  RL_ENGINE_GET_IFACE (self)->command_async (self, command, params ? params : "", flags,
                                             cancellable, callback, user_data);
}

/**
 * rl_engine_command_finish:
 *
 * Returns: (transfer full): the reply text.
 */
char *
rl_engine_command_finish (RlEngine *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (RL_IS_ENGINE (self), NULL);

  return RL_ENGINE_GET_IFACE (self)->command_finish (self, result, error);
}

void
rl_engine_emit_ready (RlEngine *self)
{
  g_signal_emit (self, signals[SIGNAL_READY], 0);
}

void
rl_engine_emit_lost (RlEngine *self, const GError *error)
{
  g_signal_emit (self, signals[SIGNAL_LOST], 0, error);
}

void
rl_engine_emit_event (RlEngine *self, RlEngineEvent *event)
{
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, event);
}

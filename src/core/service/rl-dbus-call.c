/* rl-dbus-call.c
 *
 * Methods go through the verb table with the call's id; properties follow
 * the call. The object is exported when the phone first announces the
 * call's state, so that it is born with its record in place.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "RlDbusCall"

#include "rl-dbus-call.h"
#include "rl-dbus-generated.h"
#include "rl-dbus-limits.h"
#include "rl-error.h"
#include "rl-verbs.h"

struct _RlDbusCall
{
  GObject parent_instance;

  RlCore *core;
  RlCall *call;
  char *path;
  RlDbusCall1 *skeleton;
};

G_DEFINE_FINAL_TYPE (RlDbusCall, rl_dbus_call, G_TYPE_OBJECT)

/* Call1 method → verb. Methods with an argument pass (call id, argument). */
static const struct
{
  const char *method;
  const char *verb;
} call_verbs[] = {
  { "Answer", "answer" },
  { "Hangup", "hangup" },
  { "Decline", "decline" },
  { "Hold", "hold" },
  { "Resume", "resume" },
  { "SetMuted", "set-muted" },
  { "SendDtmf", "send-dtmf" },
  { "Transfer", "transfer" },
  { "StartRecording", "start-recording" },
  { "StopRecording", "stop-recording" },
  { "SetData", "set-data" },
};

/* Connected swapped to every handle-* signal of the skeleton: the generated
 * handlers differ only in their trailing arguments, which are read from the
 * invocation instead. */
static gboolean
on_method (RlDbusCall *self, GDBusMethodInvocation *invocation)
{
  const char *method = g_dbus_method_invocation_get_method_name (invocation);
  GVariant *args = g_dbus_method_invocation_get_parameters (invocation);
  const char *id = rl_call_get_id (self->call);
  GVariant *param;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (call_verbs); i++)
    if (g_str_equal (call_verbs[i].method, method))
      break;
  g_return_val_if_fail (i < G_N_ELEMENTS (call_verbs), FALSE);
  /* Data may come after the end: the call's history row takes it. */
  if (rl_phone_find_call (rl_core_get_phone (self->core), id) == NULL
      && !g_str_equal (call_verbs[i].verb, "set-data"))
    {
      g_dbus_method_invocation_return_error_literal (invocation, RL_ERROR, RL_ERROR_INVALID_STATE,
                                                     "The call has ended");
      return TRUE;
    }
  if (g_variant_n_children (args) == 0)
    param = g_variant_new_string (id);
  else
    {
      GVariant *pair[] = { g_variant_new_string (id), g_variant_get_child_value (args, 0) };

      param = g_variant_new_tuple (pair, 2);
    }
  rl_verbs_invoke_for_method (self->core, call_verbs[i].verb, param, invocation);
  return TRUE;
}

/* @details: whether to build the record again; it is the costly part. */
static void
sync_call (RlDbusCall *self, gboolean details)
{
  RlDbusCall1 *skeleton = self->skeleton;
  RlCall *call = self->call;

  rl_dbus_call1_set_state (skeleton, rl_call_state_to_string (rl_call_get_state (call)));
  rl_dbus_call1_set_remote_number (skeleton, rl_call_get_remote_number (call));
  rl_dbus_call1_set_remote_name (skeleton, rl_call_get_remote_name (call));
  rl_dbus_call1_set_remote_uri (skeleton, rl_call_get_remote_uri (call));
  if (details)
    rl_dbus_call1_set_details (skeleton, rl_call_build_details (call));
  rl_dbus_call1_set_muted (skeleton, rl_call_get_muted (call));
  rl_dbus_call1_set_recording (skeleton, rl_call_get_recording (call));
  rl_dbus_call1_set_held_by (skeleton, rl_held_by_to_string (rl_call_get_held_by (call)));
  rl_dbus_call1_set_quality (skeleton, rl_call_get_quality (call));
}

static void
on_call_notify (RlDbusCall *self)
{
  sync_call (self, TRUE);
}

static void
rl_dbus_call_dispose (GObject *object)
{
  RlDbusCall *self = RL_DBUS_CALL (object);

  if (self->skeleton)
    rl_dbus_call_unexport (self);
  if (self->call)
    g_signal_handlers_disconnect_by_data (self->call, self);
  g_clear_object (&self->skeleton);
  g_clear_object (&self->call);
  g_clear_object (&self->core);
  G_OBJECT_CLASS (rl_dbus_call_parent_class)->dispose (object);
}

static void
rl_dbus_call_finalize (GObject *object)
{
  g_free (RL_DBUS_CALL (object)->path);
  G_OBJECT_CLASS (rl_dbus_call_parent_class)->finalize (object);
}

static void
rl_dbus_call_class_init (RlDbusCallClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rl_dbus_call_dispose;
  G_OBJECT_CLASS (klass)->finalize = rl_dbus_call_finalize;
}

static void
rl_dbus_call_init (RlDbusCall *self)
{
  self->skeleton = rl_dbus_call1_skeleton_new ();
  rl_dbus_limits_guard (G_DBUS_INTERFACE_SKELETON (self->skeleton));
}

/**
 * rl_dbus_call_new:
 * @path: where the call is exported
 *
 * The phone announces a new call's state right after adding it, in the same
 * main-loop turn: the record is built once, there (rl_dbus_call_sync()).
 */
RlDbusCall *
rl_dbus_call_new (RlCore *core, RlCall *call, const char *path)
{
  RlDbusCall *self;

  g_return_val_if_fail (RL_IS_CORE (core), NULL);
  g_return_val_if_fail (RL_IS_CALL (call), NULL);
  g_return_val_if_fail (g_variant_is_object_path (path), NULL);

  self = g_object_new (RL_TYPE_DBUS_CALL, NULL);
  self->core = g_object_ref (core);
  self->call = g_object_ref (call);
  self->path = g_strdup (path);
  rl_dbus_call1_set_id (self->skeleton, rl_call_get_id (call));
  rl_dbus_call1_set_direction (self->skeleton,
                               rl_call_direction_to_string (rl_call_get_direction (call)));
  sync_call (self, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (call_verbs); i++)
    {
      g_autofree char *name = g_strdup_printf ("handle-%s", call_verbs[i].verb);

      g_signal_connect_swapped (self->skeleton, name, G_CALLBACK (on_method), self);
    }
  g_signal_connect_swapped (call, "notify::muted", G_CALLBACK (on_call_notify), self);
  g_signal_connect_swapped (call, "notify::recording", G_CALLBACK (on_call_notify), self);
  g_signal_connect_swapped (call, "notify::quality", G_CALLBACK (on_call_notify), self);
  g_signal_connect_swapped (call, "notify::data", G_CALLBACK (on_call_notify), self);
  return self;
}

const char *
rl_dbus_call_get_path (RlDbusCall *self)
{
  g_return_val_if_fail (RL_IS_DBUS_CALL (self), NULL);

  return self->path;
}

/**
 * rl_dbus_call_sync:
 *
 * Brings every property up to date with the call, its record included.
 *
 * Returns: (transfer none): the record now in the Details property, which
 * the phone's signals carry too.
 */
GVariant *
rl_dbus_call_sync (RlDbusCall *self)
{
  g_return_val_if_fail (RL_IS_DBUS_CALL (self), NULL);

  sync_call (self, TRUE);
  return rl_dbus_call1_get_details (self->skeleton);
}

/* Exports the call on @connection, unless it is already. */
gboolean
rl_dbus_call_export (RlDbusCall *self, GDBusConnection *connection, GError **error)
{
  GDBusInterfaceSkeleton *skeleton = G_DBUS_INTERFACE_SKELETON (self->skeleton);

  g_return_val_if_fail (RL_IS_DBUS_CALL (self), FALSE);

  if (g_dbus_interface_skeleton_get_connection (skeleton))
    return TRUE;
  return g_dbus_interface_skeleton_export (skeleton, connection, self->path, error);
}

void
rl_dbus_call_unexport (RlDbusCall *self)
{
  GDBusInterfaceSkeleton *skeleton = G_DBUS_INTERFACE_SKELETON (self->skeleton);

  g_return_if_fail (RL_IS_DBUS_CALL (self));

  if (g_dbus_interface_skeleton_get_connection (skeleton))
    g_dbus_interface_skeleton_unexport (skeleton);
}

void
rl_dbus_call_emit_dtmf_received (RlDbusCall *self, const char *key)
{
  g_return_if_fail (RL_IS_DBUS_CALL (self));

  rl_dbus_call1_emit_dtmf_received (self->skeleton, key);
}

void
rl_dbus_call_emit_transfer_result (RlDbusCall *self, gboolean ok, const char *detail)
{
  g_return_if_fail (RL_IS_DBUS_CALL (self));

  rl_dbus_call1_emit_transfer_result (self->skeleton, ok, detail);
}

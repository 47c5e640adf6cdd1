/* rl-ctrl-client.h: a client for baresip's ctrl_tcp interface.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  RL_CTRL_FLAGS_NONE = 0,
  /* The params or the reply carry a secret: never log either. */
  RL_CTRL_FLAGS_SECRET = 1 << 0,
  /* A liveness probe, once a second: not worth a log line. */
  RL_CTRL_FLAGS_QUIET = 1 << 1,
} RlCtrlFlags;

#define RL_TYPE_CTRL_CLIENT (rl_ctrl_client_get_type ())
G_DECLARE_FINAL_TYPE (RlCtrlClient, rl_ctrl_client, RL, CTRL_CLIENT, GObject)

RlCtrlClient *rl_ctrl_client_new (void);
void rl_ctrl_client_connect_async (RlCtrlClient *self, guint16 port, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
gboolean rl_ctrl_client_connect_finish (RlCtrlClient *self, GAsyncResult *result, GError **error);
guint16 rl_ctrl_client_get_local_port (RlCtrlClient *self);
void rl_ctrl_client_start (RlCtrlClient *self);
void rl_ctrl_client_command_async (RlCtrlClient *self, const char *command, const char *params,
                                   RlCtrlFlags flags, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data);
char *rl_ctrl_client_command_finish (RlCtrlClient *self, GAsyncResult *result, GError **error);
gboolean rl_ctrl_client_is_connected (RlCtrlClient *self);
void rl_ctrl_client_close (RlCtrlClient *self);

G_END_DECLS

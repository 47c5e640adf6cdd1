/* rl-dbus-service.h: the phone on the session bus (Phone1 and Call1).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-core.h"

G_BEGIN_DECLS

#define RL_OBJECT_PATH "/org/ringline/Ringline"
#define RL_DBUS_CALLS_PATH "/org/ringline/Ringline/Calls"

#define RL_TYPE_DBUS_SERVICE (rl_dbus_service_get_type ())
G_DECLARE_FINAL_TYPE (RlDbusService, rl_dbus_service, RL, DBUS_SERVICE, GObject)

RlDbusService *rl_dbus_service_new (RlCore *core);
gboolean rl_dbus_service_export (RlDbusService *self, GDBusConnection *connection,
                                 const char *object_path, GError **error);
void rl_dbus_service_unexport (RlDbusService *self);
void rl_dbus_service_set_window_actions (RlDbusService *self, GActionMap *actions);

G_END_DECLS

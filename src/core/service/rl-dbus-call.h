/* rl-dbus-call.h: one call on the bus (org.ringline.Ringline.Call1), from
 * its first state until a while after it ended.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rl-core.h"

G_BEGIN_DECLS

#define RL_TYPE_DBUS_CALL (rl_dbus_call_get_type ())
G_DECLARE_FINAL_TYPE (RlDbusCall, rl_dbus_call, RL, DBUS_CALL, GObject)

RlDbusCall *rl_dbus_call_new (RlCore *core, RlCall *call, const char *path);
const char *rl_dbus_call_get_path (RlDbusCall *self);
GVariant *rl_dbus_call_sync (RlDbusCall *self);
gboolean rl_dbus_call_export (RlDbusCall *self, GDBusConnection *connection, GError **error);
void rl_dbus_call_unexport (RlDbusCall *self);
void rl_dbus_call_emit_dtmf_received (RlDbusCall *self, const char *key);
void rl_dbus_call_emit_transfer_result (RlDbusCall *self, gboolean ok, const char *detail);

G_END_DECLS

/* rl-dbus-limits.h: the size limits of what D-Bus callers send.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Any string in any argument, at any depth; docs/dbus-api.md. */
#define RL_DBUS_MAX_STRING 4096
/* Entries of an a{sv} argument (Dial's options, SetAccount's settings). */
#define RL_DBUS_MAX_ENTRIES 256

gboolean rl_dbus_limits_check (GVariant *args, GError **error);
void rl_dbus_limits_guard (GDBusInterfaceSkeleton *skeleton);

G_END_DECLS

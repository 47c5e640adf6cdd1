/* rl-autostart.h: "Start at login": Ringline starts headless when the agent
 * logs in, through the Background portal inside the Flatpak and an XDG
 * autostart entry outside it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RL_TYPE_AUTOSTART (rl_autostart_get_type ())
G_DECLARE_FINAL_TYPE (RlAutostart, rl_autostart, RL, AUTOSTART, GObject)

RlAutostart *rl_autostart_new (GSettings *settings);

G_END_DECLS

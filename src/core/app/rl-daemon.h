/* rl-daemon.h: Ringline without a window (ringline --headless), for
 * automation and tests. Same core, same D-Bus API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RL_TYPE_DAEMON (rl_daemon_get_type ())
G_DECLARE_FINAL_TYPE (RlDaemon, rl_daemon, RL, DAEMON, GApplication)

RlDaemon *rl_daemon_new (void);

G_END_DECLS

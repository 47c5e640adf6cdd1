/* rl-clock.h: times of day as the agent reads them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *rl_clock_format (GDateTime *when);
char *rl_clock_format_elapsed (gint64 seconds);
char *rl_clock_format_duration (guint seconds);

G_END_DECLS

/* rl-clock.h: times of day as the agent reads them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *rl_clock_format (GDateTime *when);

G_END_DECLS
